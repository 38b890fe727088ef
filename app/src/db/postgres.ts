import { QueryTypes, Sequelize, type Transaction } from 'sequelize';
import type { Config } from '../config.js';
import { checkParam, Database, type Params, type PoolStats } from './database.js';
import { toPositional } from './placeholders.js';

type PostgresConfig = Extract<Config['database'], { dialect: 'postgres' }>;

interface SequelizePool {
  size: number;
  available: number;
  using: number;
  waiting: number;
  maxSize: number;
}

/**
 * PostgreSQL through Sequelize's pool and transactions. Values travel as bind parameters (`$n`), never
 * spliced into the SQL text: the server parses them, and no SQL is rewritten per value.
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
    return this.query<T>(sql, params, QueryTypes.SELECT);
  }

  async run(sql: string, params: Params = {}): Promise<void> {
    await this.query(sql, params, QueryTypes.RAW);
  }

  private async query<T extends object>(
    sql: string,
    params: Params,
    type: QueryTypes.SELECT | QueryTypes.RAW,
  ): Promise<T[]> {
    const { text, names } = toPositional(sql);
    const bind = names.map((name) => {
      if (!(name in params)) throw new TypeError(`SQL parameter :${name} has no value`);
      const value = params[name];
      checkParam(name, value);
      return value === undefined ? null : value;
    });
    const rows: unknown = await this.sequelize.query(text, {
      ...(bind.length > 0 ? { bind } : {}),
      type,
      transaction: this.tx ?? null,
      raw: true,
    });
    return rows as T[];
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
