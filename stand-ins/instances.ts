/**
 * Stand-in instances for running the generated rollout scripts for real: a directory with a bin/ holding the
 * fake docker/podman/aws CLIs (instance/, see README.md), a container state directory, and what to read back
 * of what happened (the CLI calls, the containers, the requests their applications served).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The instance's programs: fake-docker (docker and podman), fake-aws, the containers' application, load.mjs. */
export const STAND_IN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'instance');

export interface StandIn {
  root: string;
  bin: string;
  state: string;
  scriptState: string;
  env: NodeJS.ProcessEnv;
}

export function createStandIn(
  parent = mkdtempSync(join(tmpdir(), 'ssm-rollout-')),
  name = 'instance',
): StandIn {
  const root = join(parent, name);
  const bin = join(root, 'bin');
  const state = join(root, 'docker-state');
  const scriptState = join(root, 'var-lib-ssm-rollout');
  mkdirSync(bin, { recursive: true });
  mkdirSync(state, { recursive: true });
  for (const tool of ['docker', 'podman']) symlinkSync(join(STAND_IN_DIR, 'fake-docker'), join(bin, tool));
  symlinkSync(join(STAND_IN_DIR, 'fake-aws'), join(bin, 'aws'));
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: root,
    FAKE_DOCKER_STATE: state,
    FAKE_AWS_LOG: join(root, 'aws-calls.log'),
  };
  return { root, bin, state, scriptState, env };
}

export interface Call {
  tool: string;
  args: string[];
}

/** Every docker/podman call, with its arguments exactly as the program received them. */
export function calls(s: StandIn): Call[] {
  const path = join(s.state, 'calls.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\u001e')
    .filter((record) => record !== '')
    .map((record) => {
      const [tool, ...args] = record.split('\u001f');
      return { tool: tool!, args };
    });
}

export interface Container {
  name: string;
  image: string;
  state: string;
  env: string;
  port: string;
}

export function containers(s: StandIn): Container[] {
  const dir = join(s.state, 'containers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => {
    const read = (file: string) =>
      existsSync(join(dir, name, file)) ? readFileSync(join(dir, name, file), 'utf8') : '';
    return { name, image: read('image'), state: read('state').trim(), env: read('env'), port: read('port') };
  });
}

export function markUnhealthy(s: StandIn, image: string): void {
  writeFileSync(join(s.state, 'unhealthy-images'), `${image}\n`, { flag: 'a' });
}

export function requests(s: StandIn): string[] {
  const path = join(s.state, 'requests.log');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

/** Stops every stand-in container's server. */
export function stopAll(s: StandIn): void {
  for (const c of containers(s)) {
    const pid = join(s.state, 'containers', c.name, 'pid');
    if (existsSync(pid)) {
      try {
        process.kill(Number(readFileSync(pid, 'utf8')));
      } catch {
        // already gone
      }
    }
  }
}
