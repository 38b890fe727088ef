import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createMigrator } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import type { Role } from '../../src/components/auth/permissions.js';
import type { Services } from '../../src/services.js';
import { Sql } from './sql.js';

export type Backend = 'sqlite' | 'postgres';

export const JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** PostgreSQL of the development and CI machines (trust auth; CI sets PGPASSWORD). */
export function postgresUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const password = process.env.PGPASSWORD ? `:${encodeURIComponent(process.env.PGPASSWORD)}` : '';
  return `postgres://postgres${password}@127.0.0.1:5432/test`;
}

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Which backends to run: PostgreSQL is skipped (with a reason) only when unreachable and CI is not 'true'. */
export async function backends(): Promise<Backend[]> {
  if (await postgresReachable()) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true')
    throw new Error(`PostgreSQL is required in CI but ${postgresUrl()} is not reachable`);
  console.warn(`skipping the PostgreSQL run: ${postgresUrl()} is not reachable (CI is not 'true')`);
  return ['sqlite'];
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A fresh, unique place for one run: a temp dir for SQLite, a new schema for PostgreSQL. */
export function testEnv(
  backend: Backend,
  extra: Record<string, string> = {},
): { env: Record<string, string>; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'legal-test-'));
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: dir,
    JWT_SECRET,
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '2',
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    LOGIN_FREE_FAILURES: '1000',
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
    DEMO_DATA: 'false',
    ...(backend === 'postgres'
      ? { DATABASE_URL: postgresUrl(), DATABASE_SCHEMA: schema, DATABASE_POOL_MAX: '5' }
      : {}),
    ...extra,
  };
  return {
    env,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      if (backend === 'postgres') await dropSchema(schema);
    },
  };
}

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  token: string;
  refreshToken: string;
}

export interface Harness {
  backend: Backend;
  app: Express;
  config: Config;
  /** The service's database handle. */
  database: Database;
  /** SQL straight to the tables, beside the API. */
  db: Sql;
  services: Services;
  logs: string[];
  http: () => ReturnType<typeof request>;
  createUser: (role: Role, name?: string) => Promise<TestUser>;
  login: (email: string, password: string) => Promise<{ token: string; refreshToken: string }>;
  /** The audit rows of one request, read straight from the table (not through the API). */
  auditOf: (requestId: string) => Promise<Record<string, unknown>[]>;
  close: () => Promise<void>;
}

let counter = 0;

export async function startHarness(backend: Backend, extra: Record<string, string> = {}): Promise<Harness> {
  const { env, cleanup } = testEnv(backend, extra);
  const config = loadConfig(env, '0.0.0-test');
  const database = await openDatabase(config.database);
  await createMigrator(database).up();
  const db = new Sql(database);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const app = createApp({ config, db: database, logger });
  const services = app.locals.services;
  const http = () => request(app);
  const login = async (email: string, password: string) => {
    const res = await http().post('/auth/login').send({ email, password });
    if (res.status !== 200)
      throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { token: res.body.accessToken as string, refreshToken: res.body.refreshToken as string };
  };
  const createUser = async (role: Role, name?: string): Promise<TestUser> => {
    counter += 1;
    const email = `${role}${counter}-${randomBytes(3).toString('hex')}@test.legal`;
    const password = `pw-${randomBytes(9).toString('hex')}`;
    const user = await services.repositories.users.create({
      email,
      name: name ?? `${role} ${counter}`,
      role,
      passwordHash: await services.hasher.hash(password),
    });
    return { id: user.id, email, password, role, ...(await login(email, password)) };
  };
  const auditOf = async (requestId: string) =>
    db.all('SELECT * FROM audit_events WHERE request_id = :requestId ORDER BY id', { requestId });
  return {
    backend,
    app,
    config,
    database,
    db,
    services,
    logs,
    http,
    createUser,
    login,
    auditOf,
    close: async () => {
      await db.close().catch(() => undefined); // may already be closed by the test
      await cleanup();
    },
  };
}

/** The users a suite starts with, by the names its tests call them: a role, or a role and a display name. */
export type Cast = Record<string, Role | readonly [Role, string]>;

type Members<C extends Cast> = { h: Harness } & { [Name in keyof C]: TestUser };

/**
 * A harness on `backend` (with `env`, or what `env()` gives once the earlier `beforeAll`s have run) and the users of
 * `people`, made in its order before the tests of the enclosing describe and closed after them. The harness and each
 * user are filled in then, not when this returns: take them apart at the top of the describe, use them in hooks and
 * tests.
 */
export function cast<const C extends Cast>(
  backend: Backend,
  people: C,
  env: Record<string, string> | (() => Record<string, string>) = {},
): Members<C> {
  const h = {} as Harness;
  const users: Record<string, TestUser> = {};
  for (const name of Object.keys(people)) users[name] = {} as TestUser;
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(backend, typeof env === 'function' ? env() : env);
    Object.assign(h, started);
    for (const [name, who] of Object.entries(people)) {
      const [role, displayName] = typeof who === 'string' ? [who] : who;
      Object.assign(users[name]!, await started.createUser(role, displayName));
    }
  });
  afterAll(async () => {
    await started?.close();
  });
  return { h, ...users } as Members<C>;
}
