import { afterAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { backends, postgresUrl, testEnv, type Backend } from './helpers/harness.js';
import { startServer } from './helpers/server-process.js';

const ADMIN = { email: 'admin@crash.test', password: 'crash-test-password-1' };
const preload = path.join(import.meta.dirname, 'helpers', 'die-before-commit.mjs');

/** One number from the database, read with its own driver on a connection of its own. */
async function count(backend: Backend, env: Record<string, string>, sql: string): Promise<number> {
  if (backend === 'sqlite') {
    const db = new sqlite3.Database(path.join(env.DATA_DIR!, 'legal.sqlite'));
    try {
      return await new Promise<number>((resolve, reject) =>
        db.get<{ n: number }>(sql, (err, row) => (err ? reject(err) : resolve(Number(row!.n)))),
      );
    } finally {
      await new Promise((resolve) => db.close(resolve));
    }
  }
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${env.DATABASE_SCHEMA}"`);
    return Number((await client.query<{ n: unknown }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe.each(await backends())('a write and its audit event on %s', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  test('when the process dies after the write and its audit event were inserted but before the commit, then neither is stored', async () => {
    const { env, cleanup } = testEnv(backend, {
      LOG_LEVEL: 'info',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      NODE_OPTIONS: `--import=${preload}`,
    });
    cleanups.push(cleanup);
    const server = await startServer(env);
    cleanups.unshift(async () => {
      server.child.kill('SIGKILL');
      await server.exit;
    });
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const outcome = await fetch(`${base}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ title: 'Never committed', clientName: 'Nobody' }),
    }).then(
      (res) => `answered ${res.status}`,
      () => 'connection lost',
    );
    expect(outcome).toBe('connection lost');
    await server.exit;

    expect(await count(backend, env, 'SELECT COUNT(*) AS n FROM cases')).toBe(0);
    expect(await count(backend, env, 'SELECT COUNT(*) AS n FROM case_counters')).toBe(0);
    expect(
      await count(backend, env, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'case.create'"),
    ).toBe(0);
    // The login before it committed its session and its event as usual.
    expect(
      await count(backend, env, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.login'"),
    ).toBe(1);
    expect(await count(backend, env, 'SELECT COUNT(*) AS n FROM refresh_tokens')).toBe(1);
    if (backend === 'postgres') {
      // Sequences are not transactional: the case's INSERT did run before the process died.
      expect(
        await count(backend, env, 'SELECT CASE WHEN is_called THEN 1 ELSE 0 END AS n FROM cases_id_seq'),
      ).toBe(1);
    }
  }, 60_000);
});
