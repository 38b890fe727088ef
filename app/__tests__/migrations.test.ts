import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createMigrator, migrateToLatest } from '../src/db/migrator.js';
import { backends, postgresUrl, testEnv, type Backend } from './helpers/harness.js';
import { Sql } from './helpers/sql.js';

const TABLES = [
  'audit_events',
  'case_counters',
  'case_legal_holds',
  'case_members',
  'case_parties',
  'cases',
  'document_versions',
  'documents',
  'conflict_checks',
  'ethical_walls',
  'permissions',
  'refresh_tokens',
  'role_permissions',
  'roles',
  'users',
];

/** Lists tables with the database's own driver and catalogue, not through the service's code. */
async function tablesOf(backend: Backend, env: Record<string, string>): Promise<string[]> {
  if (backend === 'sqlite') {
    const db = new sqlite3.Database(path.resolve(env.DATA_DIR!, 'legal.sqlite'), sqlite3.OPEN_READONLY);
    try {
      const rows = await new Promise<{ name: string }[]>((resolve, reject) =>
        db.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          (err, found) => (err ? reject(err) : resolve(found)),
        ),
      );
      return rows.map((r) => r.name);
    } finally {
      await new Promise((resolve) => db.close(resolve));
    }
  }
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  const { rows } = await client.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [env.DATABASE_SCHEMA],
  );
  await client.end();
  return rows.map((r) => r.table_name);
}

const appDir = path.resolve(import.meta.dirname, '..');
const tsx = path.resolve(appDir, '..', 'node_modules', '.bin', 'tsx');

describe.each(await backends())('migrations on %s', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  test('when migrated up, down and up again, then every table appears, disappears and comes back', async () => {
    const { env, cleanup } = testEnv(backend);
    cleanups.push(cleanup);
    const database = await openDatabase(loadConfig(env).database);
    const db = new Sql(database);
    const migrator = createMigrator(database);
    const applied = await migrator.up();
    expect(applied.map((m) => m.name)).toEqual([
      '20261129080000-initial-schema',
      '20261129080100-audit-append-only',
      '20261129100000-documents',
      '20261129100500-parties-conflicts',
    ]);
    expect(await tablesOf(backend, env)).toEqual([...TABLES, 'schema_migrations'].sort());
    const roles = await db.all<{ name: string }>('SELECT name FROM roles ORDER BY name');
    expect(roles.map((r) => r.name)).toEqual(['admin', 'attorney', 'auditor', 'client', 'paralegal']);
    await migrator.down({ to: '20261129080100-audit-append-only' });
    expect((await migrator.executed()).map((m) => m.name)).toEqual(['20261129080000-initial-schema']);
    // with the trigger migration reverted, the audit table is no longer protected
    await db.run(
      "INSERT INTO audit_events (occurred_at, action, entity, outcome, status) VALUES (:now, 'x', 'y', 'success', 200)",
      { now: new Date() },
    );
    await db.run('DELETE FROM audit_events');
    await migrator.down({ to: 0 });
    expect(await tablesOf(backend, env)).toEqual(['schema_migrations']);
    await migrator.up();
    expect(await tablesOf(backend, env)).toEqual([...TABLES, 'schema_migrations'].sort());
    await db.close();
  });

  // PostgreSQL serves several instances; the embedded SQLite file is one instance's own.
  if (backend === 'postgres')
    test('when two instances start together, then the migrations are applied exactly once', async () => {
      const { env, cleanup } = testEnv(backend);
      cleanups.push(cleanup);
      const config = loadConfig(env).database;
      const first = await openDatabase(config);
      const second = await openDatabase(config);
      const results = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);
      const sql = new Sql(first);
      expect(results.flat().sort()).toEqual([
        '20261129080000-initial-schema',
        '20261129080100-audit-append-only',
        '20261129100000-documents',
        '20261129100500-parties-conflicts',
      ]);
      const rows = await sql.all<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual([
        '20261129080000-initial-schema',
        '20261129080100-audit-append-only',
        '20261129100000-documents',
        '20261129100500-parties-conflicts',
      ]);
      await first.close();
      await second.close();
    });

  test('when `npm run migrate -- up|down|status` runs, then the CLI applies and reverts migrations', () => {
    const { env, cleanup } = testEnv(backend);
    cleanups.push(cleanup);
    const run = (...args: string[]) =>
      spawnSync(tsx, ['src/db/migrate-cli.ts', ...args], {
        cwd: appDir,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    const up = run('up');
    expect(up.stderr).toBe('');
    expect(up.stdout).toContain(
      'Applied: 20261129080000-initial-schema, 20261129080100-audit-append-only, 20261129100000-documents, 20261129100500-parties-conflicts',
    );
    expect(run('up').stdout).toContain('Nothing to apply');
    expect(run('down').stdout).toContain('Reverted: 20261129100500-parties-conflicts');
    expect(run('status').stdout).toContain('pending  20261129100500-parties-conflicts');
    expect(run('down', 'all').stdout).toContain(
      'Reverted: 20261129100000-documents, 20261129080100-audit-append-only, 20261129080000-initial-schema',
    );
    const bad = run('sideways');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown command 'sideways': expected up, down or status");
  }, 60_000);
});
