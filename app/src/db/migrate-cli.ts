/** `npm run migrate -w app -- up|down|status`: applies or reverts migrations on the configured database. */
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from './database.js';
import { createMigrator, migrateToLatest } from './migrator.js';

const command = process.argv[2] ?? 'up';
if (!['up', 'down', 'status'].includes(command)) {
  console.error(
    `Unknown command '${command}': expected up, down or status (down reverts the last migration; 'down all' reverts every one).`,
  );
  process.exit(2);
}
try {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const migrator = createMigrator(db);
  if (command === 'up') {
    const done = await migrateToLatest(db);
    console.log(
      done.length ? `Applied: ${done.join(', ')}` : 'Nothing to apply: the database is up to date.',
    );
  } else if (command === 'down') {
    const done = await migrator.down(process.argv[3] === 'all' ? { to: 0 } : undefined);
    console.log(done.length ? `Reverted: ${done.map((m) => m.name).join(', ')}` : 'Nothing to revert.');
  } else {
    const executed = await migrator.executed();
    const pending = await migrator.pending();
    for (const m of executed) console.log(`applied  ${m.name}`);
    for (const m of pending) console.log(`pending  ${m.name}`);
  }
  await db.close();
} catch (err) {
  console.error(
    err instanceof ConfigError
      ? err.message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err),
  );
  process.exit(1);
}
