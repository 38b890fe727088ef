import {
  QueryTypes,
  Sequelize,
  Transaction,
  literal,
  type Model,
  type ModelStatic,
  type Options,
  type Utils,
} from 'sequelize';
import type { Config } from '../config.js';
import { defineModels, type Models } from './models/index.js';
import { transactionContext } from './transaction-context.js';

Sequelize.useCLS(transactionContext);

export type Dialect = 'sqlite' | 'postgres';

/** Connections of the database: the pool's counters on PostgreSQL, the one writer on SQLite. */
export interface PoolStats {
  inUse: number;
  idle: number;
  pending: number;
  max: number;
}

/** What a pooled pg client offers for its health: the driver's own events. */
interface PgClient {
  once(event: 'end' | 'error', listener: () => void): void;
}

/** Unused pool counters of sequelize-pool (its documented getters); the pool is made on the first query. */
interface PoolCounters {
  using: number;
  available: number;
  waiting: number;
  maxSize: number;
}

/**
 * The service's handle on its database: the Sequelize instance, its models, and transactions that every query
 * inside joins on its own (through the transaction context). Repositories take it and use the models.
 */
export class Database {
  /** SQLite: the write transaction that runs, and the ones queued behind it. */
  private writer: Promise<void> = Promise.resolve();
  private writers = 0;

  constructor(
    readonly sequelize: Sequelize,
    readonly models: Models,
  ) {}

  get dialect(): Dialect {
    return this.sequelize.getDialect() as Dialect;
  }

