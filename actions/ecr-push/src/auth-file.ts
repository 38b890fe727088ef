/**
 * The only way credentials reach a pusher: a docker config.json (mode 0600) in a private temporary
 * directory (mode 0700) under RUNNER_TEMP. skopeo and podman read it through --authfile, docker through
 * DOCKER_CONFIG. The directory also holds staging copies of the image and is always removed.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  /** The private directory (0700); DOCKER_CONFIG points here for docker. */
  dir: string;
  /** config.json inside it (0600). */
  authFile: string;
  remove(): void;
}

export function authConfigJson(registryHost: string, token: string): string {
  return JSON.stringify({ auths: { [registryHost]: { auth: token } } });
}

export function createWorkspace(
  registryHost: string,
  token: string,
  env: NodeJS.ProcessEnv = process.env,
): Workspace {
  const base = env.RUNNER_TEMP || tmpdir();
  const dir = mkdtempSync(join(base, 'ecr-push-'));
  chmodSync(dir, 0o700);
  const authFile = join(dir, 'config.json');
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(authFile, authConfigJson(registryHost, token), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    remove();
    throw err;
  }
  return { dir, authFile, remove };
}

/**
 * Removes the workspace when the step is cancelled (the runner sends SIGINT, then SIGTERM) and then
 * lets the signal end the process as it would have. Returns a function that unregisters the handlers.
 */
export function removeOnSignal(
  workspace: Workspace,
  reraise: (signal: NodeJS.Signals) => void = (signal) => process.kill(process.pid, signal),
): () => void {
  const handler = (signal: NodeJS.Signals) => {
    workspace.remove();
    reraise(signal);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}
