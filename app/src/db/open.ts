import type { Config } from '../config.js';
import type { Database } from './database.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

/** Opens (but does not migrate) the database the configuration names. */
export async function openDatabase(config: Config['database']): Promise<Database> {
  return config.dialect === 'sqlite' ? openSqlite(config.storage) : openPostgres(config);
}
