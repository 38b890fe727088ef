/** runAction runs a real bundle from dist/ as the runner would; actionDefaults reads action.yml as the runner does. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { actionDefaults, runAction } from '../run-action.js';

const REPO = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'run-action-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('runAction', () => {
  test('when sha-tag runs for a push to main, then its outputs, state and summary are read back and its log is shown', async () => {
    const event = join(work, 'event.json');
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main', repository: { default_branch: 'main' } }));
    const shown: string[] = [];
    const run = await runAction(REPO, 'sha-tag', {
      inputs: { images: 'registry.example/app' },
      env: {
        PATH: process.env.PATH,
        GITHUB_SHA: SHA,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'octo/app',
      },
      workDir: work,
      print: (line) => shown.push(line),
    });
    expect(run.code).toBe(0);
    expect(run.timedOut).toBe(false);
    expect(run.outputs.tags!.split('\n')).toEqual([
      'registry.example/app:main',
      'registry.example/app:sha-0123456',
    ]);
    expect(run.outputs.sha).toBe(SHA);
    expect(shown.join('\n')).toContain('registry.example/app:sha-0123456');
  });

  test('when a bundle fails on a bad input, then the exit code and the runner-rendered error come back', async () => {
    const run = await runAction(REPO, 'sha-tag', {
      inputs: { images: 'registry.example/app', 'sha-length': 'forty' },
      env: {
        PATH: process.env.PATH,
        GITHUB_SHA: SHA,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_NAME: 'push',
      },
      workDir: work,
      print: () => undefined,
    });
    expect(run.code).toBe(1);
    expect(run.log.find((line) => line.startsWith('Error: '))).toMatch(/sha-length/);
  });

  test('when a step outlives its limit and ignores SIGTERM, then it is killed and the run says it timed out', async () => {
    const repo = join(work, 'slow-repo');
    mkdirSync(join(repo, 'dist', 'slow'), { recursive: true });
    mkdirSync(join(repo, 'actions', 'slow'), { recursive: true });
    writeFileSync(
      join(repo, 'actions', 'slow', 'action.yml'),
      'name: slow\nruns:\n  using: node24\n  main: x.js\n',
    );
    // It ignores SIGTERM, and a process it starts keeps the step's output open after the step is killed.
    writeFileSync(
      join(repo, 'dist', 'slow', 'index.js'),
      "const { spawn } = require('node:child_process');" +
        "const holder = spawn('sleep', ['30'], { stdio: 'inherit' }); console.log('holder ' + holder.pid);" +
        "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000);",
    );
    const started = Date.now();
    const run = await runAction(repo, 'slow', {
      inputs: {},
      env: { PATH: process.env.PATH },
      workDir: work,
      print: () => undefined,
      timeoutMs: 300,
      killGraceMs: 500,
    });
    const holder = Number(run.log[0]!.split(' ')[1]);
    try {
      expect(run.timedOut).toBe(true);
      expect(run.code).toBeNull();
      expect(run.log.slice(1)).toEqual([
        'ignoring SIGTERM',
        "##[error]The action 'slow' has timed out after 0.3 s.",
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(800); // SIGKILL only after the grace period
      expect(() => process.kill(holder, 0)).not.toThrow(); // it returned although the holder still runs
    } finally {
      process.kill(holder, 'SIGKILL');
    }
  });

  test('when the step is signalled while it runs, as a cancelled workflow does, then it ends on that signal and its state so far is kept', async () => {
    const repo = join(work, 'waiting-repo');
    mkdirSync(join(repo, 'dist', 'waiting'), { recursive: true });
    mkdirSync(join(repo, 'actions', 'waiting'), { recursive: true });
    writeFileSync(
      join(repo, 'actions', 'waiting', 'action.yml'),
      'name: waiting\nruns:\n  using: node24\n  main: x.js\n',
    );
    writeFileSync(
      join(repo, 'dist', 'waiting', 'index.js'),
      "require('node:fs').appendFileSync(process.env.GITHUB_STATE, 'phase=2\\n');" +
        "console.log('in wave 2'); setInterval(() => {}, 1000);",
    );
    const run = await runAction(repo, 'waiting', {
      inputs: {},
      env: { PATH: process.env.PATH },
      workDir: work,
      print: () => undefined,
      whileRunning: async (signal) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        signal('SIGTERM');
      },
    });
    expect(run).toMatchObject({ code: null, signal: 'SIGTERM', timedOut: false, state: { phase: '2' } });
    expect(run.log).toEqual(['in wave 2']);
  });

  test('when the bundle is missing, then the error says to build it', async () => {
    await expect(
      runAction(work, 'sha-tag', { inputs: {}, env: {}, workDir: work, print: () => undefined }),
    ).rejects.toThrow(/dist\/sha-tag\/index\.js is missing: run `npm run build` first/);
  });
});

describe('actionDefaults', () => {
  test('when an action declares defaults, then they are given with the runner values of github.token and toJSON(matrix), and inputs without one are left out', () => {
    const sbom = actionDefaults(REPO, 'sbom-upload', 'ghs_token');
    expect(sbom['github-token']).toBe('ghs_token');
    expect(sbom.matrix).toBe('null');
    expect(sbom['upload-artifact']).toBe('true');
    expect(actionDefaults(REPO, 'security-gate', 't')['ignore-file']).toBe('.security-gate.yml');
    expect(Object.keys(actionDefaults(REPO, 'ecr-push', 't'))).not.toContain('repository');
  });

  test('when a default is github.sha, then it is the job commit', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(actionDefaults(REPO, 'ssm-rollout', 't', sha).commit).toBe(sha);
  });
});
