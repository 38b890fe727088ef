/** Runs dist/ecr-push/index.js as the runner does and reads back GITHUB_OUTPUT and the job summary. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inputVariables, stepFiles } from './runner-files.js';

export const ECR_PUSH_BUNDLE = resolve('dist/ecr-push/index.js');
/** The region the runner's AWS credentials are for (the ECR calls are signed for it). */
export const RUNNER_REGION = 'us-east-1';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** What RUNNER_TEMP held after the run. */
  runnerTempLeft: string[];
}

export async function runEcrPush(
  inputs: Record<string, string>,
  /** Variables for the action; undefined removes one of the defaults below. */
  env: Record<string, string | undefined>,
  /** Sees stdout as it grows, with a way to signal the action (to cancel it as a runner does). */
  onStdout?: (stdout: string, kill: (signal: NodeJS.Signals) => void) => void,
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-push-run-'));
  const runnerTemp = join(dir, 'runner-temp');
  mkdirSync(runnerTemp);
  const files = stepFiles(dir, {});
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...files.env,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runnerTemp,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_REGION: RUNNER_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
    ...inputVariables(inputs),
  };
  const child = spawn(process.execPath, [ECR_PUSH_BUNDLE], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    onStdout?.(stdout, (signal) => child.kill(signal));
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
  const result: ActionRun = {
    code,
    stdout,
    stderr,
    ...files.read(),
    runnerTempLeft: readdirSync(runnerTemp),
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}
