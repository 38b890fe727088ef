import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import type { Database } from './database.js';
import * as initialSchema from './migrations/20261129080000-initial-schema.js';
import * as auditAppendOnly from './migrations/20261129080100-audit-append-only.js';

export type Migration = MigrationFn<Database>;

/** Migrations in order; names are timestamped so they sort by creation time. */
const migrations = [
  { name: '20261129080000-initial-schema', ...initialSchema },
  { name: '20261129080100-audit-append-only', ...auditAppendOnly },
];

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
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'schema_migrations' }),
    logger: logger
      ? { info: logger.info, warn: logger.info, error: logger.info, debug: () => {} }
      : undefined,
  });
}
