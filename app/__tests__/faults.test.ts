/**
 * Fault injection with real components: the service runs as its own process while the test stops its Redis,
 * fills or write-protects its disk and closes its PostgreSQL database, then checks what a client sees and what
 * the log says. The answer times are printed as a table at the end (docs/benchmarks.md quotes them).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  chmodSync,
  chownSync,
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { closedPort, startS3 } from './helpers/documents.js';
import {
  createDedicatedDatabase,
  logLines,
  mountTmpfs,
  readOnlyFileUser,
  redisServerMissing,
  startRedisServer,
  waitFor,
  type Tmpfs,
} from './helpers/faults.js';
import { backends, startHarness, testEnv, type Backend } from './helpers/harness.js';
import { launchServer, startServer, type Running } from './helpers/server-process.js';

const inCi = process.env.CI === 'true';
/** A component this machine lacks: skipped with a one-line reason, or a failure in CI. */
function requireComponent(why: string | undefined): boolean {
  if (why === undefined) return true;
  if (inCi) throw new Error(`required in CI: ${why}`);
  console.warn(`skipping: ${why}`);
  return false;
}

const ADMIN = { ADMIN_EMAIL: 'admin@fault.legal', ADMIN_PASSWORD: 'fault-password-1234' };
const METRICS_TOKEN = 'fault-metrics-token-0123456789';
const PROBLEMS = 'https://legal-service.example/problems/';

const cleanups: (() => Promise<void> | void)[] = [];
const running: Running[] = [];
interface Figure {
  scenario: string;
  backend: Backend;
  request: string;
  status: number;
  times: number[];
}
const figures: Figure[] = [];

afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup();
  const rows = figures.map((f) => {
    const sorted = [...f.times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return `| ${f.scenario} | ${f.backend} | ${f.request} | ${f.status} | ${f.times.length} | ${median.toFixed(1)} | ${sorted.at(-1)!.toFixed(1)} |`;
  });
  if (rows.length > 0)
    console.log(
      [
        '| dependency down | database | request | status | n | median ms | max ms |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    );
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { checks?: Record<string, { status: string; problem?: string }> };
  text: string;
  ms: number;
}

/** A client of the service on `port`: JSON in, JSON (or text) out, with the time each answer took. */
function client(port: number) {
  return async (
    method: string,
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : {}, text, ms };
  };
}
type Client = ReturnType<typeof client>;

/** Sends the same request `n` times in a row, records the figure, and returns the answers. */
async function measure(
  call: () => Promise<Answer>,
  n: number,
  figure: Omit<Figure, 'times' | 'status'>,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i += 1) answers.push(await call());
  figures.push({ ...figure, status: answers[0]!.status, times: answers.map((a) => a.ms) });
  return answers;
}

async function signIn(call: Client): Promise<string> {
  const res = await call('POST', '/auth/login', {
    body: { email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD },
  });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

async function start(env: Record<string, string>, as?: { uid: number; gid: number }): Promise<Running> {
  const server = await startServer(env, as);
  running.push(server);
  return server;
}

/** The service on a PostgreSQL database of its own (dropped afterwards), its administrator signed in. */
async function onOwnDatabase() {
  const db = await createDedicatedDatabase();
  cleanups.push(() => db.drop());
  const { env, cleanup } = testEnv('postgres', { ...ADMIN, DATABASE_URL: db.url });
  cleanups.push(cleanup);
  const server = await start(env);
  const call = client(server.port);
  return { db, server, call, token: await signIn(call) };
}

async function stop(server: Running): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exit).toBe(0);
}

function expectUnavailable(res: Answer, condition: string, retryAfter: string): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect(res.body).toMatchObject({
    type: `${PROBLEMS}${condition}`,
    status: 503,
    title: 'Service Unavailable',
  });
}