  /**
   * Every attribute of `model` for a raw read of many rows, its timestamps as ISO 8601 text. On PostgreSQL the
   * server formats them: the driver would parse each into a Date only for toIso to format it again, a quarter of
   * a case-list request's CPU (docs/benchmarks.md). SQLite stores them as text already, which toIso rewrites cheaply.
   */
  attributesWithIsoTimestamps(model: ModelStatic<Model>): (string | [Utils.Literal, string])[] {
    const quote = (name: string) => this.sequelize.getQueryInterface().quoteIdentifier(name);
    return Object.entries(model.getAttributes()).map(([name, { field, type }]) =>
      this.dialect === 'postgres' && (type as { key?: string }).key === 'DATE'
        ? [
            literal(
              `to_char(${quote(model.name)}.${quote(field ?? name)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
            ),
            name,
          ]
        : name,
    );
  }

  /** The transaction the calling code runs in, if any. */
  get current(): Transaction | undefined {
    return (transactionContext.get('transaction') as Transaction | null | undefined) ?? undefined;
  }

  /**
   * Runs `fn` in one transaction: every query it makes, however deep, commits or rolls back with it. Called
   * inside a transaction, `fn` simply joins that one.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current) return fn();
    if (this.dialect !== 'sqlite') return this.sequelize.transaction(() => fn());
    // SQLite has one writer. Waiting here costs nothing; waiting in SQLite's busy handler would park a thread
    // of libuv's small pool per writer, and with every thread parked the writer holding the lock could not go on.
    this.writers += 1;
    const previous = this.writer;
    let done!: () => void;
    this.writer = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      return await this.sequelize.transaction(() => fn());
    } finally {
      this.writers -= 1;
      done();
    }
  }

  /** Runs `fn` so that its failure undoes only its own statements: a savepoint inside a transaction. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.current;
    if (!outer) return this.transaction(fn);
    return this.sequelize.transaction({ transaction: outer }, () => fn());
  }

  async ping(): Promise<void> {
    await this.sequelize.query('SELECT 1 AS ok', { type: QueryTypes.SELECT, transaction: null });
  }

  /**
   * A statement that needs write access and changes nothing, so a read-only database (a file the service may
   * not write, a PostgreSQL standby or default_transaction_read_only) fails it. On SQLite it waits its turn
   * behind the write transactions of this process, as any write does.
   */
  async probeWrite(): Promise<void> {
    const sql = 'UPDATE schema_migrations SET name = name WHERE 1 = 0';
    if (this.dialect === 'sqlite') await this.transaction(() => this.sequelize.query(sql));
    else await this.sequelize.query(sql, { transaction: null });
  }

  poolStats(): PoolStats {
    if (this.dialect === 'sqlite') {
      // One transaction writes at a time; the others wait for it.
      const busy = Math.min(this.writers, 1);
      return { inUse: busy, idle: 1 - busy, pending: this.writers - busy, max: 1 };
    }
    const pool = (this.sequelize.connectionManager as unknown as { pool?: Partial<PoolCounters> }).pool;
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

type PostgresConfig = Extract<Config['database'], { dialect: 'postgres' }>;

/** How long a SQLite connection waits for another connection's write lock before it gives up. */
const SQLITE_BUSY_MS = 5000;

function sqliteOptions(storage: string): Options {
  return {
    dialect: 'sqlite',
    storage,
    logging: false,
    // A write transaction takes the write lock when it begins, so two of them never deadlock upgrading.
    transactionType: Transaction.TYPES.IMMEDIATE,
  };
}

/** Connections that must not serve another statement: the pg driver reported them ended or broken. */
const endedClients = new WeakSet<object>();

function postgresOptions(config: PostgresConfig): Options {
  const options: string[] = [];
  if (config.schema !== undefined) options.push(`-c search_path=${config.schema}`);
  if (config.statementTimeoutMs > 0) options.push(`-c statement_timeout=${config.statementTimeoutMs}`);
  return {
    dialect: 'postgres',
    logging: false,
    pool: {
      max: config.pool.max,
      min: config.pool.min,
      acquire: config.pool.acquireMs,
      idle: config.pool.idleMs,
      validate: (client: unknown) => !endedClients.has(client as object),
    },
    // A statement sent in the moment between the server ending a connection (57P01-57P03, 08xxx) and the
    // driver seeing its socket close waits for a reply that never comes and fails with one of these messages,
    // never having run: it runs again on another connection (a transaction's statement fails again, as it must).
    retry: { max: 2, match: [/Connection terminated unexpectedly/, /not queryable/] },
    dialectOptions: {
      ...(options.length > 0 ? { options: options.join(' ') } : {}),
      ...(config.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
      connectionTimeoutMillis: config.pool.acquireMs,
    },
  };
}

/** Runs the first statements on a new Sequelize; when they fail it is closed (a caller may try again). */
async function firstStatements(sequelize: Sequelize, statements: string[]): Promise<void> {
  try {
    for (const sql of statements) await sequelize.query(sql, { transaction: null });
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw err;
  }
}

/** Opens (but does not migrate) the database the configuration names. */
export async function openDatabase(config: Config['database']): Promise<Database> {
  if (config.dialect === 'sqlite') {
    const sequelize = new Sequelize(sqliteOptions(config.storage));
    const configured = new WeakSet<object>();
    // Sequelize opens a SQLite connection per transaction (and one for the rest): each waits for the write lock.
    sequelize.addHook('beforeQuery', (_options, query) => {
      // Before each SELECT of a model, Sequelize's SQLite dialect reads PRAGMA table_info of its tables, one more
      // statement on the one connection, only to parse the columns of model instances. The repositories read raw
      // rows: no table names, no PRAGMA (half the statements of a request).
      if (query.options.raw) (query.options as { tableNames?: string[] }).tableNames = [];
      const connection = query.connection as { configure(option: 'busyTimeout', ms: number): void };
      if (configured.has(connection)) return;
      configured.add(connection);
      connection.configure('busyTimeout', SQLITE_BUSY_MS);
    });
    // WAL lets readers run beside the writer; it is a property of the file, kept for every later connection.
    await firstStatements(sequelize, ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL']);
    return new Database(sequelize, defineModels(sequelize));
  }
  const sequelize = new Sequelize(config.url, postgresOptions(config));
  sequelize.addHook('afterConnect', (client) => {
    const ended = () => endedClients.add(client as object);
    (client as PgClient).once('end', ended);
    (client as PgClient).once('error', ended);
  });
  if (config.schema !== undefined) {
    // The schema must exist before search_path can point at it; the service owns it.
    await firstStatements(sequelize, [`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`]);
  }
  return new Database(sequelize, defineModels(sequelize));
}

/** Unique or primary-key violations, as Sequelize reports them for either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'SequelizeUniqueConstraintError';
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Dates come back as Date objects from PostgreSQL (or as ISO text, see attributesWithIsoTimestamps) and as text
 * from SQLite (raw rows); all become ISO 8601.
 */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  if (ISO_UTC.test(text)) return text;
  // Fast path for what Sequelize writes into SQLite: 'YYYY-MM-DD HH:mm:ss.SSS +00:00'.
  if (text.length === 30 && text.endsWith(' +00:00') && text[10] === ' ')
    return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  const normalised = text.includes('T') ? text : text.replace(' ', 'T').replace(/ ?([+-]\d\d:\d\d)$/, '$1');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}
