/**
 * security-gate end to end: a real `bandit -f json` run over a small Python sample, gated through the built
 * bundle exactly as a runner runs it (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { GATE_BUNDLE, runGateBundle } from './helpers/security-gate.js';

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
});
