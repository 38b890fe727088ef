export type Dialect = 'sqlite' | 'postgres';
export type Params = Record<string, unknown>;

/** Connections of the database: the pool's counters on PostgreSQL, the one connection on SQLite. */
export interface PoolStats {
  inUse: number;
  idle: number;
  pending: number;
  max: number;
}

/**
 * The one handle on the database: parameterised SQL (`:name` placeholders) returning plain objects, and
 * transactions. Statements that return rows (SELECT, INSERT/UPDATE ... RETURNING) go through `all`/`one`;
 * both dialects support RETURNING. db/open.ts opens the dialect the configuration names.
 */
export abstract class Database {
  abstract readonly dialect: Dialect;

  /** Runs `fn` in one transaction: every query through the handle it receives commits or rolls back together. */
  abstract transaction<T>(fn: (db: Database) => Promise<T>): Promise<T>;

  abstract all<T extends object = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;

  abstract run(sql: string, params?: Params): Promise<void>;

  abstract poolStats(): PoolStats;

  abstract close(): Promise<void>;

  async one<T extends object = Record<string, unknown>>(
    sql: string,
    params: Params = {},
  ): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async ping(): Promise<void> {
    await this.all('SELECT 1 AS ok');
  }
}

/**
 * A placeholder's value as drivers take it: undefined becomes null; arrays and objects are refused (serialise
 * JSON yourself).
 */
export function bindValue(name: string, value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value))
    throw new TypeError(`SQL parameter :${name} must be a string, number, boolean, Date, Buffer or null`);
  return value;
}

/** Unique or primary-key violations: PostgreSQL's SQLSTATE or SQLite's extended result code. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Dates come back as Date objects from PostgreSQL and as text from SQLite; both become ISO 8601. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  // Fast path for what the service writes into SQLite: 'YYYY-MM-DD HH:mm:ss.SSS +00:00'.
  if (text.length === 30 && text.endsWith(' +00:00') && text[10] === ' ')
    return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  const normalised = text.includes('T') ? text : text.replace(' ', 'T').replace(/ ?([+-]\d\d:\d\d)$/, '$1');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

export function toInt(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
