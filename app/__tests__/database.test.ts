import { afterAll, describe, expect, test } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isUniqueViolation, toIso } from '../src/db/database.js';
import { openDatabase } from '../src/db/open.js';
import { toPositional } from '../src/db/placeholders.js';
import { openSqlite, sqliteDate, SqliteFailure } from '../src/db/sqlite.js';
import { backends, postgresUrl, testEnv } from './helpers/harness.js';
import { loadConfig } from '../src/config.js';

describe('placeholders', () => {
  test('when :name placeholders repeat, then each name keeps one position in order of first use', () => {
    expect(toPositional('SELECT * FROM t WHERE a = :a AND (b > :b OR b = :a) LIMIT :limit')).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND (b > $2 OR b = $1) LIMIT $3',
      names: ['a', 'b', 'limit'],
    });
  });

  test('when colons sit in quotes, casts, comments or dollar-quoted bodies, then they stay as written', () => {
    const sql = `SELECT ':a', E'it\\'s :b', "x:y", id::text /* :c */, $fn$ :d $fn$, $q1$ :f $q1$, $$ :g $$ FROM t -- :e
      WHERE n = :n`;
    const { text, names } = toPositional(sql);
    expect(names).toEqual(['n']);
    expect(text).toBe(sql.replace('= :n', '= $1'));
  });
});

