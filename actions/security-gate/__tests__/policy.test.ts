import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runGate } from '../src/gate.js';
import { deps, FIXTURES, options, workspace } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const raw = (name: string): any => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const BANDIT = 'bandit/osservatorio.json';
const banditResults: any[] = raw(BANDIT).results;
const bySeverity = (s: string) => banditResults.filter((r) => r.issue_severity === s).length;

describe('fail-on and report-on', () => {
  const dir = workspace([BANDIT]);
  const run = (o: Parameters<typeof options>[1]) =>
    runGate(options(dir, { reports: [BANDIT], ...o }), deps().deps);

  test('when nothing reaches fail-on, then the gate passes and still reports down to report-on', async () => {
    const { verdict } = await run({ failOn: 'high', reportOn: 'low' });
    expect(verdict.passed).toBe(true);
    expect(verdict.failingCount).toBe(0);
    expect(verdict.reported).toHaveLength(banditResults.length);
  });

  test('when fail-on is medium, then exactly the medium findings fail', async () => {
    const { verdict } = await run({ failOn: 'medium', reportOn: 'low' });
    expect(verdict.passed).toBe(false);
    expect(verdict.failingCount).toBe(bySeverity('MEDIUM'));
    expect(verdict.reported.slice(0, verdict.failingCount).every((e) => e.failing)).toBe(true);
  });

  test('when report-on is above fail-on, then failing findings are still listed', async () => {
    const { verdict } = await run({ failOn: 'low', reportOn: 'high' });
    expect(verdict.failingCount).toBe(banditResults.length);
    expect(verdict.reported).toHaveLength(banditResults.length);
  });

  test('when fail-on is none, then the gate passes and report-on alone picks what is listed', async () => {
    const { verdict } = await run({ failOn: 'none', reportOn: 'medium' });
    expect(verdict.passed).toBe(true);
    expect(verdict.reported).toHaveLength(bySeverity('MEDIUM'));
    expect(verdict.dropped.belowReportOn).toBe(bySeverity('LOW'));
  });

  test('when min-confidence is high, then only high-confidence bandit findings count', async () => {
    const { verdict } = await run({ failOn: 'low', minConfidence: 'high' });
    expect(verdict.failingCount).toBe(banditResults.filter((r) => r.issue_confidence === 'HIGH').length);
    const medium = await run({ failOn: 'low', minConfidence: 'medium' });
    expect(medium.verdict.failingCount).toBe(
      banditResults.filter((r) => r.issue_confidence !== 'LOW').length,
    );
  });
});

describe('ignore-unfixed', () => {
  const IMAGE = 'trivy/image-debian13-todo-api.json';
  test('when set, then vulnerabilities without a fixed version are left out', async () => {
    const vulns: any[] = raw(IMAGE).Results.flatMap((r: any) => r.Vulnerabilities ?? []);
    const dir = workspace([IMAGE]);
    const { verdict } = await runGate(
      options(dir, { reports: [IMAGE], ignoreUnfixed: true, failOn: 'info', reportOn: 'info' }),
      deps().deps,
    );
    expect(verdict.failingCount).toBe(vulns.filter((v) => v.FixedVersion).length);
    expect(verdict.dropped.unfixed).toBe(vulns.filter((v) => !v.FixedVersion).length);
  });
});

