import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../src/config.js';
import { isUniqueViolation, openDatabase, toIso, type Database } from '../src/db/database.js';
import { backends, postgresUrl, testEnv, type Backend } from './helpers/harness.js';
import { Sql } from './helpers/sql.js';

/** Rows of table t read with the database's own driver on a connection of its own, not through the service. */
async function readOutside(backend: Backend, env: Record<string, string>): Promise<number[]> {
  if (backend === 'sqlite') {
    const other = new sqlite3.Database(path.resolve(env.DATA_DIR!, 'legal.sqlite'), sqlite3.OPEN_READONLY);
    try {
      return await new Promise<number[]>((resolve, reject) =>
        other.all<{ v: number }>('SELECT v FROM t ORDER BY v', (err, rows) =>
          err ? reject(err) : resolve(rows.map((r) => r.v)),
        ),
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  }
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: number }>(`SELECT v FROM ${env.DATABASE_SCHEMA}.t ORDER BY v`);
    return rows.map((r) => r.v);
  } finally {
    await client.end();
  }
}

describe.each(await backends())('the database handle on %s', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });
  const open = async (): Promise<{ db: Database; sql: Sql; env: Record<string, string> }> => {
    const { env, cleanup } = testEnv(backend);
    const db = await openDatabase(loadConfig(env).database);
    cleanups.push(async () => {
      await db.close().catch(() => undefined);
      await cleanup();
    });
    const sql = new Sql(db);
    await sql.run('CREATE TABLE t (v INTEGER UNIQUE)');
    return { db, sql, env };
  };
  const insert = (db: Database, v: number) =>
    db.sequelize.query('INSERT INTO t (v) VALUES ($v)', { bind: { v } });

  test('when code deep inside a transaction queries without passing it, then its statements commit together', async () => {
    const { db, env } = await open();
    const nested = async () => {
      await insert(db, 2);
      await db.transaction(() => insert(db, 3)); // joins the open transaction
    };
    let seenInside: number[] = [];
    await db.transaction(async () => {
      await insert(db, 1);
      await nested();
      seenInside = await readOutside(backend, env);
    });
    expect(seenInside).toEqual([]);
    expect(await readOutside(backend, env)).toEqual([1, 2, 3]);
  });

  test('when a transaction fails with its own error, then that very error comes back and nothing is kept', async () => {
    const { db, env } = await open();
    const own = Object.assign(new Error('upload failed'), { code: 'ENOENT' });
    const err = await db
      .transaction(async () => {
        await insert(db, 1);
        throw own;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(own);
    expect(await readOutside(backend, env)).toEqual([]);
    expect(db.current).toBeUndefined();
  });

  test('when a savepoint fails on a unique violation, then only its statements are undone', async () => {
    const { db, env } = await open();
    await db.transaction(async () => {
      await insert(db, 1);
      const err = await db.savepoint(() => insert(db, 1)).catch((e: unknown) => e);
      expect(isUniqueViolation(err)).toBe(true);
      await insert(db, 2);
    });
    expect(await readOutside(backend, env)).toEqual([1, 2]);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
  });

  test('when the database is asked whether it is there, then ping answers, and fails once it is closed', async () => {
    const { db } = await open();
    await expect(db.ping()).resolves.toBeUndefined();
    await db.close();
    await expect(db.ping()).rejects.toThrow();
  });

  if (backend === 'postgres')
    test('when the server ends a pooled connection, then that connection serves no later statement', async () => {
      const { sql } = await open();
      const [{ pid }] = (await sql.all<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [
        { pid: number },
      ];
      await expect(sql.all('SELECT pg_terminate_backend(pg_backend_pid())')).rejects.toThrow(/terminat/);
      for (let i = 0; i < 3; i += 1) {
        const [row] = await sql.all<{ n: number; pid: number }>(
          'SELECT CAST(:n AS INTEGER) AS n, pg_backend_pid() AS pid',
          {
            n: i,
          },
        );
        expect(row!.n).toBe(i);
        expect(row!.pid).not.toBe(pid);
      }
    });
});

describe('dates', () => {
  test('when SQLite text or PostgreSQL Date values are read, then both become ISO 8601', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    expect(toIso('2026-03-04 05:06:07.089 +00:00')).toBe(at.toISOString());
    expect(toIso('2026-03-04 07:06:07.089 +02:00')).toBe(at.toISOString());
    expect(toIso(at)).toBe(at.toISOString());
    expect(toIso(null)).toBeNull();
  });
});