/** Retries `call` until `done` holds (a dependency coming back takes a moment), within `ms`. */
async function eventually(
  call: () => Promise<Answer>,
  done: (a: Answer) => boolean,
  ms = 15_000,
): Promise<Answer> {
  const until = Date.now() + ms;
  for (;;) {
    const answer = await call();
    if (done(answer) || Date.now() > until) return answer;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

const haveRedisServer = requireComponent(redisServerMissing());
const all = await backends();

describe.each(all)('Redis failing, on %s', (backend) => {
  (haveRedisServer ? test : test.skip)(
    'when Redis stops and comes back, then logins answer at once, limits hold in memory, readiness says degraded, and the log says so once each way',
    async () => {
      const redis = await startRedisServer(await closedPort());
      cleanups.push(() => redis.stop());
      const { env, cleanup } = testEnv(backend, {
        ...ADMIN,
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        REDIS_KEY_PREFIX: `fault-${randomBytes(4).toString('hex')}`,
        METRICS_TOKEN,
        RATE_LIMIT_USER_PER_MINUTE: '30',
      });
      cleanups.push(cleanup);
      const server = await start(env);
      const call = client(server.port);
      await waitFor(server.stdout, /redis connected/);
      const token = await signIn(call);
      const ready = await call('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' } } });

      await redis.stop();
      const logins = await measure(
        () =>
          call('POST', '/auth/login', { body: { email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD } }),
        10,
        { scenario: 'Redis', backend, request: 'POST /auth/login' },
      );
      for (const login of logins) {
        expect(login.status).toBe(200);
        expect(login.ms).toBeLessThan(1000);
      }
      const [degraded] = await measure(() => call('GET', '/health/ready'), 5, {
        scenario: 'Redis',
        backend,
        request: 'GET /health/ready',
      });
      expect(degraded!.status).toBe(200);
      expect(degraded!.body).toMatchObject({
        status: 'degraded',
        checks: { database: { status: 'up' }, redis: { status: 'down', problem: 'unreachable' } },
      });
      // the per-user limit holds, in this instance's memory: 30 a minute, counted from the outage
      const me = () => call('GET', '/users/me', { token });
      const statuses: number[] = [];
      for (let i = 0; i < 31; i += 1) statuses.push((await me()).status);
      expect(statuses).toEqual([...Array<number>(30).fill(200), 429]);
      // several reconnection attempts later, still one line about it
      await new Promise((r) => setTimeout(r, 3000));
      expect(logLines(server.stdout(), /^redis is unreachable/)).toHaveLength(1);
      expect(logLines(server.stdout(), /^redis error/)).toHaveLength(0);
      const metrics = await call('GET', '/metrics', { token: METRICS_TOKEN });
      expect(metric(metrics.text, 'redis_degraded_seconds_total')).toBeGreaterThan(3);

      const again = await startRedisServer(redis.port);
      cleanups.push(() => again.stop());
      await waitFor(server.stdout, /redis is reachable again/);
      expect(logLines(server.stdout(), /^redis is reachable again/)).toHaveLength(1);
      expect((await call('GET', '/health/ready')).body).toMatchObject({ status: 'ready' });
      const first = metric(
        (await call('GET', '/metrics', { token: METRICS_TOKEN })).text,
        'redis_degraded_seconds_total',
      );
      await new Promise((r) => setTimeout(r, 1000));
      const second = metric(
        (await call('GET', '/metrics', { token: METRICS_TOKEN })).text,
        'redis_degraded_seconds_total',
      );
      expect(second - first).toBeLessThan(0.2);
      expect(
        logLines(server.stdout(), /^request completed$/).filter(
          (l) => Number((l.res as { statusCode: number }).statusCode) >= 500,
        ),
      ).toHaveLength(0);
      await stop(server);
      await again.stop();
    },
    90_000,
  );
});