describe('the ignore file', () => {
  const b608 = banditResults.filter((r) => r.test_id === 'B608').length;
  const file = (expires: string) =>
    `ignore:\n  - id: B608\n    reason: "queries are built from constants, see #42"\n    expires: ${expires}\n` +
    `  - id: B311\n    path: "src/never/**"\n    reason: does not match anything here\n    expires: 2030-01-01\n`;

  test('when an entry is current, then its findings are ignored and counted', async () => {
    const dir = workspace([BANDIT], { '.security-gate.yml': file('2026-06-30') });
    const at = (iso: string) => deps({ now: () => new Date(iso) });
    const { verdict } = await runGate(
      options(dir, { reports: [BANDIT], failOn: 'medium' }),
      at('2026-06-30T23:59:59Z').deps,
    );
    expect(verdict.ignored).toHaveLength(b608);
    expect(verdict.failingCount).toBe(
      bySeverity('MEDIUM') -
        banditResults.filter((r) => r.test_id === 'B608' && r.issue_severity === 'MEDIUM').length,
    );
    expect(verdict.activeEntries.map((u) => [u.entry.id, u.matched])).toEqual([
      ['B608', b608],
      ['B311', 0],
    ]);
  });

  test('when an entry has expired (injected clock), then it no longer suppresses and is reported', async () => {
    const dir = workspace([BANDIT], { '.security-gate.yml': file('2026-06-30') });
    const later = deps({ now: () => new Date('2026-07-01T00:00:00Z') });
    const { verdict, summary } = await runGate(
      options(dir, { reports: [BANDIT], failOn: 'medium' }),
      later.deps,
    );
    expect(verdict.ignored).toHaveLength(0);
    expect(verdict.failingCount).toBe(bySeverity('MEDIUM'));
    expect(verdict.expiredEntries.map((u) => [u.entry.id, u.entry.expires, u.matched])).toEqual([
      ['B608', '2026-06-30', b608],
    ]);
    expect(later.warnings).toEqual([
      `.security-gate.yml: ignore[0] (id B608) expired on 2026-06-30 and no longer suppresses (${b608} findings match it). ` +
        'Renew it with a new reason and date, or fix the finding.',
    ]);
    expect(summary).toContain('Expired ignore entries (no longer suppress)');
    expect(summary).toContain('| B608 |  | 2026-06-30 | queries are built from constants, see #42 |');
  });

  test('when an entry names a package, then only that package is ignored', async () => {
    const IMAGE = 'trivy/image-debian13-todo-api.json';
    const vulns: any[] = raw(IMAGE).Results.flatMap((r: any) => r.Vulnerabilities ?? []);
    const target = vulns.find(
      (v) => vulns.filter((w) => w.VulnerabilityID === v.VulnerabilityID).length > 1,
    )!;
    const sameId = vulns.filter((v) => v.VulnerabilityID === target.VulnerabilityID);
    const samePkg = sameId.filter((v) => v.PkgName === target.PkgName).length;
    const dir = workspace([IMAGE], {
      '.security-gate.yml': `ignore:\n  - id: ${target.VulnerabilityID}\n    package: ${target.PkgName}\n    reason: r\n    expires: 2030-01-01\n`,
    });
    const { verdict } = await runGate(options(dir, { reports: [IMAGE] }), deps().deps);
    expect(verdict.ignored).toHaveLength(samePkg);
    expect(samePkg).toBeLessThan(sameId.length);
  });

  test('when an entry has a path glob, then only findings in matching files are ignored', async () => {
    const inApi = banditResults.filter((r) => r.filename.replace(/\\/g, '/').startsWith('src/api/')).length;
    const ids = [...new Set(banditResults.map((r) => r.test_id))];
    const yml =
      'ignore:\n' +
      ids
        .map((id) => `  - id: ${id}\n    path: "src/api/**"\n    reason: r\n    expires: 2030-01-01\n`)
        .join('');
    const dir = workspace([BANDIT], { '.security-gate.yml': yml });
    const { verdict } = await runGate(options(dir, { reports: [BANDIT] }), deps().deps);
    expect(inApi).toBeGreaterThan(0);
    expect(verdict.ignored).toHaveLength(inApi);
  });
});

describe('baseline', () => {
  test('when the base branch had the same findings, then none is new and none fails', async () => {
    const dir = workspace([BANDIT]);
    const { verdict } = await runGate(
      options(dir, { reports: [BANDIT], baseline: [BANDIT], failOn: 'low' }),
      deps().deps,
    );
    expect(verdict.newCount).toBe(0);
    expect(verdict.failingCount).toBe(0);
    expect(verdict.reported).toHaveLength(banditResults.length);
  });

  test('when the code moved and three findings appeared, then exactly those three are new', async () => {
    const base = raw(BANDIT);
    const removed = base.results.splice(10, 3);
    const head = raw(BANDIT);
    // The pull request inserted 12 lines at the top of every file: line numbers move, the code does not.
    for (const r of head.results) {
      r.line_number += 12;
      r.line_range = r.line_range.map((n: number) => n + 12);
      r.code = r.code.replace(/^(\d+) /gm, (_: string, n: string) => `${Number(n) + 12} `);
    }
    const dir = workspace([]);
    writeFileSync(join(dir, 'head.json'), JSON.stringify(head));
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
    const { verdict } = await runGate(
      options(dir, { reports: ['head.json'], baseline: ['base.json'], failOn: 'low' }),
      deps().deps,
    );
    expect(verdict.newCount).toBe(3);
    expect(verdict.failingCount).toBe(3);
    const failing = verdict.reported
      .filter((e) => e.failing)
      .map((e) => `${e.finding.file}:${e.finding.line! - 12}:${e.finding.ruleId}`);
    expect(failing.sort()).toEqual(
      removed.map((r: any) => `${r.filename.replace(/\\/g, '/')}:${r.line_number}:${r.test_id}`).sort(),
    );
  });
});
