/**
 * `npm run bench:db-costs`: where a `GET /cases?limit=50` request's database time goes, layer by layer, on SQLite
 * and PostgreSQL. Seeds the same data as bench:api, then times each step alone, one call after another (no
 * concurrency, so the figures are the work itself, not queueing), as CPU time of this process (every thread:
 * node-sqlite3 runs its statements on libuv's pool) and wall time per call:
 *
 * - the driver alone (sqlite3 / pg, no Sequelize): `SELECT 1` — the baseline every ratio is against — then the
 *   page's SQL returning only id and sort key (the database's work), then all 16 columns (plus building the rows in JS);
 * - the same SQL through `sequelize.query` (raw), then the repository's `Case.findAll` (the model layer);
 * - the caller's user read, and JSON of the page (the response body).
 *
 * Environment: BENCH_CASES (100000), BENCH_CALLS per step (500), TEST_DATABASE_URL / PGPASSWORD.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../app/src/config.js';
import { openDatabase, type Database } from '../app/src/db/database.js';
import { createMigrator } from '../app/src/db/migrator.js';
import { CaseRepository, type CaseQuery } from '../app/src/components/cases/repository.js';
import { UserRepository } from '../app/src/components/users/repository.js';
import { pgUrl, seedLegalData } from './legal-data.js';

// As the service runs (node build/server.js): tsx turns source maps on, which makes every Error's stack dearer,
// and Sequelize's SQLite dialect reads a stack on every statement.
process.setSourceMapsEnabled(false);

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);

interface Cost {
  step: string;
  cpuUs: number;
  wallUs: number;
}

async function measure(step: string, call: () => Promise<unknown>): Promise<Cost> {
  for (let i = 0; i < Math.min(50, CALLS); i += 1) await call();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < CALLS; i += 1) await call();
  const used = process.cpuUsage(cpu);
  return {
    step,
    cpuUs: (used.user + used.system) / CALLS,
    wallUs: ((performance.now() - start) * 1000) / CALLS,
  };
}

/** The SQL Sequelize sends for the repository's page read (the attorney's first page, newest first). */
async function pageSql(db: Database, list: () => Promise<unknown>): Promise<string> {
  let sql = '';
  db.sequelize.addHook('afterQuery', 'bench-sql', (_options, query) => {
    sql = (query as unknown as { sql: string }).sql;
  });
  await list();
  db.sequelize.removeHook('afterQuery', 'bench-sql');
  return sql.replace(/;$/, '');
}

/** A driver of its own beside Sequelize, on the same database: `all(sql)` → rows. */
async function directDriver(db: Database, storage: string | undefined, schema: string) {
  if (db.dialect === 'sqlite') {
    const conn = new sqlite3.Database(storage!);
    return {
      all: (sql: string) =>
        new Promise<unknown[]>((resolve, reject) =>
          conn.all(sql, [], (err, rows) => (err ? reject(err) : resolve(rows))),
        ),
      close: () => new Promise<void>((resolve) => conn.close(() => resolve())),
    };
  }
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  return { all: async (sql: string) => (await client.query(sql)).rows, close: () => client.end() };
}

async function costs(backend: 'sqlite' | 'postgres'): Promise<Cost[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-db-costs-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_DIR: dir,
    ...(backend === 'postgres' ? { DATABASE_URL: pgUrl(), DATABASE_SCHEMA: schema } : {}),
  });
  const db = await openDatabase(config.database);
  const storage = config.database.dialect === 'sqlite' ? config.database.storage : undefined;
  try {
    await createMigrator(db).up();
    const { attorneyId } = await seedLegalData(db, config, CASES, 'bench-password-0123456789');
    const cases = new CaseRepository(db);
    const users = new UserRepository(db);
    const query: CaseQuery = {
      userId: attorneyId,
      seesAll: false,
      membershipCounts: true,
      responsibleCounts: true,
      limit: 51,
      sort: 'updated_at',
      descending: true,
    };
    const list = () => cases.list(query);
    const sql = await pageSql(db, list);
    // Only the id and the sort key: the database's own work, hardly any row building.
    const idsSql = sql.replace(
      /^SELECT .*? FROM /,
      'SELECT "Case"."id", "Case"."updated_at" AS "updatedAt" FROM ',
    );
    const driver = await directDriver(db, storage, schema);
    const raw = (text: string) => db.sequelize.query(text, { type: QueryTypes.SELECT, transaction: null });
    const page = await list();
    if (page.length !== 51) throw new Error(`${backend}: expected 51 rows, got ${page.length}`);
    try {
      return [
        await measure('driver: SELECT 1', () => driver.all('SELECT 1')),
        await measure('driver: page SQL, id + sort key', () => driver.all(idsSql)),
        await measure('driver: page SQL, 16 columns', () => driver.all(sql)),
        await measure('sequelize.query: page SQL', () => raw(sql)),
        await measure('Case.findAll (repository list)', list),
        await measure('User.findByPk (the caller)', () => users.findById(attorneyId)),
        await measure('JSON of the page (51 cases)', async () => JSON.stringify(page)),
      ];
    } finally {
      await driver.close();
    }
  } finally {
    if (backend === 'postgres') await db.sequelize.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

for (const backend of ['sqlite', 'postgres'] as const) {
  if (backend === 'postgres' && !(await postgresReachable())) {
    console.log(`postgres: skipped, ${pgUrl()} is not reachable`);
    continue;
  }
  const rows = await costs(backend);
  const base = rows[0]!.cpuUs;
  console.log(`\n${backend}: ${CASES} cases, ${CALLS} calls per step, one at a time`);
  console.log('step                                 CPU µs   wall µs   CPU vs driver SELECT 1');
  for (const r of rows) {
    console.log(
      `${r.step.padEnd(34)} ${r.cpuUs.toFixed(0).padStart(8)} ${r.wallUs.toFixed(0).padStart(9)} ${`${(r.cpuUs / base).toFixed(1)}×`.padStart(12)}`,
    );
  }
}
