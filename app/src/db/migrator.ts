import type { QueryInterface } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Database } from './database.js';
import * as initialSchema from './migrations/20261129080000-initial-schema.js';
import * as auditAppendOnly from './migrations/20261129080100-audit-append-only.js';
import * as documents from './migrations/20261129100000-documents.js';
import * as partiesConflicts from './migrations/20261129100500-parties-conflicts.js';

/** Migrations in order; names are timestamped so they sort by creation time. */
const migrations = [
  { name: '20261129080000-initial-schema', ...initialSchema },
  { name: '20261129080100-audit-append-only', ...auditAppendOnly },
  { name: '20261129100000-documents', ...documents },
  { name: '20261129100500-parties-conflicts', ...partiesConflicts },
];

export interface MigrationLogger {
  info: (message: Record<string, unknown>) => void;
}

/** Applied migrations are listed by name in `schema_migrations`, the table every release has used. */
export function createMigrator(db: Database, logger?: MigrationLogger): Umzug<QueryInterface> {
  return new Umzug<QueryInterface>({
    migrations,
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({
      sequelize: db.sequelize,
      modelName: 'SchemaMigration',
      tableName: 'schema_migrations',
    }),
    logger: logger
      ? { info: logger.info, warn: logger.info, error: logger.info, debug: () => {} }
      : undefined,
  });
}

/** Arbitrary constant: the advisory-lock key under which instances of this service migrate PostgreSQL. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies pending migrations. On PostgreSQL they run in one transaction that first takes an advisory lock:
 * instances starting together take turns, the later ones find nothing left to do, and a failed migration
 * leaves the schema as it was.
 */
export async function migrateToLatest(db: Database, logger?: MigrationLogger): Promise<string[]> {
  const migrator = createMigrator(db, logger);
  if (db.dialect !== 'postgres') return (await migrator.up()).map((m) => m.name);
  return db.transaction(async () => {
    await db.sequelize.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    return (await migrator.up()).map((m) => m.name);
  });
}
