/**
 * scripts/failure-issue.ts run as the workflows run it (plain node, environment variables) against a local
 * stand-in for GitHub's issues API that keeps its issues, labels and comments between runs.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { decide, outcomeOf } from '../failure-issue.js';

const TOKEN = 'ghs_notARealTokenButLongEnough0123456789';

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  state_reason?: string;
  comments: string[];
  pull_request?: object;
}

/** The part of GitHub's issues API the script uses, with its state kept in memory. */
class IssuesStandIn {
  issues: Issue[] = [];
  labels = new Set<string>();
  requests: string[] = [];
  failWith: { status: number; message: string } | undefined;
  private server: Server | undefined;
  url = '';

  add(issue: Omit<Issue, 'number' | 'comments' | 'state'> & Partial<Issue>): Issue {
    const full = { state: 'open' as const, comments: [], ...issue, number: this.issues.length + 1 };
    this.issues.push(full);
    return full;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        const url = new URL(req.url ?? '/', 'http://stand-in');
        this.requests.push(`${req.method} ${url.pathname}${url.search}`);
        const answer = (status: number, data: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(data));
        };
        if (req.headers.authorization !== `Bearer ${TOKEN}`)
          return answer(401, { message: 'Bad credentials' });
        if (this.failWith) return answer(this.failWith.status, { message: this.failWith.message });
        const path = url.pathname.replace('/repos/octo-org/toolkit', '');
        let m: RegExpExecArray | null;
        if (req.method === 'GET' && path === '/issues') {
          const page = Number(url.searchParams.get('page') ?? 1);
          const perPage = Number(url.searchParams.get('per_page') ?? 30);
          const label = url.searchParams.get('labels');
          const open = this.issues.filter(
            (i) => i.state === url.searchParams.get('state') && (!label || i.labels.includes(label)),
          );
          return answer(200, open.slice((page - 1) * perPage, page * perPage));
        }
        if (req.method === 'GET' && (m = /^\/labels\/(.+)$/.exec(path))) {
          const name = decodeURIComponent(m[1]!);
          return this.labels.has(name) ? answer(200, { name }) : answer(404, { message: 'Not Found' });
        }
        if (req.method === 'POST' && path === '/labels') {
          this.labels.add(body.name);
          return answer(201, body);
        }
        if (req.method === 'POST' && path === '/issues') {
          // The stand-in keeps only labels that exist, so an issue carries the label only if the script made it.
          const issue = this.add({ ...body, labels: body.labels.filter((l: string) => this.labels.has(l)) });
          return answer(201, issue);
        }
        if ((m = /^\/issues\/(\d+)(\/comments)?$/.exec(path))) {
          const issue = this.issues[Number(m[1]) - 1];
          if (!issue) return answer(404, { message: 'Not Found' });
          if (req.method === 'POST' && m[2]) {
            issue.comments.push(body.body);
            return answer(201, { body: body.body });
          }
          if (req.method === 'PATCH' && !m[2]) {
            Object.assign(issue, body);
            return answer(200, issue);
          }
        }
        return answer(404, { message: `no route for ${req.method} ${path}` });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

let github: IssuesStandIn;
beforeEach(async () => {
  github = new IssuesStandIn();
  await github.start();
});
afterEach(() => github.stop());

const needs = (results: Record<string, string>) =>
  JSON.stringify(
    Object.fromEntries(Object.entries(results).map(([job, result]) => [job, { result, outputs: {} }])),
  );

/** One run of the step, with the variables the runner and the workflow give it. */
function runStep(
  results: Record<string, string> | string,
  overrides: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    NEEDS: typeof results === 'string' ? results : needs(results),
    ENVIRONMENT: 'production',
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'octo-org/toolkit',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF_NAME: 'main',
    ...overrides,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/failure-issue.ts'], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('node scripts/failure-issue.ts', () => {
  test('when a run fails with no issue open, then it creates the label and opens one issue with the run link', async () => {
    const result = await runStep({ build: 'success', production: 'failure' });
    expect(result).toEqual({ code: 0, stdout: 'deploy (production) failed: opened issue #1.\n', stderr: '' });
    expect([...github.labels]).toEqual(['workflow-failure']);
    expect(github.issues).toHaveLength(1);
    const [issue] = github.issues;
    expect(issue!.title).toBe('deploy is failing (production)');
    expect(issue!.labels).toEqual(['workflow-failure']);
    expect(issue!.body).toContain('<!-- failure-issue: {"workflow":"deploy","environment":"production"} -->');
    expect(issue!.body).toContain(
      '`production` (failure) failed on `main` at 0123456789abcdef0123456789abcdef01234567. The job summaries of ' +
        '[run 4242, attempt 2](https://github.example/octo-org/toolkit/actions/runs/4242/attempts/2) say why.',
    );
    expect(issue!.body).not.toContain('`build`');
  });

  test('when it fails again, then it comments on the open issue instead of opening a second', async () => {
    await runStep({ production: 'failure' });
    const again = await runStep(
      { production: 'cancelled' },
      { GITHUB_RUN_ID: '4243', GITHUB_RUN_ATTEMPT: '1' },
    );
    expect(again.stdout).toBe('deploy (production) failed again: commented on issue #1.\n');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toEqual([
      'Failed again: `production` (cancelled) failed on `main` at 0123456789abcdef0123456789abcdef01234567. ' +
        'The job summaries of [run 4243, attempt 1](https://github.example/octo-org/toolkit/actions/runs/4243/attempts/1) say why.',
    ]);
  });

  test('when the next run succeeds, then it closes the issue; a later failure opens a new one', async () => {
    await runStep({ production: 'failure' });
    const fixed = await runStep({ production: 'success' }, { GITHUB_RUN_ID: '4300' });
    expect(fixed.stdout).toBe('deploy (production) succeeded: closed issue #1.\n');
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]!.comments).toEqual([
      'Succeeded on `main` at 0123456789abcdef0123456789abcdef01234567 in ' +
        '[run 4300](https://github.example/octo-org/toolkit/actions/runs/4300/attempts/2); closing.',
    ]);
    const broken = await runStep({ production: 'failure' });
    expect(broken.stdout).toBe('deploy (production) failed: opened issue #2.\n');
    expect(github.issues.map((i) => i.state)).toEqual(['closed', 'open']);
  });

  test('when another environment or workflow fails, then it gets an issue of its own', async () => {
    await runStep({ production: 'failure' });
    await runStep({ staging: 'failure' }, { ENVIRONMENT: 'staging' });
    await runStep({ rescan: 'failure' }, { GITHUB_WORKFLOW: 'security' });
    expect(github.issues.map((i) => i.title)).toEqual([
      'deploy is failing (production)',
      'deploy is failing (staging)',
      'security is failing (production)',
    ]);
    await runStep({ staging: 'success' }, { ENVIRONMENT: 'staging' });
    expect(github.issues.map((i) => i.state)).toEqual(['open', 'closed', 'open']);
  });

  test("when JOBS narrows NEEDS to one environment's jobs, then each environment of one run gets its own verdict", async () => {
    await runStep(
      { build: 'success', staging: 'failure', production: 'failure' },
      { ENVIRONMENT: 'production' },
    );
    // The next deploy: staging fails, so production is skipped; build succeeded.
    const next = { build: 'success', staging: 'failure', production: 'skipped' };
    const staging = await runStep(next, { ENVIRONMENT: 'staging', JOBS: 'build staging' });
    const production = await runStep(next, { ENVIRONMENT: 'production', JOBS: 'production' });
    expect(staging.stdout).toBe('deploy (staging) failed: opened issue #2.\n');
    expect(production.stdout).toBe('deploy (production): every watched job was skipped; nothing to do.\n');
    expect(github.issues.map((i) => [i.title, i.state])).toEqual([
      ['deploy is failing (production)', 'open'],
      ['deploy is failing (staging)', 'open'],
    ]);
    expect(github.issues[1]!.body).toContain('`staging` (failure) failed');
    expect(github.issues[1]!.body).not.toContain('`production`');
  });

  test('when labelled issues without its marker, pull requests and many others are open, then it finds only its own', async () => {
    github.labels.add('workflow-failure');
    github.add({
      title: 'deploy is failing (production)',
      body: 'opened by hand',
      labels: ['workflow-failure'],
    });
    const mark = '<!-- failure-issue: {"workflow":"deploy","environment":"production"} -->';
    github.add({ title: 'a pull request', body: mark, labels: ['workflow-failure'], pull_request: {} });
    for (let i = 0; i < 100; i++)
      github.add({ title: `other ${i}`, body: 'x', labels: ['workflow-failure'] });
    const ours = github.add({
      title: 'renamed by someone',
      body: `${mark}\nold failure`,
      labels: ['workflow-failure'],
    });
    const result = await runStep({ production: 'failure' });
    expect(result.stdout).toBe(`deploy (production) failed again: commented on issue #${ours.number}.\n`);
    expect(github.requests.filter((r) => r.startsWith('GET /repos/octo-org/toolkit/issues'))).toEqual([
      'GET /repos/octo-org/toolkit/issues?state=open&labels=workflow-failure&per_page=100&page=1',
      'GET /repos/octo-org/toolkit/issues?state=open&labels=workflow-failure&per_page=100&page=2',
    ]);
    expect(github.issues.filter((i) => i.comments.length)).toEqual([ours]);
  });

  test('when a run succeeds with no issue open, or all its jobs were skipped, then it writes nothing', async () => {
    expect((await runStep({ production: 'success', build: 'skipped' })).stdout).toBe(
      'deploy (production) succeeded; no open issue.\n',
    );
    expect(github.requests.every((r) => r.startsWith('GET '))).toBe(true);
    github.requests = [];
    expect((await runStep({ production: 'skipped' })).stdout).toBe(
      'deploy (production): every watched job was skipped; nothing to do.\n',
    );
    expect(github.requests).toEqual([]);
  });

  test('when the API refuses, then it exits 1 with the call, status and message, and never prints the token', async () => {
    github.failWith = { status: 403, message: 'Resource not accessible by integration' };
    const result = await runStep({ production: 'failure' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'failure-issue: GitHub API GET /repos/octo-org/toolkit/issues?state=open&labels=workflow-failure&per_page=100&page=1 ' +
        'answered 403: Resource not accessible by integration\n',
    );
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  test.each([
    [
      'NEEDS is unset',
      { NEEDS: undefined },
      "NEEDS: expected the JSON of the needs context (NEEDS: '${{ toJSON(needs) }}') with at least one job, got ''.",
    ],
    [
      'NEEDS is not JSON',
      { NEEDS: 'not json' },
      "NEEDS: expected the JSON of the needs context (NEEDS: '${{ toJSON(needs) }}') with at least one job, got 'not json'.",
    ],
    [
      'NEEDS names no job',
      { NEEDS: '{}' },
      "NEEDS: expected the JSON of the needs context (NEEDS: '${{ toJSON(needs) }}') with at least one job, got '{}'.",
    ],
    [
      'a job in NEEDS has no result',
      { NEEDS: '{"build":{"outputs":{}}}' },
      "NEEDS: job 'build' has no result; expected the JSON of the needs context",
    ],
    [
      'ENVIRONMENT is blank',
      { ENVIRONMENT: ' ' },
      'ENVIRONMENT: expected the environment this run stands for (e.g. production), got nothing.',
    ],
    [
      'JOBS names a job NEEDS lacks',
      { JOBS: 'build, deploy' },
      "JOBS: expected job names from NEEDS (production), got 'build', 'deploy'.",
    ],
    [
      'GITHUB_TOKEN is unset',
      { GITHUB_TOKEN: undefined },
      "GITHUB_TOKEN: expected a token with 'issues: write' (github.token), got nothing.",
    ],
    [
      'GITHUB_REPOSITORY is unset',
      { GITHUB_REPOSITORY: undefined },
      'GITHUB_REPOSITORY: expected owner/name (set by the runner), got nothing.',
    ],
  ])('when %s, then it exits 1 before any call: %s', async (_case, overrides, message) => {
    const result = await runStep({ production: 'failure' }, overrides);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`failure-issue: ${message}`);
    expect(github.requests).toEqual([]);
  });
});

describe('outcome and decision', () => {
  test.each([
    [{ a: 'success', b: 'success' }, 'success'],
    [{ a: 'success', b: 'skipped' }, 'success'],
    [{ a: 'success', b: 'failure' }, 'failure'],
    [{ a: 'cancelled', b: 'success' }, 'failure'],
    [{ a: 'skipped', b: 'skipped' }, 'none'],
  ])('when the jobs ended %j, then the run is a %s', (results, outcome) => {
    expect(outcomeOf(results)).toBe(outcome);
  });

  test.each([
    ['failure', undefined, { kind: 'open' }],
    ['failure', 7, { kind: 'comment', issue: 7 }],
    ['success', 7, { kind: 'close', issue: 7 }],
    ['success', undefined, { kind: 'none' }],
    ['none', 7, { kind: 'none' }],
  ] as const)('when the run is a %s and the open issue is %s, then it does %j', (outcome, issue, action) => {
    expect(decide(outcome, issue)).toEqual(action);
  });
});
