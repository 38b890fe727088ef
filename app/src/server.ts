import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase, DatabaseUnreachableError } from './db/connect.js';
import { createRedis } from './redis.js';
import { migrateToLatest } from './db/migrator.js';
import { seedIfEmpty } from './seed.js';
import { createLogger } from './logger.js';
import type { Services } from './services.js';
import { demoBlock, loadDemoCredentials, saveDemoCredentials, stillValid } from './demo-credentials.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** On the console only (not the JSON log), at every start: the demo accounts that still sign in. */
async function printDemoCredentials(
  config: Config,
  services: Pick<Services, 'repositories' | 'hasher'>,
  url: string,
): Promise<void> {
  const { users } = services.repositories;
  const valid = await stillValid(
    loadDemoCredentials(config.dataDir),
    (email) => users.findByEmail(email),
    (hash, password) => services.hasher.verify(hash, password),
  );
  if (valid.length === 0) return;
  const resetHint =
    config.database.dialect === 'sqlite'
      ? `delete ${config.dataDir}`
      : `drop the database's tables (npm run migrate -w app -- down all), delete ${config.dataDir}`;
  process.stdout.write(demoBlock(valid, config.dataDir, url, resetHint));
}

const displayHost = (host: string) =>
  host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

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
  let db;
  try {
    db = await connectDatabase(config.database, config.connectAttempts, logger);
  } catch (err) {
    if (!(err instanceof DatabaseUnreachableError)) throw err;
    logger.fatal(err.message);
    process.exitCode = 1;
    return;
  }
  await migrateToLatest(db, { info: (m) => logger.info(m, 'migration') });
  // Logs its own connection changes (once each) through the app's Redis monitor.
  const redis = config.redis ? createRedis(config.redis) : undefined;
  const app = createApp({ config, db, logger, redis });
  const seeded = await seedIfEmpty(app.locals.services, config, logger);
  if (seeded.credentials.length > 0) saveDemoCredentials(config.dataDir, seeded.credentials);

  const server: Server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
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
        app.locals.services.redisMonitor?.stop();
        await redis?.quit().catch(() => redis.disconnect());
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

  // Logged once the signal handlers are in place: whoever waits for this line may stop the service at once.
  if (config.demoData && config.env !== 'production') {
    await printDemoCredentials(config, app.locals.services, `http://${displayHost(config.host)}:${port}`);
  }
  logger.info({ port, database: db.dialect, version }, `listening on http://${config.host}:${port}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
