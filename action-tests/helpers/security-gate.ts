/** Runs dist/security-gate/index.js as the runner does and reads back what it wrote. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inputVariables, stepFiles } from '../../stand-ins/runner-files.js';

export const GATE_BUNDLE = resolve('dist/security-gate/index.js');

export interface RunnerResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

function prepare(
  workspace: string,
  inputs: Record<string, string>,
  event: object,
  extraEnv: NodeJS.ProcessEnv,
): { env: NodeJS.ProcessEnv; read: (status: number | null, stdout: string, stderr: string) => RunnerResult } {
  const runnerDir = mkdtempSync(join(tmpdir(), 'runner-'));
  const files = stepFiles(runnerDir, event);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...files.env,
    RUNNER_TEMP: runnerDir,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_SERVER_URL: 'https://github.com',
    ...extraEnv,
    ...inputVariables(inputs),
  };
  return {
    env,
    read: (status, stdout, stderr) => ({
      status,
      stdout,
      stderr,
      ...files.read(),
    }),
  };
}

export function runGateBundle(
  workspace: string,
  inputs: Record<string, string>,
  event: object = { ref: 'refs/heads/main' },
  extraEnv: NodeJS.ProcessEnv = {},
): RunnerResult {
  const { env, read } = prepare(workspace, inputs, event, extraEnv);
  const r = spawnSync(process.execPath, [GATE_BUNDLE], { cwd: workspace, env, encoding: 'utf8' });
  return read(r.status, r.stdout, r.stderr);
}

/** The same, without blocking the event loop (for tests that serve HTTP to the action). */
export function runGateBundleAsync(
  workspace: string,
  inputs: Record<string, string>,
  event: object,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunnerResult> {
  const { env, read } = prepare(workspace, inputs, event, extraEnv);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [GATE_BUNDLE], { cwd: workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done(read(status, stdout, stderr)));
  });
}
