import { Umzug, type MigrationFn, type UmzugStorage } from 'umzug';
import type { Database } from './database.js';
import * as initialSchema from './migrations/20261129080000-initial-schema.js';
import * as auditAppendOnly from './migrations/20261129080100-audit-append-only.js';
import * as documents from './migrations/20261129100000-documents.js';
import * as partiesConflicts from './migrations/20261129100500-parties-conflicts.js';

export type Migration = MigrationFn<Database>;

/** Migrations in order; names are timestamped so they sort by creation time. */
const migrations = [
  { name: '20261129080000-initial-schema', ...initialSchema },
  { name: '20261129080100-audit-append-only', ...auditAppendOnly },
  { name: '20261129100000-documents', ...documents },
  { name: '20261129100500-parties-conflicts', ...partiesConflicts },
];

/** Applied migrations by name, in the table Sequelize's storage for umzug used, so older databases carry on. */
class MigrationTable implements UmzugStorage<Database> {
  private ready: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  private table(): Promise<void> {
    this.ready ??= this.db.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) NOT NULL PRIMARY KEY)',
    );
    return this.ready;
  }

  async executed(): Promise<string[]> {
    await this.table();
    const rows = await this.db.all<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    return rows.map((r) => r.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.table();
    await this.db.run('INSERT INTO schema_migrations (name) VALUES (:name)', { name });
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.table();
    await this.db.run('DELETE FROM schema_migrations WHERE name = :name', { name });
  }
}

export interface MigrationLogger {
  info: (message: Record<string, unknown>) => void;
}

export function createMigrator(db: Database, logger?: MigrationLogger): Umzug<Database> {
  return new Umzug<Database>({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: (params) => m.up(params),
      down: (params) => m.down(params),
    })),
    context: db,
    storage: new MigrationTable(db),
    logger: logger
      ? { info: logger.info, warn: logger.info, error: logger.info, debug: () => {} }
      : undefined,
  });
}

/** Arbitrary constant: the advisory-lock key under which instances of this service migrate PostgreSQL. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies pending migrations. On PostgreSQL, instances starting together take turns: the first holds a
 * transaction-scoped advisory lock while it migrates, the others wait for it and then find nothing to do.
 */
export async function migrateToLatest(db: Database, logger?: MigrationLogger): Promise<string[]> {
  const migrator = createMigrator(db, logger);
  if (db.dialect !== 'postgres') return (await migrator.up()).map((m) => m.name);
  // The lock's transaction only holds the lock: migrations run on the other connections of the pool.
  return db.transaction(async (lock) => {
    await lock.run(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    return (await migrator.up()).map((m) => m.name);
  });
}
