/**
 * `npm run bench:api`: seeds 100,000 cases, then drives authenticated `GET /cases?limit=50` with autocannon
 * (50 connections, loopback only) on SQLite and on PostgreSQL, and a bare Express hello-world route in the
 * same run as the baseline. Prints throughput ratios and p99 latency. Then each target again at a constant
 * rate, open loop (bench/open-loop.ts: 200 requests/s for 20 s, latency from each request's due time).
 *
 * Environment: BENCH_CASES (100000), BENCH_DURATION seconds per target (10), BENCH_CONNECTIONS (50),
 * BENCH_RATE requests/s (200) and BENCH_RATE_DURATION seconds (20) of the constant-rate run,
 * BENCH_LOG_LEVEL for the service (info), TEST_DATABASE_URL / PGPASSWORD for PostgreSQL, BENCH_SERVICE_NODE_ARGS
 * for the service's node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under this load).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../stand-ins/net.js';
import { openLoop, type OpenLoopResult } from './open-loop.js';
import { loadConfig } from '../app/src/config.js';
import { openDatabase } from '../app/src/db/database.js';
import { createMigrator } from '../app/src/db/migrator.js';
import { ATTORNEY_EMAIL, pgUrl, seedLegalData } from './legal-data.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const RATE_DURATION = Number(process.env.BENCH_RATE_DURATION ?? 20);
/** Goals of issue 18: share of hello-world's req/s, and p99 at the constant rate. */
const GOALS: Record<string, number> = { sqlite: 0.1, postgres: 0.12 };
const P99_GOAL_MS = 20;
const root = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'bench-password-0123456789';

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

interface Result {
  name: string;
  /** The constant-rate, open-loop run of the same target. */
  fixed?: OpenLoopResult;
  rps: number;
  /** CPU time (user + system) the server process spent per request, in µs; undefined without /proc. */
  cpuPerRequest: number | undefined;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** CPU time of a process so far in ms (utime + stime from /proc, in clock ticks of 10 ms); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Throughput, latency and the server's CPU per request. The CPU figure is steadier than req/s on a shared machine:
 * time the hypervisor or other processes take from the server slows it down but is not charged to it.
 */
async function load(
  name: string,
  url: string,
  headers: Record<string, string>,
  server: ChildProcess,
): Promise<Result> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers }); // warm-up
  const before = cpuMs(server.pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const after = cpuMs(server.pid);
  const fixed = await openLoop({ url, headers, rate: RATE, durationSeconds: RATE_DURATION });
  return {
    name,
    fixed,
    rps: r.requests.average,
    cpuPerRequest:
      before === undefined || after === undefined ? undefined : ((after - before) * 1000) / r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

async function benchService(backend: 'sqlite' | 'postgres'): Promise<Result | undefined> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_DIR: dir,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    HOST: '127.0.0.1',
    // One user drives every request: the per-user limit would answer most of them 429.
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
    ...(backend === 'postgres' ? { DATABASE_URL: pgUrl(), DATABASE_SCHEMA: schema } : {}),
  };
  if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: pgUrl(), connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
    } catch {
      console.log(`postgres: skipped, ${pgUrl()} is not reachable`);
      return undefined;
    }
  }
  let child: ChildProcess | undefined;
  try {
    const config = loadConfig(env);
    const db = await openDatabase(config.database);
    await createMigrator(db).up();
    const t0 = Date.now();
    await seedLegalData(db, config, CASES, PASSWORD);
    console.log(`${backend}: seeded ${CASES} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await db.close();

    const port = await freePort();
    // What `npm start` runs: the compiled service (app/build), built once at the start of the run.
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    child = spawn(process.execPath, [...nodeArgs, path.join(root, 'app', 'build', 'server.js')], {
      cwd: path.join(root, 'app'),
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/health/ready`, child);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ATTORNEY_EMAIL, password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const check = (await (
      await fetch(`${base}/cases?limit=50`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as { data: unknown[] };
    if (check.data.length !== 50)
      throw new Error(`${backend}: expected 50 cases per page, got ${check.data.length}`);
    const cases = await load(
      `GET /cases?limit=50 (${backend})`,
      `${base}/cases?limit=50`,
      { authorization: `Bearer ${accessToken}` },
      child,
    );
    // The same middleware stack (request log, helmet, request ids, metrics) without database or auth: where the
    // framework alone stands against hello-world.
    if (backend === 'sqlite')
      extra.push(await load('GET /health (same stack, no db)', `${base}/health`, {}, child));
    return cases;
  } finally {
    if (child) await stop(child);
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: pgUrl() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}

async function benchHello(): Promise<Result> {
  const port = await freePort();
  const code = `import express from 'express'; const app = express(); app.get('/hello', (_q, r) => { r.json({ hello: 'world' }); }); app.listen(${port}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/hello`, child);
    return await load('hello-world (bare Express)', `http://127.0.0.1:${port}/hello`, {}, child);
  } finally {
    await stop(child);
  }
}

console.log('building the service (npm run build -w app) ...');
execFileSync(
  path.join(root, 'node_modules', '.bin', 'tsc'),
  ['-p', path.join(root, 'app', 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
const results: Result[] = [];
const extra: Result[] = [];
results.push(await benchHello());
for (const backend of ['sqlite', 'postgres'] as const) {
  const r = await benchService(backend);
  if (r) results.push(r);
}
results.push(...extra);
const hello = results[0]!;
console.log(
  `\n${CONNECTIONS} connections, ${DURATION} s per target, ${CASES} cases seeded, caller: an attorney responsible for 3/4 of them`,
);
const cpu = (r: Result) => (r.cpuPerRequest === undefined ? '-' : r.cpuPerRequest.toFixed(0));
console.log(
  'target                               req/s    ratio   p50 ms   p99 ms   errors   non-2xx   server CPU µs/req',
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} ${`${((r.rps / hello.rps) * 100).toFixed(1)}%`.padStart(8)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(8)} ${String(r.non2xx).padStart(9)} ${cpu(r).padStart(19)}`,
  );
}
console.log(
  `\nConstant rate, open loop: ${RATE} requests/s for ${RATE_DURATION} s, latency from each request's due time`,
);
console.log(
  'target                               sent      ok  non-2xx  errors   p50 ms   p90 ms   p99 ms   max ms  send lag ms',
);
for (const r of results) {
  const f = r.fixed!;
  console.log(
    `${r.name.padEnd(34)} ${String(f.sent).padStart(6)} ${String(f.ok).padStart(7)} ${String(f.non2xx).padStart(8)} ${String(f.errors).padStart(7)} ${String(f.p50).padStart(8)} ${String(f.p90).padStart(8)} ${String(f.p99).padStart(8)} ${String(f.max).padStart(8)} ${String(f.sendLag).padStart(12)}`,
  );
}
console.log('');
for (const r of results.slice(1).filter((x) => x.name.startsWith('GET /cases'))) {
  const ratio = r.rps / hello.rps;
  const backend = r.name.includes('postgres') ? 'postgres' : 'sqlite';
  const goal = GOALS[backend]!;
  console.log(
    `${r.name}: ${(ratio * 100).toFixed(1)}% of hello-world (goal ${goal * 100}%: ${ratio >= goal ? 'met' : 'NOT met'}), p99 at ${RATE}/s ${r.fixed!.p99} ms (goal ${P99_GOAL_MS} ms: ${r.fixed!.p99 <= P99_GOAL_MS ? 'met' : 'NOT met'})`,
  );
}
