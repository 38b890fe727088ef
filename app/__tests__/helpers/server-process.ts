/** The service as its own process (src/server.ts through tsx's loader), on a free loopback port. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const appDir = path.resolve(import.meta.dirname, '../..');
// node with tsx's loader, as one process: the tsx CLI relays signals through a wrapper process that kills a
// service stopped right after it starts, before the service has told the wrapper it handles SIGTERM itself.
export const node = process.execPath;
export const withTsx = ['--import', 'tsx', 'src/server.ts'];

export interface Running {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  exit: Promise<number | null>;
}

export interface Launched {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  /** The port once the service logs that it listens; rejects when it exits first. */
  listening: Promise<number>;
}

/** Starts src/server.ts (as `npm start` starts its build) on a free port; `as` runs it as another user (needs root). */
export function launchServer(env: Record<string, string>, as: { uid?: number; gid?: number } = {}): Launched {
  const child = spawn(node, withTsx, {
    cwd: appDir,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    ...as,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"port":(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 50);
    void exit.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}\n${err}`));
    });
  });
  listening.catch(() => undefined); // a caller waiting for the exit instead need not handle it
  return { child, stdout: () => out, stderr: () => err, exit, listening };
}

/** Starts src/server.ts and waits for its "listening" log line. */
export async function startServer(
  env: Record<string, string>,
  as: { uid?: number; gid?: number } = {},
): Promise<Running> {
  const { child, stdout, exit, listening } = launchServer(env, as);
  return { child, port: await listening, stdout, exit };
}
