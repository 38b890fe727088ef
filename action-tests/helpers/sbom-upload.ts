/**
 * Harness for running dist/sbom-upload/index.js as the runner does, against a local stand-in for the
 * GitHub REST API (GITHUB_API_URL points at it).
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile } from './output-file.js';

export const BUNDLE = join(process.cwd(), 'dist', 'sbom-upload', 'index.js');

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A GitHub API stand-in: each request is recorded and answered by `reply`. */
export async function fakeGitHub(
  reply: (req: Recorded) => { status: number; body: unknown },
): Promise<FakeGitHub> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // raw text
      }
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const { status, body: answer } = reply(recorded);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

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
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
  };
  writeFileSync(files.GITHUB_OUTPUT, '');
  writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify({ ref: 'refs/heads/main' }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...files,
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
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: extraEnv.GITHUB_WORKSPACE ?? process.cwd() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
  return { code, stdout, stderr, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}