describe('database failing', () => {
  const havePostgres = all.includes('postgres');

  (havePostgres ? test : test.skip)(
    'when PostgreSQL goes away during traffic and comes back, then 503s with Retry-After meanwhile and full service after, in the same process',
    async () => {
      const { db, server, call, token } = await onOwnDatabase();
      expect(
        (await call('POST', '/cases', { token, body: { title: 'Before', clientName: 'Acme' } })).status,
      ).toBe(201);

      await db.cut();
      const reads = await measure(() => call('GET', '/cases', { token }), 10, {
        scenario: 'PostgreSQL',
        backend: 'postgres',
        request: 'GET /cases',
      });
      for (const read of reads) expectUnavailable(read, 'database-unavailable', '5');
      expectUnavailable(
        await call('POST', '/cases', { token, body: { title: 'During', clientName: 'Acme' } }),
        'database-unavailable',
        '5',
      );
      expectUnavailable(
        await call('POST', '/auth/login', {
          body: { email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD },
        }),
        'database-unavailable',
        '5',
      );
      expect((await call('GET', '/health')).status).toBe(200);
      const [notReady] = await measure(() => call('GET', '/health/ready'), 5, {
        scenario: 'PostgreSQL',
        backend: 'postgres',
        request: 'GET /health/ready',
      });
      expect(notReady!.status).toBe(503);
      expect(notReady!.body).toMatchObject({
        type: `${PROBLEMS}not-ready`,
        detail: 'Not ready: database (database-unavailable).',
        checks: { database: { status: 'down', problem: 'database-unavailable' } },
      });

      await db.mend();
      const back = await eventually(
        () => call('GET', '/cases', { token }),
        (a) => a.status === 200,
      );
      expect(back.status).toBe(200);
      expect((back.body.data as { title: string }[]).map((c) => c.title)).toEqual(['Before']);
      expect(
        (await call('POST', '/cases', { token, body: { title: 'After', clientName: 'Acme' } })).status,
      ).toBe(201);
      expect((await call('GET', '/health/ready')).status).toBe(200);
      expect(server.child.exitCode).toBeNull(); // the same process all along
      await waitFor(server.stdout, /"msg":"readiness: database is up again"/, 5000);
      const log = server.stdout();
      expect(logLines(log, /^answering 503: database-unavailable$/).length).toBeGreaterThanOrEqual(12);
      expect(logLines(log, /^readiness: database is down \(database-unavailable\)$/)).toHaveLength(1);
      expect(logLines(log, /^readiness: database is up again$/)).toHaveLength(1);
      expect(logLines(log, /^unhandled error$/)).toHaveLength(0);
      await stop(server);
    },
    90_000,
  );

  (havePostgres ? test : test.skip)(
    'when PostgreSQL refuses connections at start, then each attempt is logged with its wait and the service starts once it is back',
    async () => {
      const db = await createDedicatedDatabase();
      cleanups.push(() => db.drop());
      await db.cut();
      const { env, cleanup } = testEnv('postgres', {
        ...ADMIN,
        DATABASE_URL: db.url,
        DATABASE_CONNECT_ATTEMPTS: '30',
      });
      cleanups.push(cleanup);
      const launched = launchServer(env);
      cleanups.push(() => void launched.child.kill('SIGKILL'));
      await waitFor(launched.stdout, /"attempt":2,/);
      await db.mend();
      const port = await launched.listening;
      const attempts = logLines(launched.stdout(), /^database not reachable at DATABASE_URL/);
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts[0]).toMatchObject({
        level: 40,
        attempt: 1,
        attempts: 30,
        err: expect.stringContaining(db.name),
      });
      expect(attempts[0]!.retryInMs).toEqual(expect.any(Number));
      expect(attempts[0]!.msg).toBe(`database not reachable at DATABASE_URL (${db.url}); retrying`);
      expect((await client(port)('GET', '/health/ready')).status).toBe(200);
      launched.child.kill('SIGTERM');
      expect(await launched.exit).toBe(0);
    },
    90_000,
  );

  test.each(all)(
    'when the database stays unreachable at start (%s), then the service exits 1 after DATABASE_CONNECT_ATTEMPTS naming the variable and the error',
    async (backend) => {
      const blocker = mkdtempSync(path.join(tmpdir(), 'legal-blocked-'));
      cleanups.push(() => rmSync(blocker, { recursive: true, force: true }));
      writeFileSync(path.join(blocker, 'file'), 'not a directory');
      const port = await closedPort();
      const where: Record<string, string> =
        backend === 'sqlite'
          ? { DATA_DIR: path.join(blocker, 'file', 'data') }
          : { DATABASE_URL: `postgres://postgres:secret-pw@127.0.0.1:${port}/legal` };
      const { env, cleanup } = testEnv(backend, { DATABASE_CONNECT_ATTEMPTS: '3', ...where });
      cleanups.push(cleanup);
      const started = performance.now();
      const launched = launchServer(env);
      expect(await launched.exit).toBe(1);
      const ms = performance.now() - started;
      const out = launched.stdout();
      expect(out).not.toContain('secret-pw');
      const retries = logLines(out, /^database not reachable at /);
      expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
      const [fatal] = logLines(out, /the database is not reachable after 3 attempts/);
      expect(fatal).toMatchObject({ level: 60 });
      if (backend === 'sqlite') {
        expect(fatal!.msg).toMatch(
          new RegExp(
            `^DATA_DIR \\(SQLite file ${path.join(blocker, 'file', 'data', 'legal.sqlite')}\\): the database is not reachable after 3 attempts: .*ENOTDIR`,
          ),
        );
      } else {
        expect(fatal!.msg).toBe(
          `DATABASE_URL (postgres://postgres@127.0.0.1:${port}/legal): the database is not reachable after 3 attempts: connect ECONNREFUSED 127.0.0.1:${port}`,
        );
      }
      // two waits of 0.25-0.5 s and 0.5-1 s, plus the start of node itself
      expect(ms).toBeGreaterThan(750);
    },
    60_000,
  );
});

