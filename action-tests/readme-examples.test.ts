/**
 * The sha-tag and security-gate README examples run as written: their steps through the bundles in dist/ and
 * bash, with the events GitHub would send (its own example payloads, ref and commit set to the case), and only
 * the steps that need what this machine lacks stood in for, each named below. actions/__tests__/readme-examples
 * checks every example statically.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { minimatch } from 'minimatch';
import { ourAction, type Step, type Workflow } from '../actions/__tests__/helpers/readme-examples.js';
import {
  jobContext,
  outputValues,
  readmeWorkflow,
  ROOT,
  runOurStep,
  runScript,
  stepById,
  substitute,
} from './helpers/example-steps.js';

interface Payload extends Record<string, unknown> {
  ref?: string;
  action?: string;
  repository: Record<string, unknown>;
  head_commit?: Record<string, unknown>;
  pull_request?: Record<string, unknown> & { base: Record<string, unknown>; head: Record<string, unknown> };
}
const webhookExamples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: Payload[];
}[];
const example = (event: string, where: (p: Payload) => boolean) =>
  structuredClone(webhookExamples.find((e) => e.name === event)!.examples.find(where)!);
const PUSH = example('push', (p) => p.ref === 'refs/heads/master');
const PULL_REQUEST = example('pull_request', (p) => p.action === 'opened');
const REPOSITORY = 'Codertocat/Hello-World'; // the repository of GitHub's example payloads

interface PhysicalLocation {
  artifactLocation: { uri: string };
  region?: { startLine?: number };
}
const where = (location: PhysicalLocation) => ({
  file: location.artifactLocation.uri,
  line: location.region?.startLine,
});

/** The step of a job that uses one of our actions, and the job's name. */
function ourStep(workflow: Workflow, action: string): { job: string; step: Step } {
  for (const [job, j] of Object.entries(workflow.jobs ?? {})) {
    const step = j.steps?.find((s) => s.uses !== undefined && ourAction(s.uses)?.name === action);
    if (step) return { job, step };
  }
  throw new Error(`the example uses no ${action}`);
}

/** Would the workflow's `on:` run for this event and ref? (GitHub's branch and tag filters are globs.) */
function triggers(on: Workflow['on'], event: string, ref: string): boolean {
  const events = (on ?? {}) as Record<string, { branches?: string[]; tags?: string[] } | null>;
  if (!(event in events)) return false;
  const filter = events[event] ?? {};
  if (event !== 'push' || (!filter.branches && !filter.tags)) return true;
  const [, kind, name] = /^refs\/(heads|tags)\/(.+)$/.exec(ref) ?? [];
  const patterns = (kind === 'heads' ? filter.branches : filter.tags) ?? [];
  return patterns.some((pattern) => minimatch(name!, pattern));
}

test('when an expression has no value in the table, then substitute refuses rather than leave it', () => {
  expect(
    substitute('a ${{ runner.temp }}/x ${{github.sha}}', { 'runner.temp': '/t', 'github.sha': 'abc' }),
  ).toBe('a /t/x abc');
  expect(() => substitute('${{ secrets.TOKEN }}', { 'runner.temp': '/t' })).toThrow(
    'no value for ${{ secrets.TOKEN }}',
  );
});

