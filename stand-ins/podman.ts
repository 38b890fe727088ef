/**
 * This machine's podman and buildah: the one place its runtime flags and `podman run` limits are written down,
 * a private storage per user (test, benchmark or stand-in instance), and the wrapper that puts both in front
 * of /usr/bin/podman for the programs that find podman on PATH (the rollout scripts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../actions/ssm-rollout/src/script.js';
import { check, exec } from './commands.js';

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

/** Bash that runs podman with `flags` before the subcommand and `runFlags` after `run`. */
export function podmanWrapper(flags: string[], runFlags: string[]): string {
  const quote = (s: string) => shellQuote('podman flag', s);
  return `#!/usr/bin/env bash
set -euo pipefail
flags=(${flags.map(quote).join(' ')})
if [ "\${1:-}" = run ]; then
  shift
  exec /usr/bin/podman "\${flags[@]}" run ${runFlags.map(quote).join(' ')} "$@"
fi
exec /usr/bin/podman "\${flags[@]}" "$@"
`;
}