describe('SQLite handle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'db-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const open = (name: string) => openSqlite(path.join(dir, name, 'db.sqlite'));

  test('when values of every kind are bound, then they come back as SQLite stores them', async () => {
    const db = open('kinds');
    await db.run('CREATE TABLE t (s TEXT, n INTEGER, f REAL, b BOOLEAN, d DATETIME, x BLOB, z TEXT)');
    const at = new Date('2026-03-04T05:06:07.089Z');
    await db.run('INSERT INTO t VALUES (:s, :n, :f, :b, :d, :x, :z)', {
      s: "O'Brien; DROP TABLE t; --",
      n: 42,
      f: 1.5,
      b: true,
      d: at,
      x: Buffer.from([1, 2]),
      z: undefined,
    });
    const row = await db.one('SELECT * FROM t');
    expect(row).toEqual({
      s: "O'Brien; DROP TABLE t; --",
      n: 42,
      f: 1.5,
      b: 1,
      d: '2026-03-04 05:06:07.089 +00:00',
      x: Buffer.from([1, 2]),
      z: null,
    });
    expect(toIso(row!.d)).toBe(at.toISOString());
    expect(sqliteDate(at)).toBe(row!.d);
    await db.close();
  });

  test('when a parameter is an array or an object, then the error names it and nothing is written', async () => {
    const db = open('refused');
    await db.run('CREATE TABLE t (v TEXT)');
    await expect(db.run('INSERT INTO t VALUES (:v)', { v: ['a', 'b'] })).rejects.toThrow(
      'SQL parameter :v must be a string, number, boolean, Date, Buffer or null',
    );
    await expect(db.run('INSERT INTO t VALUES (:v)', { v: { a: 1 } })).rejects.toThrow('SQL parameter :v');
    expect(await db.all('SELECT * FROM t')).toEqual([]);
    await db.close();
  });

  test('when a statement fails, then the error is an Error with SQLite’s result code', async () => {
    const db = open('errors');
    await db.run('CREATE TABLE t (v TEXT UNIQUE)');
    await db.run("INSERT INTO t VALUES ('a')");
    const duplicate = await db.run("INSERT INTO t VALUES ('a')").catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(SqliteFailure);
    expect(duplicate).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(isUniqueViolation(duplicate)).toBe(true);
    const missing = await db.all('SELECT * FROM nowhere').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    expect((missing as Error).message).toContain('no such table: nowhere');
    expect(isUniqueViolation(missing)).toBe(false);
    await db.close();
  });

  test('when a transaction is open, then queries from outside wait for it and never join it', async () => {
    const db = open('tx');
    await db.run('CREATE TABLE t (v INTEGER)');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db
      .transaction(async (t) => {
        await t.run('INSERT INTO t VALUES (1)');
        await gate;
        throw new Error('roll back');
      })
      .catch((e: unknown) => (e as Error).message);
    const outside = db.run('INSERT INTO t VALUES (2)');
    const read = db.all<{ v: number }>('SELECT v FROM t ORDER BY v');
    expect(db.poolStats()).toEqual({ inUse: 1, idle: 0, pending: 2, max: 1 });
    release();
    expect(await tx).toBe('roll back');
    await outside;
    // Both waited for the rollback, then ran in the order they were asked: the read sees the outside row only.
    expect(await read).toEqual([{ v: 2 }]);
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 2 }]);
    expect(db.poolStats()).toEqual({ inUse: 0, idle: 1, pending: 0, max: 1 });
    await db.close();
  });

  test('when an integer is bound, then SQLite sees an integer, not a real', async () => {
    const db = open('integers');
    await db.run('CREATE TABLE t (s VARCHAR(10))');
    await db.run('INSERT INTO t VALUES (:n)', { n: 5 });
    expect(await db.one('SELECT typeof(:n) AS type, :n / 2 AS half, :f / 2 AS f', { n: 5, f: 5.5 })).toEqual({
      type: 'integer',
      half: 2,
      f: 2.75,
    });
    expect(await db.all('SELECT s FROM t')).toEqual([{ s: '5' }]);
    await db.close();
  });

  test('when the schema changes, then a statement cached before reads the new columns', async () => {
    const db = open('ddl');
    await db.run('CREATE TABLE t (a INTEGER)');
    await db.run('INSERT INTO t VALUES (1)');
    expect(await db.all('SELECT * FROM t')).toEqual([{ a: 1 }]);
    await db.run('ALTER TABLE t ADD COLUMN b TEXT');
    expect(await db.all('SELECT * FROM t')).toEqual([{ a: 1, b: null }]);
    await db.close();
  });

  test('when a transaction callback fails with its own error, then that very error comes back after the rollback', async () => {
    const db = open('own-error');
    await db.run('CREATE TABLE t (v INTEGER)');
    const own = Object.assign(new Error('upload failed'), { code: 'ENOENT' });
    const err = await db
      .transaction(async (t) => {
        await t.run('INSERT INTO t VALUES (1)');
        throw own;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(own);
    expect(await db.all('SELECT v FROM t')).toEqual([]);
    await db.close();
  });

  test('when a transaction commits, then another connection sees its rows', async () => {
    const db = open('commit');
    await db.run('CREATE TABLE t (v INTEGER)');
    await db.transaction(async (t) => {
      await t.run('INSERT INTO t VALUES (:v)', { v: 7 });
      await t.transaction(async (inner) => inner.run('INSERT INTO t VALUES (8)'));
    });
    const other = new BetterSqlite3(path.join(dir, 'commit', 'db.sqlite'), { readonly: true });
    expect(other.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([7, 8]);
    other.close();
    await db.close();
  });
});

describe.each((await backends()).filter((b) => b === 'postgres'))('%s handle', (backend) => {
  test('when values are bound, then PostgreSQL receives them as parameters, not as SQL text', async () => {
    const { env, cleanup } = testEnv(backend);
    const db = await openDatabase(loadConfig(env).database);
    try {
      await db.run('CREATE TABLE t (s TEXT UNIQUE, d TIMESTAMP WITH TIME ZONE, b BOOLEAN)');
      const at = new Date('2026-03-04T05:06:07.089Z');
      const text = "x'); DROP TABLE t; --";
      await db.run('INSERT INTO t VALUES (:s, :d, :b)', { s: text, d: at, b: false });
      const row = await db.one<{ s: string; d: unknown; b: boolean }>('SELECT * FROM t WHERE s = :s', {
        s: text,
      });
      expect(row).toEqual({ s: text, d: at, b: false });
      const duplicate = await db
        .run('INSERT INTO t VALUES (:s, NULL, NULL)', { s: text })
        .catch((e: unknown) => e);
      expect(isUniqueViolation(duplicate)).toBe(true);
      await expect(db.all('SELECT :missing AS x', {})).rejects.toThrow('SQL parameter :missing has no value');
      // A pooled connection the server ends is replaced: the next statements run on a new one.
      await expect(db.all('SELECT pg_terminate_backend(pg_backend_pid())')).rejects.toThrow(/terminat/);
      for (let i = 0; i < 3; i += 1) expect(await db.one('SELECT :n::int AS n', { n: i })).toEqual({ n: i });
      // Dollar signs in quoted or dollar-quoted text stay as written next to bound values.
      expect(
        await db.one("SELECT '$argon2id$v=19$' AS hash, $fn$ :x $1 $fn$ AS body, :n::int + 1 AS n", {
          n: 41,
        }),
      ).toEqual({ hash: '$argon2id$v=19$', body: ' :x $1 ', n: 42 });
      // Read back with a client of its own: the text was stored verbatim and the table still stands.
      const client = new pg.Client({ connectionString: postgresUrl() });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM ${env.DATABASE_SCHEMA}.t WHERE s = $1`,
          [text],
        );
        expect(rows[0]!.n).toBe('1');
      } finally {
        await client.end();
      }
    } finally {
      await db.close();
      await cleanup();
    }
  });
});
