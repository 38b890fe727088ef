import { QueryTypes } from 'sequelize';
import type { Database } from '../../src/db/database.js';

export type Params = Record<string, unknown>;

/**
 * What the tests use to read and write the tables directly, beside the API: SQL with `:name` placeholders
 * (Sequelize's replacements) on the service's own connection, outside any transaction. A failed statement
 * rejects with the driver's own error (SQLSTATE or SQLite result code in `code`), not Sequelize's wrapper.
 */
export class Sql {
  constructor(readonly database: Database) {}

  private async query(sql: string, params: Params, type: QueryTypes): Promise<unknown> {
    const replacements = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, v === undefined ? null : v]),
    );
    try {
      // A leading comment keeps Sequelize's SQLite dialect from running INSERT/UPDATE ... RETURNING without rows.
      return await this.database.sequelize.query(type === QueryTypes.SELECT ? `/* rows */ ${sql}` : sql, {
        replacements,
        type,
        transaction: null,
      });
    } catch (err) {
      const original = (err as { original?: { message: string; code?: unknown } }).original;
      if (original === undefined) throw err;
      // node-sqlite3 makes its errors in the main realm, not in the test's: the same error, of this realm.
      throw original instanceof Error ? original : Object.assign(new Error(original.message), original);
    }
  }

  async all<T extends object = Record<string, unknown>>(sql: string, params: Params = {}): Promise<T[]> {
    return (await this.query(sql, params, QueryTypes.SELECT)) as T[];
  }

  async one<T extends object = Record<string, unknown>>(
    sql: string,
    params: Params = {},
  ): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: Params = {}): Promise<void> {
    await this.query(sql, params, QueryTypes.RAW);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