describe('the sha-tag README example', () => {
  const README = 'actions/sha-tag/README.md';
  const markdown = readFileSync(join(ROOT, README), 'utf8');
  const workflow = readmeWorkflow(README);
  const { step: meta } = ourStep(workflow, 'sha-tag');
  const build = stepById(workflow, 'image', 'build');
  const deployRef = stepById(workflow, 'image', 'deploy-ref');
  const images = String(meta.with?.images)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((image) => image.trim().toLowerCase());

  // The README's table of what the example gives: event, ref, tag names, for commit `0a1b2c3…`.
  const table = markdown.slice(markdown.indexOf('What it gives for that workflow'));
  const commit = /commit `([0-9a-f]{7})…`/.exec(table)![1]!;
  const lines = table.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const last = lines.findIndex((line, i) => i > first && !line.startsWith('|'));
  const rows = lines
    .slice(first + 2, last) // past the header and its separator
    .map((line) => {
      const [event, ref, names] = line.split('|').slice(1, -1);
      return {
        event: /`(\w+)`/.exec(event!)![1]!,
        head: /head `([0-9a-f]{7})…`/.exec(event!)?.[1],
        ref: /`([^`]+)`/.exec(ref!)![1]!,
        names: [...names!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
      };
    });
  const full = (short: string) => `${short}${'5e4f3a2b1c0d'.repeat(3)}${short}`.slice(0, 40);

  /** The payload GitHub sends for the row: its example payload with the row's ref and commits. */
  function payloadFor(row: (typeof rows)[number]): Payload {
    const repository = { ...PUSH.repository, default_branch: 'main' };
    if (row.event === 'push') {
      return {
        ...PUSH,
        ref: row.ref,
        after: full(commit),
        head_commit: { ...PUSH.head_commit, id: full(commit) },
        repository,
      };
    }
    if (row.event === 'pull_request') {
      const number = Number(/^refs\/pull\/(\d+)\/merge$/.exec(row.ref)![1]);
      const pr = PULL_REQUEST.pull_request!;
      return {
        ...PULL_REQUEST,
        number,
        pull_request: { ...pr, number, head: { ...pr.head, sha: full(row.head!) } },
        repository,
      };
    }
    const cron = (workflow.on as { schedule: { cron: string }[] }).schedule[0]!.cron;
    return { schedule: cron, workflow: '.github/workflows/image.yml', repository };
  }

  test('when the README is read, then its table has rows for exactly the events the example runs on', () => {
    expect(new Set(rows.map((r) => r.event))).toEqual(new Set(Object.keys(workflow.on as object)));
  });

  test.each(rows)(
    'when $event runs on $ref, then the example tags and builds as its README table says',
    async (row) => {
      expect(triggers(workflow.on, row.event, row.ref)).toBe(true);
      const workspace = mkdtempSync(join(tmpdir(), 'sha-tag-example-'));
      // GitHub's merge commit of the pull request; for other events the commit pushed (or the branch's last one).
      const sha = row.event === 'pull_request' ? full('3e4d5c6') : full(commit);
      const job = jobContext({
        event: row.event,
        ref: row.ref,
        sha,
        payload: payloadFor(row),
        repository: REPOSITORY,
        workspace,
      });
      try {
        const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '');
        const before = today();
        const run = await runOurStep('sha-tag', meta, job, job.values);
        const after = today();
        expect(run.code).toBe(0);
        // The table's schedule row shows the day it was written; a run renders today's (UTC), read around it.
        const rendered = run.outputs['tag-names']!.split('\n');
        const nightly = [before, after].map((day) => `nightly-${day}`).find((n) => rendered.includes(n));
        const names = row.names.map((n) =>
          /^nightly-\d{8}$/.test(n) ? (nightly ?? `nightly-${before}`) : n,
        );
        expect(rendered).toEqual(names);
        const tags = run.outputs.tags!.split('\n');
        expect(tags).toEqual(images.flatMap((image) => names.map((name) => `${image}:${name}`)));
        const described = row.head ? full(row.head) : full(commit);
        const labels = run.outputs.labels!.split('\n');
        expect(labels).toContain(`org.opencontainers.image.revision=${described}`);
        expect(labels).toContain(`org.opencontainers.image.source=https://github.com/${REPOSITORY}`);
        const immutable = `${images[0]}:${names.find((n) => n.startsWith('sha-'))}`;
        expect(run.outputs['immutable-ref']).toBe(immutable);

        // build: the example's script, with `docker` replaced by a recorder of its arguments (no engine here).
        const values = { ...job.values, ...outputValues('meta', run.outputs) };
        const bin = join(job.runnerTemp, 'bin');
        mkdirSync(bin);
        writeFileSync(
          join(bin, 'docker'),
          `#!/bin/sh\nprintf '%s\\0' "$@" > '${join(job.runnerTemp, 'docker-args')}'\n`,
        );
        chmodSync(join(bin, 'docker'), 0o755);
        const built = runScript(build, { ...job.env, PATH: `${bin}:${job.env.PATH}` }, values, workspace);
        expect(built.stderr).toBe('');
        expect(built.status).toBe(0);
        expect(readFileSync(join(job.runnerTemp, 'docker-args'), 'utf8').split('\0').slice(0, -1)).toEqual([
          'build',
          ...tags.flatMap((tag) => ['--tag', tag]),
          ...labels.flatMap((label) => ['--label', label]),
          '.',
        ]);

        // deploy-ref: the immutable reference, in the job summary.
        const summary = join(job.runnerTemp, 'step-summary.md');
        writeFileSync(summary, '');
        const deployed = runScript(
          deployRef,
          { ...job.env, GITHUB_STEP_SUMMARY: summary },
          values,
          workspace,
        );
        expect(deployed.status).toBe(0);
        expect(readFileSync(summary, 'utf8')).toBe(`deploy ${immutable}\n`);
      } finally {
        rmSync(workspace, { recursive: true, force: true });
        rmSync(job.runnerTemp, { recursive: true, force: true });
      }
    },
  );
});