describe('storage full or read-only', () => {
  const mounted = mountTmpfs(32);
  const tmpfs = typeof mounted === 'object' ? (mounted as Tmpfs) : undefined;
  if (tmpfs) cleanups.push(() => tmpfs.unmount());
  const runAs = readOnlyFileUser();
  const asUser = typeof runAs === 'object' ? runAs : undefined;
  const whyNoTmpfs = typeof mounted === 'string' ? mounted : undefined;
  const whyNoReadOnly = typeof runAs === 'string' ? runAs : undefined;
  // One way or the other SQLite's storage must refuse writes here: a full tmpfs, or a read-only file.
  if (whyNoTmpfs && whyNoReadOnly) requireComponent(`${whyNoTmpfs}; ${whyNoReadOnly}`);
  else for (const why of [whyNoTmpfs, whyNoReadOnly]) if (why) console.warn(`skipping: ${why}`);
  const canMount = whyNoTmpfs === undefined;

  (canMount ? test : test.skip)(
    'when the disk under DATA_DIR fills up (SQLite), then writes are 503 storage-full before it is full, reads go on, and nothing is a 500',
    async () => {
      const { env, cleanup } = testEnv('sqlite', {
        ...ADMIN,
        DATA_DIR: tmpfs!.dir,
        DATA_DIR_MIN_FREE_MB: '8',
      });
      cleanups.push(cleanup);
      const server = await start(env);
      const call = client(server.port);
      const token = await signIn(call);
      expect(
        (await call('POST', '/cases', { token, body: { title: 'Before', clientName: 'Acme' } })).status,
      ).toBe(201);
      // leave 4 MiB: under the 8 MiB kept for the audit trail
      const filler = path.join(tmpfs!.dir, 'filler');
      const free = () => {
        const s = statfsSync(tmpfs!.dir);
        return s.bavail * s.bsize;
      };
      writeFileSync(filler, Buffer.alloc(free() - 4 * 1024 * 1024));
      const writes = await measure(
        () => call('POST', '/cases', { token, body: { title: 'During', clientName: 'Acme' } }),
        10,
        { scenario: 'disk nearly full (< DATA_DIR_MIN_FREE_MB)', backend: 'sqlite', request: 'POST /cases' },
      );
      for (const write of writes) expectUnavailable(write, 'storage-full', '60');
      expectUnavailable(
        await call('POST', '/auth/login', {
          body: { email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD },
        }),
        'storage-full',
        '60',
      );
      const reads = await measure(() => call('GET', '/cases', { token }), 10, {
        scenario: 'disk nearly full (< DATA_DIR_MIN_FREE_MB)',
        backend: 'sqlite',
        request: 'GET /cases',
      });
      for (const read of reads) expect(read.status).toBe(200);
      expect((reads[0]!.body.data as { title: string }[]).map((c) => c.title)).toEqual(['Before']);
      const ready = await call('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ detail: 'Not ready: database (storage-full).' });
      expect((await call('GET', '/health')).status).toBe(200);

      // now truly full: a read whose audit event cannot be stored is refused, never served unaudited
      const fd = openSync(filler, 'a');
      try {
        for (;;) writeSync(fd, Buffer.alloc(64 * 1024));
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      const full: Answer[] = [];
      for (let i = 0; i < 20 && !full.some((a) => a.status === 503); i += 1)
        full.push(await call('GET', '/cases', { token }));
      expect(full.map((a) => a.status).every((s) => s === 200 || s === 503)).toBe(true);
      const refused = full.find((a) => a.status === 503)!;
      expectUnavailable(refused, 'audit-unavailable', '5');
      expect(refused.body.detail).toContain("(the database's storage is full)");
      expect(refused.text).not.toContain('Before');
      expectUnavailable(
        await call('POST', '/cases', { token, body: { title: 'Full', clientName: 'Acme' } }),
        'storage-full',
        '60',
      );
      expect(logLines(server.stdout(), /^answering 503: audit-unavailable$/)[0]).toMatchObject({
        err: { message: expect.stringContaining('SQLITE_FULL') },
      });

      rmSync(filler);
      expect(
        (await call('POST', '/cases', { token, body: { title: 'After', clientName: 'Acme' } })).status,
      ).toBe(201);
      expect((await call('GET', '/health/ready')).status).toBe(200);
      // The log line is written as the check completes; the pipe may hand it over after the answer.
      await waitFor(server.stdout, /"msg":"readiness: database is up again"/, 5000);
      const log = server.stdout();
      expect(logLines(log, /^readiness: database is down \(storage-full\)$/)).toHaveLength(1);
      expect(logLines(log, /^readiness: database is up again$/)).toHaveLength(1);
      expect(logLines(log, /^unhandled error$/)).toHaveLength(0);
      await stop(server);
    },
    90_000,
  );

  (whyNoReadOnly === undefined ? test : test.skip)(
    'when the SQLite file is read-only, then writes are 503 database-read-only and reads are refused for want of their audit record',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'legal-readonly-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      if (asUser) chownSync(dir, asUser.uid, asUser.gid);
      const { env, cleanup } = testEnv('sqlite', { ...ADMIN, DATA_DIR: dir });
      cleanups.push(cleanup);
      const writable = await start(env, asUser);
      const token = await signIn(client(writable.port));
      await stop(writable);
      chmodSync(path.join(dir, 'legal.sqlite'), 0o444);

      const server = await start(env, asUser);
      const call = client(server.port);
      await expectReadOnly(call, token, 'sqlite');
      await stop(server);
    },
    60_000,
  );

  (all.includes('postgres') ? test : test.skip)(
    'when PostgreSQL turns read-only (a standby), then writes are 503 database-read-only, reads are refused for want of their audit record, and all is well after',
    async () => {
      const { db, server, call, token } = await onOwnDatabase();
      await db.readOnly(true);
      await expectReadOnly(call, token, 'postgres');
      await db.readOnly(false);
      const back = await eventually(
        () => call('POST', '/cases', { token, body: { title: 'After', clientName: 'Acme' } }),
        (a) => a.status === 201,
      );
      expect(back.status).toBe(201);
      expect((await call('GET', '/cases', { token })).status).toBe(200);
      await stop(server);
    },
    60_000,
  );

  async function expectReadOnly(call: Client, token: string, backend: Backend): Promise<void> {
    // Sessions ended by the switch may first fail as lost connections (503 database-unavailable).
    const write = () => call('POST', '/cases', { token, body: { title: 'During', clientName: 'Acme' } });
    await eventually(write, (a) => a.body.type === `${PROBLEMS}database-read-only`);
    const writes = await measure(write, 10, {
      scenario: 'database read-only',
      backend,
      request: 'POST /cases',
    });
    for (const answer of writes) {
      expectUnavailable(answer, 'database-read-only', '60');
      expect(answer.body.detail).toBe('The database is read-only; nothing was written. Try again later.');
    }
    const reads = await measure(() => call('GET', '/cases', { token }), 10, {
      scenario: 'database read-only',
      backend,
      request: 'GET /cases',
    });
    for (const read of reads) {
      expectUnavailable(read, 'audit-unavailable', '5');
      expect(read.body.detail).toBe(
        'The audit event of this request could not be stored (the database is read-only), so the request was refused: nothing is served or changed without its audit record. Try again later.',
      );
    }
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ detail: 'Not ready: database (database-read-only).' });
    expect((await call('GET', '/health')).status).toBe(200);
  }
});

