import { Sequelize, type Transaction } from 'sequelize';
import type { Config } from '../config.js';
import { bindValue, Database, type Params, type PoolStats } from './database.js';
import { toPositional } from './placeholders.js';

type PostgresConfig = Extract<Config['database'], { dialect: 'postgres' }>;

interface SequelizePool {
  available: number;
  using: number;
  waiting: number;
  maxSize: number;
}

/** What this handle needs of a pooled pg client. */
interface PgClient {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
  /** Sequelize's pool discards a client marked invalid instead of handing it out again. */
  _invalid?: boolean;
}

/**
 * Whether a failed statement's connection may serve the next one: yes after an error the server reported for the
 * statement; no after a client-side failure (no severity), a connection exception (SQLSTATE class 08) or the
 * server ending the session (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
 */
function leavesConnectionUsable(err: unknown): boolean {
  const { severity, code } = (err ?? {}) as { severity?: unknown; code?: unknown };
  if (typeof severity !== 'string' || typeof code !== 'string') return false;
  return !code.startsWith('08') && !code.startsWith('57P');
}

/**
 * PostgreSQL through Sequelize's pool and transactions, with each statement sent straight to the pooled pg
 * client: values travel as bind parameters (`$n`), and no layer rewrites the SQL text (Sequelize's own bind
 * handling would rewrite any `$` in it, quoted text included).
 */
export class PostgresDatabase extends Database {
  readonly dialect = 'postgres' as const;

  constructor(
    readonly sequelize: Sequelize,
    private readonly tx?: Transaction,
  ) {
    super();
  }

  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.tx) return fn(this);
    return this.sequelize.transaction((tx) => fn(new PostgresDatabase(this.sequelize, tx)));
  }

  async all<T extends object = Record<string, unknown>>(sql: string, params: Params = {}): Promise<T[]> {
    return this.query<T>(sql, params);
  }

  async run(sql: string, params: Params = {}): Promise<void> {
    await this.query(sql, params);
  }

  private async query<T extends object>(sql: string, params: Params): Promise<T[]> {
    const { text, names } = toPositional(sql);
    const values = names.map((name) => {
      if (!(name in params)) throw new TypeError(`SQL parameter :${name} has no value`);
      return bindValue(name, params[name]);
    });
    if (this.tx)
      return this.send<T>((this.tx as unknown as { connection: PgClient }).connection, text, values);
    const pool = this.sequelize.connectionManager;
    const client = (await pool.getConnection({ type: 'write' })) as unknown as PgClient;
    try {
      return await this.send<T>(client, text, values);
    } finally {
      pool.releaseConnection(client as never);
    }
  }

  private async send<T>(client: PgClient, text: string, values: unknown[]): Promise<T[]> {
    try {
      return (await client.query(text, values)).rows as T[];
    } catch (err) {
      if (!leavesConnectionUsable(err)) client._invalid = true;
      throw err;
    }
  }

  poolStats(): PoolStats {
    const pool = (this.sequelize.connectionManager as unknown as { pool?: Partial<SequelizePool> }).pool;
    return {
      inUse: pool?.using ?? 0,
      idle: pool?.available ?? 0,
      pending: pool?.waiting ?? 0,
      max: pool?.maxSize ?? 0,
    };
  }

  async close(): Promise<void> {
    await this.sequelize.close();
  }
}

export async function openPostgres(config: PostgresConfig): Promise<PostgresDatabase> {
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
  return new PostgresDatabase(sequelize);
}
