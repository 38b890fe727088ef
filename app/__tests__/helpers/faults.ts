/** Real dependencies that a test starts, breaks and mends: redis-server, a tmpfs, a PostgreSQL database. */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgresUrl } from './harness.js';
import { appDir, node, withTsx } from './server-process.js';

/** Why a component cannot be used on this machine (undefined: it can). */
export type Unavailable = string | undefined;

export function redisServerMissing(): Unavailable {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : 'redis-server is not installed (Debian: apt-get install redis-server)';
}

export interface RedisServer {
  port: number;
  stop: () => Promise<void>;
}

/** redis-server on a loopback port of the test's own, without persistence; resolves once it accepts connections. */
export async function startRedisServer(port: number): Promise<RedisServer> {
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  let out = '';
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    void exit.then(() => reject(new Error(`redis-server exited before it was ready:\n${out}`)));
  });
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exit;
    },
  };
}

export interface Tmpfs {
  dir: string;
  unmount: () => void;
}

/** A tmpfs of `sizeMiB` on a new temp dir: needs root (CAP_SYS_ADMIN); otherwise says why not. */
export function mountTmpfs(sizeMiB: number): Tmpfs | Unavailable {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = mkdtempSync(path.join(tmpdir(), 'legal-tmpfs-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mount.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${(mount.stderr || mount.error?.message || '').trim()}`;
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Who may run the service so that a file mode of 0444 makes its SQLite file read-only: the test's own user, or
 * nobody (65534) when the test is root (root ignores file modes) and nobody can read the checkout.
 */
export function readOnlyFileUser(): { uid: number; gid: number } | undefined | Unavailable {
  if (process.getuid?.() !== 0) return undefined;
  const nobody = { uid: 65534, gid: 65534 };
  const probe = spawnSync(node, [...withTsx.slice(0, 2), '-e', ''], {
    cwd: appDir,
    ...nobody,
    encoding: 'utf8',
  });
  return probe.status === 0
    ? nobody
    : `root ignores file modes, and nobody (65534) cannot run the service from ${appDir}: ${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]}`;
}

export interface DedicatedDatabase {
  name: string;
  /** DATABASE_URL of the database, for the service. */
  url: string;
  /** Refuses new connections and ends the existing ones, as a server that went down does. */
  cut: () => Promise<void>;
  mend: () => Promise<void>;
  /** Every new session read-only (as on a standby), the existing ones ended; `false` undoes it. */
  readOnly: (on: boolean) => Promise<void>;
  drop: () => Promise<void>;
}

/**
 * A PostgreSQL database of the test's own, beside the shared `test` database: the test can close it to
 * connections (ALLOW_CONNECTIONS) or make it read-only without touching any other test's database.
 */
export async function createDedicatedDatabase(): Promise<DedicatedDatabase> {
  const name = `legal_fault_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  const endSessions = () =>
    admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  return {
    name,
    url: url.toString(),
    cut: async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await endSessions();
    },
    mend: async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    },
    readOnly: async (on) => {
      await admin.query(
        on
          ? `ALTER DATABASE ${name} SET default_transaction_read_only = on`
          : `ALTER DATABASE ${name} RESET default_transaction_read_only`,
      );
      await endSessions();
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Waits until `text()` matches `pattern` (a log line, say); fails after `ms` with what it saw. */
export async function waitFor(text: () => string, pattern: RegExp, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(text())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; saw:\n${text().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The service's JSON log lines (stdout) with this `msg`. */
export function logLines(stdout: string, msg: RegExp): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => msg.test(String(line.msg)));
}