describe.each(all)('audit trail refusing events, on %s', (backend) => {
  test('when an audit event cannot be stored, then the read is refused (503) and the write leaves nothing behind', async () => {
    const h = await startHarness(backend);
    cleanups.push(() => h.close());
    const u = await h.createUser('attorney');
    const auth = { Authorization: `Bearer ${u.token}` };
    expect((await h.http().post('/cases').set(auth).send({ title: 'Seen', clientName: 'Acme' })).status).toBe(
      201,
    );
    const refuse =
      backend === 'sqlite'
        ? [
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
          ]
        : [
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
            'CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()',
          ];
    for (const sql of refuse) await h.db.run(sql);
    const read = await h.http().get('/cases').set(auth);
    expect(read.status).toBe(503);
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(read.headers['retry-after']).toBe('5');
    expect(read.body).toMatchObject({
      type: `${PROBLEMS}audit-unavailable`,
      detail:
        'The audit event of this request could not be stored, so the request was refused: nothing is served or changed without its audit record. Try again later.',
    });
    expect(JSON.stringify(read.body)).not.toContain('Seen');
    const write = await h.http().post('/cases').set(auth).send({ title: 'Unaudited', clientName: 'Acme' });
    expect(write.status).toBe(503);
    expect(write.body.type).toBe(`${PROBLEMS}audit-unavailable`);
    expect(await h.db.all("SELECT id FROM cases WHERE title = 'Unaudited'")).toEqual([]);
    expect(h.logs.join('')).toMatch(/"msg":"answering 503: audit-unavailable"/);
  });
});

describe('S3 failing', () => {
  test('when the S3 store stops, then /health/ready is 503 naming the documents store while /health stays 200', async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
    const s3 = await startS3();
    const h = await startHarness('sqlite', {
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_TIMEOUT_MS: '500',
    });
    cleanups.push(() => h.close());
    const up = await h.http().get('/health/ready');
    expect(up.status).toBe(200);
    expect(up.body.checks).toMatchObject({ database: { status: 'up' }, documents: { status: 'up' } });
    await s3.close();
    const started = performance.now();
    const down = await h.http().get('/health/ready');
    figures.push({
      scenario: 'S3',
      backend: 'sqlite',
      request: 'GET /health/ready',
      status: down.status,
      times: [performance.now() - started],
    });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      detail: 'Not ready: documents (unreachable).',
      checks: { database: { status: 'up' }, documents: { status: 'down', problem: 'unreachable' } },
    });
    expect((await h.http().get('/health')).status).toBe(200);
    expect(h.logs.join('')).toMatch(/"msg":"readiness: documents is down \(unreachable\)"/);
  });
});
