import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BoundedMap } from '../bounded-map.js';
import { bindValue, Database, type Params, type PoolStats } from './database.js';

/** How many prepared statements stay cached; SQL built from filters has a few hundred shapes at most. */
const STATEMENT_CACHE = 500;

/** Dates are stored as 'YYYY-MM-DD HH:mm:ss.SSS +00:00' text: sortable, and what toIso reads back. */
export function sqliteDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +00:00`;
}

/**
 * A failed statement, with SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE` ...). The addon's own
 * SqliteError class belongs to the JavaScript realm that first loaded it, so `instanceof Error` can fail for it
 * in another realm (a vm context, a jest test file); this one is always an Error of the caller's realm.
 */
export class SqliteFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SqliteFailure';
  }

  /** better-sqlite3's SqliteError becomes a SqliteFailure; any other error is returned as it is. */
  static from(err: unknown): unknown {
    const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
    if (e?.name !== 'SqliteError' || typeof e.code !== 'string' || typeof e.message !== 'string') return err;
    return new SqliteFailure(e.message, e.code);
  }
}

interface Prepared {
  statement: BetterSqlite3.Statement;
  /** Column names of a statement that returns rows; undefined for one that does not. */
  columns: string[] | undefined;
  /** CREATE, ALTER or DROP: statements cached before it may then return other columns. */
  changesSchema: boolean;
}

/** Integers go as BigInt: better-sqlite3 binds every other number as REAL (5 / 2 would be 2.5, '5' would be '5.0'). */
function bindable(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in params) {
    const value = bindValue(name, params[name]);
    out[name] =
      value instanceof Date
        ? sqliteDate(value)
        : typeof value === 'boolean'
          ? BigInt(value)
          : Number.isSafeInteger(value)
            ? BigInt(value as number)
            : value;
  }
  return out;
}

/**
 * One synchronous better-sqlite3 connection: a statement costs no thread hop or callback, and SQLite has
 * one writer anyway. A transaction holds the connection from BEGIN to COMMIT across its awaits, so queries
 * from outside it wait until it ends instead of joining it. Inside a transaction, use only the handle the
 * callback receives: this handle would wait for the transaction, which waits for the callback.
 */
export class SqliteDatabase extends Database {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new BoundedMap<string, Prepared>(STATEMENT_CACHE);
  /** Settles when the open transaction ends; undefined while none is open. */
  private open: Promise<void> | undefined;
  /** Queries and transactions waiting for the open transaction to end. */
  private waiting = 0;

  constructor(private readonly conn: BetterSqlite3.Database) {
    super();
  }

  async all<T extends object = Record<string, unknown>>(sql: string, params: Params = {}): Promise<T[]> {
    if (this.open) await this.idle();
    return this.query<T>(sql, params);
  }

  async run(sql: string, params: Params = {}): Promise<void> {
    if (this.open) await this.idle();
    this.query(sql, params);
  }

  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.open) await this.idle();
    let end!: () => void;
    this.open = new Promise<void>((resolve) => (end = resolve));
    try {
      this.conn.exec('BEGIN IMMEDIATE');
      const result = await fn(new SqliteTransaction((sql, params) => this.query(sql, params)));
      this.conn.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
      throw SqliteFailure.from(err);
    } finally {
      this.open = undefined;
      end();
    }
  }

  private async idle(): Promise<void> {
    this.waiting += 1;
    try {
      while (this.open) await this.open;
    } finally {
      this.waiting -= 1;
    }
  }

  /** Runs one statement now, on the connection, whatever transaction is open: callers decide when. */
  private query<T>(sql: string, params: Params): T[] {
    try {
      const prepared = this.prepared(sql);
      const { statement, columns } = prepared;
      const values = bindable(params);
      if (columns === undefined) {
        statement.run(values);
        if (prepared.changesSchema) this.statements.clear();
        return [];
      }
      return (statement.all(values) as unknown[][]).map((row) => {
        const object: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i += 1) object[columns[i]!] = row[i];
        return object as T;
      });
    } catch (err) {
      throw SqliteFailure.from(err);
    }
  }

  private prepared(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      const statement = this.conn.prepare(sql);
      // Rows as arrays, made objects here: better-sqlite3 builds row objects property by property in C++,
      // which costs more than twice the whole read (51 cases: 400 µs against 160 µs).
      prepared = statement.reader
        ? {
            statement: statement.raw(true),
            columns: statement.columns().map((c) => c.name),
            changesSchema: false,
          }
        : { statement, columns: undefined, changesSchema: /^\s*(CREATE|ALTER|DROP)\b/i.test(sql) };
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  poolStats(): PoolStats {
    const busy = this.open === undefined ? 0 : 1;
    return { inUse: busy, idle: 1 - busy, pending: this.waiting, max: 1 };
  }

  async close(): Promise<void> {
    if (this.open) await this.idle();
    this.conn.close();
  }
}

/** The handle a transaction's callback receives: its statements run at once, inside the transaction. */
class SqliteTransaction extends Database {
  readonly dialect = 'sqlite' as const;

  constructor(private readonly query: <T>(sql: string, params: Params) => T[]) {
    super();
  }

  async all<T extends object = Record<string, unknown>>(sql: string, params: Params = {}): Promise<T[]> {
    return this.query<T>(sql, params);
  }

  async run(sql: string, params: Params = {}): Promise<void> {
    this.query(sql, params);
  }

  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    return fn(this);
  }

  poolStats(): PoolStats {
    return { inUse: 1, idle: 0, pending: 0, max: 1 };
  }

  async close(): Promise<void> {
    throw new Error('close the database, not the transaction handle');
  }
}

export function openSqlite(storage: string): SqliteDatabase {
  mkdirSync(path.dirname(storage), { recursive: true });
  const conn = new BetterSqlite3(storage);
  // WAL lets readers run beside the writer; busy_timeout covers a second process (the migrate CLI).
  conn.pragma('journal_mode = WAL');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  return new SqliteDatabase(conn);
}
