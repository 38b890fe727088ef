/**
 * Harness for running dist/sbom-upload/index.js as the runner does, against the GitHub REST API stand-in
 * (stand-ins/github-api.ts; GITHUB_API_URL points at it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputVariables, stepFiles } from '../../stand-ins/runner-files.js';

export const BUNDLE = join(process.cwd(), 'dist', 'sbom-upload', 'index.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the bundle with INPUT_* variables and the runner's files, as a node24 action step. */
export async function runSbomUpload(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<RunResult> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run 'npm run build -- sbom-upload' first.`);
  const dir = mkdtempSync(join(tmpdir(), 'sbom-runner-'));
  const files = stepFiles(dir, { ref: 'refs/heads/main' });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...files.env,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'sbom',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    INPUT_PATH: '.',
    'INPUT_SBOM-FILE': '',
    INPUT_FORMAT: 'cyclonedx-json',
    'INPUT_UPLOAD-ARTIFACT': 'true',
    'INPUT_ARTIFACT-NAME': '',
    'INPUT_DEPENDENCY-SNAPSHOT': 'true',
    INPUT_ATTEST: 'false',
    'INPUT_SUBJECT-DIGEST': '',
    'INPUT_SUBJECT-NAME': '',
    INPUT_MATRIX: 'null',
    ...extraEnv,
    ...inputVariables(inputs),
  };
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: extraEnv.GITHUB_WORKSPACE ?? process.cwd() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, ...files.read() };
}
