/**
 * security-gate end to end: a real `bandit -f json` run over a small Python sample, gated through the built
 * bundle exactly as a runner runs it (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GATE_BUNDLE, runGateBundle, runGateBundleAsync } from './helpers/security-gate.js';

const haveBandit = spawnSync('bandit', ['--version']).status === 0;
if (!haveBandit && process.env.CI === 'true') throw new Error('bandit (Debian package) is required in CI');
if (!existsSync(GATE_BUNDLE))
  throw new Error(`${GATE_BUNDLE} is missing: run npm run build -- security-gate first`);

/* eslint-disable @typescript-eslint/no-explicit-any */
let workspace = '';
let report: any;

beforeAll(() => {
  if (!haveBandit) return;
  workspace = mkdtempSync(join(tmpdir(), 'gate-e2e-'));
  cpSync(join(import.meta.dirname, 'fixtures/security-gate/app'), join(workspace, 'app'), {
    recursive: true,
  });
  // bandit exits 1 when it finds issues; the report is what matters.
  const r = spawnSync('bandit', ['-r', 'app', '-f', 'json', '-o', 'bandit.json'], {
    cwd: workspace,
    encoding: 'utf8',
  });
  if (!existsSync(join(workspace, 'bandit.json'))) throw new Error(`bandit wrote no report: ${r.stderr}`);
  report = JSON.parse(readFileSync(join(workspace, 'bandit.json'), 'utf8'));
});

const sev = (s: string) => report.results.filter((r: any) => r.issue_severity === s);

