/**
 * Harness of the service-image test: buildah and podman on a private storage (vfs, under a temp dir), the
 * package set of a node_modules tree, and the one `npm ls` reports.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command; never throws for a non-zero exit (the caller decides), only when it cannot start. */
export async function exec(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 10 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: number | string };
    if (typeof e.code !== 'number' && e.stdout === undefined) throw err;
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** The same command, failing with its output when it exits non-zero. */
export async function check(file: string, args: string[], options?: Parameters<typeof exec>[2]) {
  const result = await exec(file, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')} exited ${result.code}\n--- stdout (tail)\n${result.stdout.slice(-4000)}\n--- stderr (tail)\n${result.stderr.slice(-4000)}`,
    );
  }
  return result.stdout;
}

/** This machine's podman settings: runc with cgroupfs (no systemd here), events to a file. */
export const PODMAN_HOST_FLAGS = [
  '--runtime',
  'runc',
  '--cgroup-manager',
  'cgroupfs',
  '--events-backend',
  'file',
];
/** `podman run` limits: this machine's are lower than podman's defaults. */
export const RUN_LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

/**
 * Global options that put buildah's and podman's images, containers and libpod state under `dir`, on the
 * vfs driver (works without overlay or fuse, as root and rootless), so the test touches no shared storage.
 */
export function privateStorage(dir: string) {
  for (const sub of ['root', 'run', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  const storage = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs'];
  const podmanFlags = [...storage, '--tmpdir', join(dir, 'tmp'), ...PODMAN_HOST_FLAGS];
  return {
    storage,
    podmanFlags,
    /** The `containers-storage:` reference of an image in this storage (what skopeo, and so ecr-push, reads). */
    reference: (image: string) => `containers-storage:[vfs@${join(dir, 'root')}+${join(dir, 'run')}]${image}`,
    buildah: (args: string[], options?: Parameters<typeof exec>[2]) =>
      check('buildah', [...storage, ...args], options),
    podman: (args: string[], options?: Parameters<typeof exec>[2]) =>
      check('podman', [...podmanFlags, ...args], options),
  };
}

interface NpmLsNode {
  version?: string;
  dependencies?: Record<string, NpmLsNode>;
}

/** `name@version` of every package below `dependencies` of an `npm ls --json --all` tree. */
export function npmLsPackages(dependencies: Record<string, NpmLsNode> | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (deps: Record<string, NpmLsNode> | undefined) => {
    for (const [name, node] of Object.entries(deps ?? {})) {
      if (node.version !== undefined) found.add(`${name}@${node.version}`);
      walk(node.dependencies);
    }
  };
  walk(dependencies);
  return found;
}

/**
 * A program for `node -e` that prints (JSON) `name@version` of every package directory under the given
 * node_modules directories, nested node_modules included, symbolic links (workspace links) skipped. It reads
 * each package.json, so it needs nothing but node inside the image.
 */
export const LIST_PACKAGES_PROGRAM = `
const fs = require('fs'), path = require('path');
const found = new Set();
function walk(dir) {
  let names;
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of fs.readdirSync(path.join(dir, name))) visit(path.join(dir, name, sub));
    else visit(path.join(dir, name));
  }
}
function visit(dir) {
  if (fs.lstatSync(dir).isSymbolicLink()) return;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  found.add(pkg.name + '@' + pkg.version);
  walk(path.join(dir, 'node_modules'));
}
for (const dir of process.argv.slice(1)) walk(dir);
console.log(JSON.stringify([...found].sort()));
`;

/** Polls `url` until it answers 200 or `timeoutMs` passes; `alive` aborts early when the server died. */
export async function waitForHttp200(
  url: string,
  timeoutMs: number,
  alive: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (!(await alive())) throw new Error(`the container stopped before ${url} answered (${last})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${last})`);
}
