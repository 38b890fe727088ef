import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../src/config.js';
import { bearer } from './helpers/api.js';
import { backends, cast, startHarness, testEnv } from './helpers/harness.js';
import { executable, pdf } from './helpers/documents.js';
import { appDir, node, withTsx } from './helpers/server-process.js';

const TOKEN = 'metrics-token-0123456789abcdef';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

/**
 * A parser of the Prometheus text exposition format (version 0.0.4), written from the format's
 * specification and independent of prom-client: `# TYPE` lines, then `name{label="value",...} value`.
 */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? '';
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    let consumed = 0;
    for (let l = re.exec(labelText); l; l = re.exec(labelText)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
      consumed += l[0].length;
    }
    if (consumed !== labelText.length) throw new Error(`malformed labels: ${line}`);
    // Values are floats as Go's strconv.ParseFloat reads them: NaN and ±Inf in any letter case.
    const raw = m[3]!;
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(raw);
    const value = special
      ? special[2]!.toLowerCase() === 'nan'
        ? NaN
        : special[1] === '-'
          ? -Infinity
          : Infinity
      : Number(raw);
    if (!special && (Number.isNaN(value) || raw === '')) throw new Error(`malformed value: ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

const find = (e: Exposition, name: string, labels: Record<string, string> = {}) =>
  e.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe.each(await backends())('GET /metrics on %s', (backend) => {
  const { h, attorney } = cast(backend, { attorney: 'attorney' }, { METRICS_TOKEN: TOKEN });

  const scrape = async () => {
    const res = await h.http().get('/metrics').set(bearer(TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(res.text);
  };

  test('when the token is missing or wrong, then 401 with WWW-Authenticate and no metrics', async () => {
    for (const headers of [
      {},
      bearer('wrong-token-wrong-token'),
      { Authorization: TOKEN },
      bearer(`${TOKEN}x`),
    ]) {
      const res = await h.http().get('/metrics').set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain('http_request_duration_seconds');
    }
    expect((await h.http().get('/metrics').set('Authorization', `bearer ${TOKEN}`)).status).toBe(200);
  });

  test('when requests were served, then the histogram counts them by route template and status, never by concrete path', async () => {
    const before = await scrape();
    const created = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'M', clientName: 'C' });
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++)
      expect((await h.http().get(`/cases/${created.body.id}`).set(bearer(attorney.token))).status).toBe(200);
    expect((await h.http().get('/cases/999999').set(bearer(attorney.token))).status).toBe(404);
    expect((await h.http().get('/no/such/route')).status).toBe(404);
    const after = await scrape();
    expect(after.types.get('http_request_duration_seconds')).toBe('histogram');
    const count = (e: Exposition, labels: Record<string, string>) =>
      find(e, 'http_request_duration_seconds_count', labels).reduce((n, s) => n + s.value, 0);
    const ok = { method: 'GET', route: '/cases/:id', status_code: '200' };
    expect(count(after, ok) - count(before, ok)).toBe(3);
    const missing = { method: 'GET', route: '/cases/:id', status_code: '404' };
    expect(count(after, missing) - count(before, missing)).toBe(1);
    const posted = { method: 'POST', route: '/cases', status_code: '201' };
    expect(count(after, posted) - count(before, posted)).toBe(1);
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
    expect(count(after, unmatched) - count(before, unmatched)).toBe(1);
    const routes = new Set(find(after, 'http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].some((r) => /\d/.test(r!))).toBe(false);
    // buckets are cumulative and end in +Inf = count; the sum is a positive duration
    const buckets = find(after, 'http_request_duration_seconds_bucket', ok).sort(
      (a, b) =>
        Number(a.labels.le === '+Inf' ? Infinity : a.labels.le) -
        Number(b.labels.le === '+Inf' ? Infinity : b.labels.le),
    );
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(buckets.at(-1)!.value).toBe(count(after, ok));
    expect(find(after, 'http_request_duration_seconds_sum', ok)[0]!.value).toBeGreaterThan(0);
  });

  test('when scraped, then the database pool gauges and the default process metrics are there', async () => {
    const e = await scrape();
    for (const name of ['db_pool_connections', 'db_pool_pending_acquires', 'db_pool_max_connections'])
      expect(e.types.get(name)).toBe('gauge');
    expect(find(e, 'db_pool_max_connections', { dialect: backend })[0]!.value).toBe(
      backend === 'postgres' ? 5 : 1,
    );
    expect(find(e, 'db_pool_connections', { dialect: backend, state: 'in_use' })).toHaveLength(1);
    expect(find(e, 'db_pool_pending_acquires', { dialect: backend })[0]!.value).toBe(0);
    expect(e.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(find(e, 'process_resident_memory_bytes')[0]!.value).toBeGreaterThan(0);
    expect(find(e, 'nodejs_heap_size_used_bytes')[0]!.value).toBeGreaterThan(0);
    expect(e.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  if (backend === 'postgres')
    test('when connections are held, then the in-use gauge counts them (checked against the pool size sequelize reports)', async () => {
      const inUse = (e: Exposition) =>
        find(e, 'db_pool_connections', { dialect: 'postgres', state: 'in_use' })[0]!.value;
      const idle = await scrape();
      const { sequelize } = h.database;
      const held = await Promise.all([sequelize.transaction(), sequelize.transaction()]);
      // PostgreSQL's own view: two more backends of this pool sit "idle in transaction"
      const busy = await h.db.all<{ n: unknown }>(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()",
      );
      expect(Number(busy[0]!.n)).toBeGreaterThanOrEqual(2);
      const during = await scrape();
      expect(inUse(during) - inUse(idle)).toBe(2);
      await Promise.all(held.map((t) => t.rollback()));
      expect(inUse(await scrape())).toBe(inUse(idle));
    });

  test('when the database refuses audit events, then audit_write_failures_total counts each lost event', async () => {
    const failures = (e: Exposition) => find(e, 'audit_write_failures_total')[0]!.value;
    const before = await scrape();
    expect(before.types.get('audit_write_failures_total')).toBe('counter');
    // A trigger that refuses every insert: the real failure path of the database, not a stand-in.
    const refuse =
      backend === 'sqlite'
        ? [
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
          ]
        : [
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
            'CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()',
          ];
    const allow =
      backend === 'sqlite'
        ? ['DROP TRIGGER refuse_audit']
        : ['DROP TRIGGER refuse_audit ON audit_events', 'DROP FUNCTION refuse_audit()'];
    for (const sql of refuse) await h.db.run(sql);
    try {
      const res = await h.http().get('/cases').set(bearer(attorney.token));
      expect(res.status).toBe(503);
    } finally {
      for (const sql of allow) await h.db.run(sql);
    }
    // Two events of that request were lost: its success event (whose failure turned the answer into a 503)
    // and the failure event written in its place.
    expect(failures(await scrape()) - failures(before)).toBe(2);
    expect((await h.http().get('/cases').set(bearer(attorney.token))).status).toBe(200);
    expect(failures(await scrape()) - failures(before)).toBe(2);
  });

  test('when document storage fails, then the failure counter rises; a refused upload or a success does not raise it', async () => {
    const value = (e: Exposition, name: string, operation: string) =>
      find(e, name, { store: 'local', operation })[0]?.value ?? NaN;
    const started = await scrape();
    for (const operation of ['put', 'get', 'delete'])
      for (const name of ['document_storage_operations_total', 'document_storage_failures_total'])
        expect(value(started, name, operation)).toBeGreaterThanOrEqual(0);
    const c = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'Docs', clientName: 'D' });
    const upload = (data: Buffer, name: string) =>
      h.http().post(`/cases/${c.body.id}/documents`).set(bearer(attorney.token)).attach('file', data, name);
    // A file where the storage directory should be: every write below it fails (ENOTDIR), even for root.
    const dir = h.config.documents.dir;
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a directory');
    try {
      expect((await upload(pdf(5000), 'down.pdf')).status).toBe(503);
    } finally {
      rmSync(dir, { force: true });
      mkdirSync(dir, { recursive: true });
    }
    const afterDown = await scrape();
    const delta = (e: Exposition, name: string, operation: string) =>
      value(e, name, operation) - value(started, name, operation);
    expect(delta(afterDown, 'document_storage_operations_total', 'put')).toBe(1);
    expect(delta(afterDown, 'document_storage_failures_total', 'put')).toBe(1);
    expect((await upload(executable(), 'tool.bin')).status).toBe(415);
    const stored = await upload(pdf(5000), 'up.pdf');
    expect(stored.status).toBe(201);
    expect(
      (await h.http().get(`/documents/${stored.body.id}/download`).set(bearer(attorney.token))).status,
    ).toBe(200);
    const end = await scrape();
    expect(delta(end, 'document_storage_operations_total', 'put')).toBe(3);
    expect(delta(end, 'document_storage_failures_total', 'put')).toBe(1);
    expect(delta(end, 'document_storage_operations_total', 'get')).toBe(1);
    expect(delta(end, 'document_storage_failures_total', 'get')).toBe(0);
  });

  test('when metrics are served on their own port, then no token is needed there and only GET /metrics answers', async () => {
    const server: Server = await h.services.metrics.listen(0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const e = parseExposition(await res.text());
      expect(e.types.get('http_request_duration_seconds')).toBe('histogram');
      expect((await fetch(`http://127.0.0.1:${port}/cases`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('metrics configuration', () => {
  test('when neither METRICS_TOKEN nor METRICS_PORT is set, then GET /metrics is a 404 that says how to turn it on', async () => {
    const h = await startHarness('sqlite');
    try {
      const res = await h.http().get('/metrics');
      expect(res.status).toBe(404);
      expect(res.body.detail).toContain('METRICS_TOKEN');
    } finally {
      await h.close();
    }
  });

  test('when only METRICS_PORT is set, then the API port refuses /metrics and points at that port', async () => {
    const h = await startHarness('sqlite', { METRICS_PORT: '9464' });
    try {
      const res = await h.http().get('/metrics').set(bearer(TOKEN));
      expect(res.status).toBe(404);
      expect(res.body.detail).toContain('port 9464');
    } finally {
      await h.close();
    }
  });

  test.each([
    [
      { METRICS_TOKEN: 'short' },
      /^ {2}METRICS_TOKEN: expected at least 16 characters \(got a value that does not fit\)$/m,
    ],
    [{ METRICS_PORT: 'http' }, /^ {2}METRICS_PORT: .*\(got 'http'\)$/m],
    [{ METRICS_PORT: '70000' }, /^ {2}METRICS_PORT: .*\(got '70000'\)$/m],
    [{ REQUIRE_CONFLICT_CHECK: 'yes' }, /^ {2}REQUIRE_CONFLICT_CHECK: .*\(got 'yes'\)$/m],
    [
      { CONFLICT_MATCH_THRESHOLD: '1.5' },
      /^ {2}CONFLICT_MATCH_THRESHOLD: expected a number between 0.5 and 1 \(got '1.5'\)$/m,
    ],
    [
      { CONFLICT_MATCH_THRESHOLD: 'high' },
      /^ {2}CONFLICT_MATCH_THRESHOLD: expected a number between 0.5 and 1 \(got 'high'\)$/m,
    ],
  ])('when the environment holds %j, then the configuration error names the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('when the variables are valid, then they reach the configuration; the defaults are off and 0.85', () => {
    expect(loadConfig({}).conflicts).toEqual({ required: false, threshold: 0.85 });
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
    const c = loadConfig({
      REQUIRE_CONFLICT_CHECK: 'true',
      CONFLICT_MATCH_THRESHOLD: '0.9',
      METRICS_TOKEN: TOKEN,
      METRICS_PORT: '9464',
    });
    expect(c.conflicts).toEqual({ required: true, threshold: 0.9 });
    expect(c.metrics).toEqual({ token: TOKEN, port: 9464 });
  });
});

describe('server process with METRICS_PORT', () => {
  test('when the service starts with METRICS_PORT, then that port serves /metrics without a token and SIGTERM still exits 0', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const metricsPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { env, cleanup } = testEnv('sqlite', { METRICS_PORT: String(metricsPort) });
    // node with tsx's loader as one process: the tsx CLI's wrapper can exit on SIGTERM and leave the service running.
    const child = spawn(node, withTsx, {
      cwd: appDir,
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          // 'listening on' comes last, once the signal handlers are in place
          if (out.includes('metrics listener') && out.includes('"msg":"listening on')) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
        void exit.then((code) => {
          clearInterval(timer);
          reject(new Error(`server exited (${code}) before listening:\n${out}`));
        });
      });
      const apiPort = Number(/"port":(\d+).*"msg":"listening on/.exec(out)![1]);
      expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      const e = parseExposition(await res.text());
      expect(
        find(e, 'http_request_duration_seconds_count', { route: '/health', status_code: '200' })[0]!.value,
      ).toBe(1);
      expect((await fetch(`http://127.0.0.1:${apiPort}/metrics`)).status).toBe(404);
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await cleanup();
    }
  }, 60_000);
});