(haveBandit ? describe : describe.skip)('security-gate bundle over a real bandit report', () => {
  test('when the report has a HIGH finding, then the step fails with annotations, outputs and a summary', () => {
    const high = sev('HIGH');
    expect(high.length).toBeGreaterThan(0);
    const r = runGateBundle(workspace, {
      reports: 'bandit.json',
      'fail-on': 'high',
      'sarif-output': 'out/gate.sarif',
    });
    expect(r.status).toBe(1);
    expect(r.outputs.passed).toBe('false');
    expect(r.outputs['failing-count']).toBe(String(high.length));
    expect(r.outputs['ignored-count']).toBe('0');
    expect(r.outputs['expired-ignores']).toBe('[]');
    // counts: every finding per severity, compared with bandit's own tally in the report's metrics
    const totals = report.metrics._totals;
    expect(JSON.parse(r.outputs.counts!)).toEqual({
      bandit: {
        critical: 0,
        high: totals['SEVERITY.HIGH'],
        medium: totals['SEVERITY.MEDIUM'],
        low: totals['SEVERITY.LOW'],
        info: 0,
      },
    });
    for (const h of high) {
      expect(r.stdout).toContain(
        `::error title=HIGH bandit ${h.test_id},file=${h.filename},line=${h.line_number}`,
      );
    }
    expect((r.stdout.match(/^::warning /gm) ?? []).length).toBe(sev('MEDIUM').length);
    expect((r.stdout.match(/^::notice /gm) ?? []).length).toBe(sev('LOW').length);
    expect(r.stdout).toMatch(
      /^::error::security-gate: 1 finding at or above 'high' \(see the job summary and out\/gate.sarif\)\.$/m,
    );
    expect(r.summary).toContain('**Failed**');
    expect(r.summary).toContain('### Failing findings');
    expect(readFileSync(r.outputs['summary-path']!, 'utf8')).toBe(r.summary);
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-path']!, 'utf8'));
    expect(sarif.runs.map((run: any) => run.automationDetails.id)).toEqual(['security-gate/bandit/']);
    expect(sarif.runs[0].results).toHaveLength(report.results.length);
  });

  test('when the HIGH finding is accepted in the ignore file, then the step passes and reports it as ignored', () => {
    const high = sev('HIGH')[0];
    writeFileSync(
      join(workspace, '.security-gate.yml'),
      `ignore:\n  - id: ${high.test_id}\n    path: "app/**"\n    reason: "input is a constant"\n    expires: 2999-12-31\n`,
    );
    try {
      const r = runGateBundle(workspace, { reports: 'bandit.json', 'fail-on': 'high' });
      expect(r.status).toBe(0);
      expect(r.outputs.passed).toBe('true');
      expect(r.outputs['ignored-count']).toBe(String(sev('HIGH').length));
      expect(r.summary).toContain('input is a constant');
      expect(r.stdout).not.toMatch(/^::error /m);
    } finally {
      writeFileSync(join(workspace, '.security-gate.yml'), '');
    }
  });

  test('when the ignore entry has expired, then it no longer suppresses and is named', () => {
    const high = sev('HIGH')[0];
    writeFileSync(
      join(workspace, 'gate.yml'),
      `ignore:\n  - id: ${high.test_id}\n    reason: "was fine"\n    expires: 2020-01-31\n`,
    );
    const r = runGateBundle(workspace, { reports: 'bandit.json', 'ignore-file': 'gate.yml' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.outputs['expired-ignores']!)).toEqual([
      { id: high.test_id, expires: '2020-01-31', matched: sev('HIGH').length },
    ]);
    expect(r.stdout).toContain(`::warning::gate.yml: ignore[0] (id ${high.test_id}) expired on 2020-01-31`);
  });

  test('when a report is malformed, then the step fails naming the file and position', () => {
    writeFileSync(
      join(workspace, 'broken.json'),
      readFileSync(join(workspace, 'bandit.json'), 'utf8').slice(0, 200),
    );
    const r = runGateBundle(workspace, { reports: 'broken.json' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::broken.json: malformed JSON at line \d+, column \d+ \(offset 200\)/m);
    expect(r.outputs).toEqual({});
  });

  test('when an input is invalid, then the error names the input and what was expected', () => {
    const r = runGateBundle(workspace, { reports: 'bandit.json', 'fail-on': 'severe' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "::error::Input 'fail-on': expected one of critical, high, medium, low, info, none, got 'severe'.",
    );
  });

  test('when fail-on is none and report-on is medium, then it passes and annotates only medium and above', () => {
    const r = runGateBundle(workspace, { reports: 'bandit.json', 'fail-on': 'none', 'report-on': 'medium' });
    expect(r.status).toBe(0);
    expect(r.outputs.passed).toBe('true');
    expect((r.stdout.match(/^::(warning|notice|error) /gm) ?? []).length).toBe(
      sev('HIGH').length + sev('MEDIUM').length,
    );
  });

  test('when 12 findings fail, then the step prints 10 errors at most and the last is the verdict', () => {
    // bandit over a sample with 12 shell injections (B602, HIGH)
    const dir = mkdtempSync(join(tmpdir(), 'gate-many-'));
    cpSync(join(import.meta.dirname, 'fixtures/security-gate/many'), join(dir, 'many'), { recursive: true });
    spawnSync('bandit', ['-r', 'many', '-f', 'json', '-o', 'bandit.json'], { cwd: dir });
    const high = JSON.parse(readFileSync(join(dir, 'bandit.json'), 'utf8')).results.filter(
      (x: any) => x.issue_severity === 'HIGH',
    );
    expect(high.length).toBe(12);
    const r = runGateBundle(dir, { reports: 'bandit.json', 'fail-on': 'high' });
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors.length).toBe(10); // GitHub keeps the first 10 errors of a step
    expect(errors[9]).toBe("::error::security-gate: 12 findings at or above 'high' (see the job summary).");
    expect(r.summary).toContain(
      'annotations not shown (GitHub shows 10 per level per step); all are listed above.',
    );
  });

  test('when the report starts with a UTF-8 byte-order mark, then it is gated as without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-bom-'));
    const bytes = readFileSync(join(workspace, 'bandit.json'));
    writeFileSync(join(dir, 'bandit.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
    const withBom = runGateBundle(dir, { reports: 'bandit.json', 'fail-on': 'none' });
    expect(withBom.status).toBe(0);
    expect(JSON.parse(withBom.outputs.counts!)).toEqual(
      JSON.parse(runGateBundle(workspace, { reports: 'bandit.json', 'fail-on': 'none' }).outputs.counts!),
    );
  });

  test("when bandit's log lines went into the report (2>&1), then the error points at the first line", () => {
    const r0 = spawnSync('sh', ['-c', 'bandit -r app -f json > mixed.json 2>&1'], { cwd: workspace });
    expect(r0.error).toBeUndefined();
    const text = readFileSync(join(workspace, 'mixed.json'), 'utf8');
    const r = runGateBundle(workspace, { reports: 'mixed.json' });
    expect(r.status).toBe(1);
    // wherever the log's first line stops being JSON (bandit 1.6.2 starts it with `[main]`)
    const first = text.split('\n')[0]!;
    const at = first.startsWith('[') ? 1 : 0;
    expect(r.stdout).toMatch(
      new RegExp(`^::error::mixed.json: malformed JSON at line 1, column ${at + 1} \\(offset ${at}\\)`, 'm'),
    );
  });

  test('when bandit scanned the code elsewhere (absolute paths), then path-map attaches the findings to the workspace', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'gate-src-'));
    cpSync(join(workspace, 'app'), join(elsewhere, 'app'), { recursive: true });
    spawnSync('bandit', ['-r', join(elsewhere, 'app'), '-f', 'json', '-o', join(workspace, 'abs.json')]);
    const unmapped = runGateBundle(workspace, { reports: 'abs.json', 'fail-on': 'none' });
    expect(unmapped.status).toBe(0);
    expect(unmapped.stdout).not.toMatch(/^::(warning|notice|error) /m);
    expect(unmapped.summary).toContain(
      `${report.results.length} findings point at files outside the workspace (such as \`${elsewhere}/app/`,
    );
    const mapped = runGateBundle(workspace, {
      reports: 'abs.json',
      'fail-on': 'none',
      'path-map': `${elsewhere}=.`,
    });
    expect(mapped.status).toBe(0);
    for (const h of sev('HIGH')) {
      expect(mapped.stdout).toContain(
        `title=HIGH bandit ${h.test_id},file=${h.filename},line=${h.line_number}`,
      );
    }
    expect(mapped.summary).not.toContain('outside the workspace');
    const bad = runGateBundle(workspace, { reports: 'abs.json', 'path-map': elsewhere });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      `::error::Input 'path-map': entry '${elsewhere}' is not FROM=TO; e.g. /src=. maps /src/app/main.py to app/main.py.`,
    );
  });
});

