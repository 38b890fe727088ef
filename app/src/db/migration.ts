import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** One step of the schema: umzug calls `up` and `down` with Sequelize's QueryInterface. */
export type Migration = MigrationFn<QueryInterface>;
