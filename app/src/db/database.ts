import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { QueryTypes, Sequelize, type Transaction } from 'sequelize';
import type { Config } from '../config.js';

export type Dialect = 'sqlite' | 'postgres';
export type Params = Record<string, unknown>;

/**
 * The one handle on the database: a Sequelize instance (pool, dialect, migrations) plus three small
 * helpers for parameterised SQL that return plain objects. Statements that return rows
 * (SELECT, INSERT/UPDATE ... RETURNING) go through `all`/`one`; both dialects support RETURNING.
 */
export class Database {
  constructor(
    readonly sequelize: Sequelize,
    readonly dialect: Dialect,
    private readonly tx?: Transaction,
  ) {}

  /** Runs `fn` in one transaction: every query through the handle it receives commits or rolls back together. */
  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.tx) return fn(this);
    return this.sequelize.transaction(async (tx) => {
      const db = new Database(this.sequelize, this.dialect, tx);
      // Sequelize opens a separate SQLite connection per transaction: give it the same busy timeout.
      if (this.dialect === 'sqlite') await db.run('PRAGMA busy_timeout = 5000');
      return fn(db);
    });
  }

  async all<T extends object = Record<string, unknown>>(sql: string, params: Params = {}): Promise<T[]> {
    // The leading comment keeps Sequelize's SQLite driver from treating `INSERT ... RETURNING` as a
    // row-less `run` (it sniffs statements that start with "insert into").
    return this.sequelize.query<T>(`/* q */ ${sql}`, {
      replacements: params,
      type: QueryTypes.SELECT,
      transaction: this.tx ?? null,
    });
  }

  async one<T extends object = Record<string, unknown>>(
    sql: string,
    params: Params = {},
  ): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async run(sql: string, params: Params = {}): Promise<void> {
    await this.sequelize.query(sql, {
      replacements: params,
      type: QueryTypes.RAW,
      transaction: this.tx ?? null,
    });
  }

  async ping(): Promise<void> {
    await this.sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
  }

  async close(): Promise<void> {
    await this.sequelize.close();
  }
}

/** Opens (but does not migrate) the database the configuration names. */
export async function openDatabase(config: Config['database']): Promise<Database> {
  if (config.dialect === 'sqlite') {
    mkdirSync(path.dirname(config.storage), { recursive: true });
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: config.storage, logging: false });
    const db = new Database(sequelize, 'sqlite');
    // WAL lets readers run beside the writer; busy_timeout covers a second process (the migrate CLI).
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA busy_timeout = 5000');
    await sequelize.query('PRAGMA synchronous = NORMAL');
    await sequelize.query('PRAGMA foreign_keys = ON');
    return db;
  }
  const options: string[] = [];
  if (config.schema !== undefined) options.push(`-c search_path=${config.schema}`);
  if (config.statementTimeoutMs > 0) options.push(`-c statement_timeout=${config.statementTimeoutMs}`);
  const sequelize = new Sequelize(config.url, {
    dialect: 'postgres',
    logging: false,
    pool: {
      max: config.pool.max,
      min: config.pool.min,
      acquire: config.pool.acquireMs,
      idle: config.pool.idleMs,
    },
    dialectOptions: {
      ...(options.length > 0 ? { options: options.join(' ') } : {}),
      ...(config.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
      connectionTimeoutMillis: config.pool.acquireMs,
    },
  });
  if (config.schema !== undefined) {
    // The schema must exist before search_path can point at it; the service owns it.
    await sequelize.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
  }
  return new Database(sequelize, 'postgres');
}

/** Dates come back as Date objects from PostgreSQL and as text from SQLite; both become ISO 8601. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  // Fast path for what Sequelize writes into SQLite: 'YYYY-MM-DD HH:mm:ss.SSS +00:00'.
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
