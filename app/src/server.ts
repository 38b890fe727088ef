import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/open.js';
import { migrateToLatest } from './db/migrator.js';
import { seedIfEmpty } from './db/seed.js';
import { createLogger } from './logger.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Config, database, migrations, demo data, listen; SIGTERM/SIGINT drain in-flight requests and exit 0. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, version);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.jwt.secret === undefined) {
    logger.warn('JWT_SECRET is not set: using an ephemeral signing key, so tokens do not survive a restart');
  }
  const db = await openDatabase(config.database);
  await migrateToLatest(db, { info: (m) => logger.info(m, 'migration') });
  const redis = config.redis
    ? new Redis(config.redis.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  const app = createApp({ config, db, logger, redis });
  const seeded = await seedIfEmpty(app.locals.services, config, logger);
  if (seeded.credentials.length > 0) {
    // Printed once, on the console only (not the JSON log): the passwords are never shown again.
    const lines = seeded.credentials.map((c) => `  ${c.role.padEnd(10)} ${c.email.padEnd(24)} ${c.password}`);
    process.stdout.write(
      `\nDemo users (shown once; the database now holds only their argon2id hashes):\n${lines.join('\n')}\n\n`,
    );
  }

  const server: Server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, database: db.dialect, version }, `listening on http://${config.host}:${port}`);
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : await app.locals.services.metrics.listen(config.metrics.port, config.host);
  if (metricsServer) logger.info({ address: metricsServer.address() }, 'metrics listener (GET /metrics)');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, draining in-flight requests');
    app.locals.draining = true;
    const force = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'in-flight requests did not finish in time; closing them',
      );
      server.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    metricsServer?.close();
    server.close(async () => {
      clearInterval(idle);
      try {
        await db.close();
        await redis?.quit();
        logger.info('stopped');
        clearTimeout(force);
        process.exit(0);
      } catch (err) {
        logger.error({ err }, 'error while closing');
        process.exit(1);
      }
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