/**
 * diff-filter through the bundle: a real git repository whose pull-request branch adds one function, a local
 * stand-in for the GitHub API (GITHUB_API_URL) that first answers and then refuses with 422 (diff too large).
 */
(haveBandit ? describe : describe.skip)('security-gate bundle with diff-filter on a pull request', () => {
  let repo = '';
  let base = '';
  let head = '';
  let server: Server;
  let apiUrl = '';
  let mode: 'files' | 'refuse' = 'files';
  const requests: string[] = [];

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'gate-pr-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: repo,
        encoding: 'utf8',
      }).trim();
    const sample = join(import.meta.dirname, 'fixtures/security-gate/app');
    cpSync(sample, join(repo, 'app'), { recursive: true });
    const service = readFileSync(join(sample, 'service.py'), 'utf8');
    // the base branch has the module without run_report (the function the pull request adds)
    const withoutRunReport = service.replace(/def run_report\(name\):\n(?:.+\n)+\n\n/, '');
    expect(withoutRunReport).not.toBe(service);
    writeFileSync(join(repo, 'app/service.py'), withoutRunReport);
    git('init', '-q', '-b', 'main');
    git('add', 'app');
    git('commit', '-qm', 'base');
    base = git('rev-parse', 'HEAD');
    writeFileSync(join(repo, 'app/service.py'), service);
    git('checkout', '-qb', 'feature');
    git('commit', '-qam', 'add run_report');
    head = git('rev-parse', 'HEAD');
    spawnSync('bandit', ['-r', 'app', '-f', 'json', '-o', 'bandit.json'], { cwd: repo });
    const diff = execFileSync('git', ['diff', base, head, '--', 'app/service.py'], {
      cwd: repo,
      encoding: 'utf8',
    });
    const patch = diff.slice(diff.indexOf('@@'));

    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (mode === 'refuse') {
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Sorry, the diff exceeded the maximum number of files (300).' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ filename: 'app/service.py', status: 'modified', additions: 6, patch }]));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((ok) => (server ? server.close(() => ok()) : ok())));

  const event = () => ({ pull_request: { number: 7, base: { sha: base }, head: { sha: head } } });
  const headReport = () => JSON.parse(readFileSync(join(repo, 'bandit.json'), 'utf8')).results as any[];

  test('when the API lists the changes, then only the finding on the added lines fails and is annotated', async () => {
    mode = 'files';
    const added = headReport().filter((r) => r.test_id === 'B602');
    expect(added).toHaveLength(1);
    const r = await runGateBundleAsync(
      repo,
      { reports: 'bandit.json', 'fail-on': 'low', 'diff-filter': 'added', 'github-token': 'ghs_fake' },
      event(),
      { GITHUB_API_URL: apiUrl },
    );
    expect(requests.at(-1)).toBe('GET /repos/acme/shop/pulls/7/files?per_page=100&page=1 token ghs_fake');
    expect(r.stdout).toContain('::add-mask::ghs_fake');
    expect(r.stdout).toContain('diff-filter added: 1 changed files (from api).');
    expect(r.outputs['failing-count']).toBe('1');
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    expect(annotations).toEqual([
      expect.stringContaining(`file=app/service.py,line=${added[0].line_number}`),
    ]);
    expect(r.status).toBe(1);
  });

  test('when the API refuses with 422, then git diff against the merge base gives the same answer', async () => {
    mode = 'refuse';
    const r = await runGateBundleAsync(
      repo,
      { reports: 'bandit.json', 'fail-on': 'low', 'diff-filter': 'added', 'github-token': 'ghs_fake' },
      event(),
      { GITHUB_API_URL: apiUrl },
    );
    expect(r.stdout).toMatch(
      /the GitHub API did not give the pull request diff \(HTTP 422: .+\); using git diff/,
    );
    expect(r.stdout).toContain('diff-filter added: 1 changed files (from git).');
    expect(r.outputs['failing-count']).toBe('1');
    expect(r.status).toBe(1);
  });
});
