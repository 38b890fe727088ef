/**
 * Runs an action bundle the way a GitHub runner does: a fresh node process, inputs as INPUT_<NAME>
 * variables, the event payload in a file named by GITHUB_EVENT_PATH, and empty GITHUB_OUTPUT /
 * GITHUB_STEP_SUMMARY files that are read back afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inputVariables, stepFiles } from '../../stand-ins/runner-files.js';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export function bundlePath(name: string): string {
  const path = resolve('dist', name, 'index.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build -- ${name}\` first.`);
  return path;
}

export function runBundle(
  name: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined>,
  payload?: unknown,
): RunResult {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  try {
    const files = stepFiles(dir, payload);
    const childEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      RUNNER_TEMP: dir,
      ...files.env,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      ...inputVariables(inputs),
    };
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[key];
      else childEnv[key] = value;
    }
    const child = spawnSync(process.execPath, [bundlePath(name)], {
      env: childEnv,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return {
      status: child.status,
      stdout: child.stdout,
      stderr: child.stderr,
      ...files.read(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
