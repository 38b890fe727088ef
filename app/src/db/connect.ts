import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openDatabase, type Database } from './database.js';

/** The database could not be reached at start within DATABASE_CONNECT_ATTEMPTS; the message names the variable. */
export class DatabaseUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The wait after failed attempt `attempt` (1, 2, ...): 0.5 s, 1 s, 2 s, 4 s, then 8 s each time, of which the
 * upper half is random so that instances starting together do not knock at the same moments.
 */
export function connectBackoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(500 * 2 ** Math.min(attempt - 1, 10), 8000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The variable that says where the database is, and its value without a password, for messages. */
export function databaseLocation(config: Config['database']): string {
  if (config.dialect === 'sqlite') return `DATA_DIR (SQLite file ${config.storage})`;
  try {
    const url = new URL(config.url);
    url.password = '';
    return `DATABASE_URL (${url.toString()})`;
  } catch {
    return 'DATABASE_URL';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Opens the database and runs one statement on it, trying up to `attempts` times with backoff and one log line
 * per failed attempt; the last failure throws DatabaseUnreachableError naming the variable and the error.
 */
export async function connectDatabase(
  config: Config['database'],
  attempts: number,
  logger: Pick<Logger, 'warn'>,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<Database> {
  const where = databaseLocation(config);
  for (let attempt = 1; ; attempt += 1) {
    let db: Database | undefined;
    try {
      db = await openDatabase(config);
      await db.ping();
      return db;
    } catch (err) {
      await db?.close().catch(() => undefined);
      const error = err instanceof Error ? err.message : String(err);
      if (attempt >= attempts) {
        throw new DatabaseUnreachableError(
          `${where}: the database is not reachable after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${error}`,
        );
      }
      const retryInMs = connectBackoffMs(attempt);
      logger.warn(
        { attempt, attempts, retryInMs, err: error },
        `database not reachable at ${where}; retrying`,
      );
      await wait(retryInMs);
    }
  }
}
