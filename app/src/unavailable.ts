import { ConnectionError, TimeoutError } from 'sequelize';
import { AppError } from './errors.js';

/**
 * Why the service cannot answer a request for now, through no fault of the request: each one is a 503 with
 * `Retry-After` and a problem type of its own, never a 500.
 */
export type Condition = 'database-unavailable' | 'storage-full' | 'database-read-only' | 'audit-unavailable';

const CONDITIONS: Record<Condition, { detail: string; retryAfterSeconds: number }> = {
  'database-unavailable': { detail: 'The database is not reachable. Try again later.', retryAfterSeconds: 5 },
  'storage-full': {
    detail: "The database's storage is full; nothing was written. Reads go on; try writing again later.",
    retryAfterSeconds: 60,
  },
  'database-read-only': {
    detail: 'The database is read-only; nothing was written. Try again later.',
    retryAfterSeconds: 60,
  },
  'audit-unavailable': { detail: auditDetail(''), retryAfterSeconds: 5 },
};

function auditDetail(why: string): string {
  return `The audit event of this request could not be stored${why}, so the request was refused: nothing is served or changed without its audit record. Try again later.`;
}

/** The 503 of a condition; `detail` replaces the standard text (e.g. with figures). */
export function unavailable(condition: Condition, detail?: string): AppError {
  const { detail: standard, retryAfterSeconds } = CONDITIONS[condition];
  const err = new AppError(503, 'Service Unavailable', detail ?? standard, undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
  err.problem = condition;
  err.reason = condition;
  return err;
}

/** PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) that are not the request's fault. */
function postgresCondition(code: string): Condition | undefined {
  if (code === '53100') return 'storage-full'; // disk_full
  if (code === '25006') return 'database-read-only'; // read_only_sql_transaction (a standby, default_transaction_read_only)
  if (code.startsWith('08')) return 'database-unavailable'; // connection exceptions
  // admin_shutdown, crash_shutdown, cannot_connect_now; insufficient resources, too many connections
  if (['57P01', '57P02', '57P03', '53000', '53200', '53300'].includes(code)) return 'database-unavailable';
  return undefined;
}

/** SQLite result codes (https://sqlite.org/rescode.html) and file-system errors that are not the request's fault. */
function sqliteOrSystemCondition(code: string): Condition | undefined {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'storage-full';
  if (code === 'SQLITE_READONLY' || code === 'EROFS') return 'database-read-only';
  if (/^SQLITE_(IOERR|CANTOPEN|BUSY|LOCKED|PROTOCOL)/.test(code)) return 'database-unavailable';
  return undefined;
}

/** Messages of the pg driver for a connection that went away under a statement (they carry no SQLSTATE). */
const LOST_CONNECTION = /Connection terminated|not queryable|ECONNREFUSED|ECONNRESET|EPIPE/;

/**
 * What a failed database call says about the database itself: unreachable, full, read-only — or nothing
 * (undefined: a bug, a constraint, anything that is the request's or the code's fault). Follows Sequelize's
 * wrapping (`parent`) and `cause` down to the driver's error.
 */
export function databaseCondition(err: unknown): Condition | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    if (e instanceof ConnectionError || e instanceof TimeoutError) return 'database-unavailable';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const condition = postgresCondition(code) ?? sqliteOrSystemCondition(code);
      if (condition) return condition;
    }
    if (LOST_CONNECTION.test(e.message)) return 'database-unavailable';
    e = (e as { parent?: unknown }).parent ?? e.cause;
  }
  return undefined;
}

/** An audit event that could not be stored, and whether the request only read (then it must not be served). */
export class AuditWriteError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly read: boolean,
  ) {
    super(`could not store the audit event: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'AuditWriteError';
  }
}

const CONDITION_NAMES: Record<Condition, string> = {
  'database-unavailable': 'the database is not reachable',
  'storage-full': "the database's storage is full",
  'database-read-only': 'the database is read-only',
  'audit-unavailable': 'the audit trail refused it',
};

/**
 * The 503 an error of a request's own work becomes, or undefined when it is not one of the conditions. A
 * write whose audit event failed for a condition of the database reports that condition (nothing was
 * written: the event shares the write's transaction); a read whose audit event failed is refused as such.
 */
export function asUnavailable(err: unknown): AppError | undefined {
  if (err instanceof AuditWriteError) {
    const cause = databaseCondition(err.cause);
    if (cause && !err.read) return unavailable(cause);
    return unavailable('audit-unavailable', auditDetail(cause ? ` (${CONDITION_NAMES[cause]})` : ''));
  }
  const condition = databaseCondition(err);
  return condition ? unavailable(condition) : undefined;
}