const haveBandit = spawnSync('bandit', ['--version']).status === 0;
if (!haveBandit && process.env.CI === 'true')
  throw new Error('bandit (Debian package) is required when CI=true');
if (!haveBandit) console.warn('skipping the security-gate README example: bandit is not installed');

/**
 * A pull request in a real git repository whose base has a small Python service (the sample Bandit test uses)
 * and a local stand-in for the GitHub API that lists the pull request's files with their real patches. Stood in
 * for: `install-bandit` (Debian's bandit is installed here instead of pipx's) and the Trivy action (no trivy
 * here: a recorded real `trivy fs --format json` report is written where the example's step writes its output).
 */
(haveBandit ? describe : describe.skip)('the security-gate README example, on a pull request', () => {
  const README = 'actions/security-gate/README.md';
  const workflow = readmeWorkflow(README);
  const { job: jobName, step: gate } = ourStep(workflow, 'security-gate');
  const bandit = stepById(workflow, jobName, 'bandit');
  const trivy = stepById(workflow, jobName, 'trivy');
  const upload = stepById(workflow, 'code-scanning', 'upload');
  const trivyReport = join(
    ROOT,
    'actions/security-gate/__tests__/fixtures/trivy/fs-vulns-misconfig-secrets.json',
  );
  const sample = join(ROOT, 'action-tests/fixtures/security-gate/app');
  const PR = 42;

  let repo = '';
  let base = '';
  const heads: Record<string, string> = {};
  let server: Server;
  let apiUrl = '';
  const requests: string[] = [];
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'gate-example-'));
    cpSync(sample, join(repo, 'src'), { recursive: true });
    const service = readFileSync(join(sample, 'service.py'), 'utf8');
    writeFileSync(
      join(repo, 'src/service.py'),
      service.replace(/def run_report\(name\):\n(?:.+\n)+\n\n/, ''),
    );
    writeFileSync(join(repo, 'README.md'), '# reports\n');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    base = git('rev-parse', 'HEAD');
    git('checkout', '-qb', 'adds-shell-call');
    writeFileSync(join(repo, 'src/service.py'), service); // adds run_report: subprocess with shell=True
    git('commit', '-qam', 'run reports');
    heads['adds-shell-call'] = git('rev-parse', 'HEAD');
    git('checkout', '-q', base, '-b', 'docs-only');
    writeFileSync(join(repo, 'README.md'), '# reports\n\nHow to run a report.\n');
    git('commit', '-qam', 'docs');
    heads['docs-only'] = git('rev-parse', 'HEAD');

    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      const m = /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files\?.*page=(\d+)/.exec(req.url ?? '');
      const head = git('rev-parse', 'HEAD');
      const files =
        m?.[1] === '1'
          ? git('diff', '--name-only', base, head)
              .split('\n')
              .map((filename) => {
                const diff = git('diff', base, head, '--', filename);
                return { filename, status: 'modified', patch: diff.slice(diff.indexOf('@@')) };
              })
          : [];
      res.writeHead(m ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(m ? files : { message: 'Not Found' }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  test.each([
    ['adds-shell-call', 'adds a subprocess call with shell=True', 'fails on that line alone'],
    ['docs-only', 'changes only the README', 'passes, the findings already there counted but not failing'],
  ])('when the pull request (%s) %s, then the gate %s', async (branch) => {
    git('checkout', '-q', branch);
    const head = heads[branch]!;
    const payload = {
      ...PULL_REQUEST,
      number: PR,
      pull_request: {
        ...PULL_REQUEST.pull_request!,
        number: PR,
        base: { ...PULL_REQUEST.pull_request!.base, sha: base, ref: 'main' },
        head: { ...PULL_REQUEST.pull_request!.head, sha: head, ref: branch },
      },
    };
    const job = jobContext({
      event: 'pull_request',
      ref: `refs/pull/${PR}/merge`,
      sha: head, // no merge commit is made here; the gate reads the head from the payload
      payload,
      repository: REPOSITORY,
      workspace: repo,
      apiUrl,
    });
    try {
      // bandit: the example's own command, run for real.
      rmSync(join(repo, 'bandit.json'), { force: true });
      expect(runScript(bandit, job.env, job.values, repo).status).toBe(0);
      const banditReport = JSON.parse(readFileSync(join(repo, 'bandit.json'), 'utf8')) as {
        metrics: { _totals: Record<string, number> };
      };
      // trivy: the recorded report, where the example's step writes it and in the format it asks for.
      expect(trivy.with).toMatchObject({ 'scan-type': 'fs', format: 'json' });
      copyFileSync(trivyReport, join(repo, String(trivy.with!.output)));

      requests.length = 0;
      const run = await runOurStep('security-gate', gate, job, job.values);

      expect(requests).toEqual([
        `GET /repos/${REPOSITORY}/pulls/${PR}/files?per_page=100&page=1 token ${job.env.GITHUB_TOKEN}`,
      ]);
      expect(run.log.join('\n')).not.toContain(job.env.GITHUB_TOKEN!);
      const counts = JSON.parse(run.outputs.counts!) as Record<string, Record<string, number>>;
      // bandit's own tally in its report; Trivy's as recorded in the fixture's SOURCES.md
      // (secrets CRITICAL:2; one HIGH vulnerability, one HIGH misconfiguration).
      expect(counts.bandit).toMatchObject({
        high: banditReport.metrics._totals['SEVERITY.HIGH'],
        medium: banditReport.metrics._totals['SEVERITY.MEDIUM'],
        low: banditReport.metrics._totals['SEVERITY.LOW'],
      });
      expect(counts.trivy).toMatchObject({ critical: 2, high: 2 });
      // keep-sarif runs when sarif-path is set; code-scanning uploads the file under the name it was kept.
      expect(run.outputs['sarif-path']).not.toBe('');
      expect(basename(run.outputs['sarif-path']!)).toBe(upload.with!.sarif_file);
      const sarif = JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8')) as {
        runs: { results: { ruleId: string; locations: { physicalLocation: PhysicalLocation }[] }[] }[];
      };
      // the merged SARIF holds the reported findings: those on lines the pull request adds
      const results = sarif.runs
        .flatMap((r) => r.results)
        .map((r) => ({ rule: r.ruleId, ...where(r.locations[0]!.physicalLocation) }));

      const located = run.log.filter((line) => /^Error: .* \([^)]+:\d+\)$/s.test(line));
      if (branch === 'adds-shell-call') {
        const added =
          readFileSync(join(repo, 'src/service.py'), 'utf8')
            .split('\n')
            .findIndex((l) => l.includes('subprocess.call(')) + 1;
        expect(run.code).toBe(1);
        expect(run.outputs).toMatchObject({ passed: 'false', 'failing-count': '1' });
        expect(located).toEqual([expect.stringMatching(new RegExp(`\\(src/service\\.py:${added}\\)$`))]);
        expect(results).toEqual([{ rule: 'B602', file: 'src/service.py', line: added }]);
      } else {
        expect(run.code).toBe(0);
        expect(run.outputs).toMatchObject({ passed: 'true', 'failing-count': '0' });
        expect(located).toEqual([]);
        expect(results).toEqual([]);
      }
    } finally {
      rmSync(job.runnerTemp, { recursive: true, force: true });
    }
  });
});
