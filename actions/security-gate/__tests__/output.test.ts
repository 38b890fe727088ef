import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AnnotationBudget, type Annotation } from '../../lib/annotations.js';
import { annotate } from '../src/annotate.js';
import type { Finding } from '../src/finding.js';
import { buildSummary } from '../src/gate-summary.js';
import { evaluate } from '../src/policy.js';
import { runGate } from '../src/gate.js';
import { deps, FIXTURES, options, workspace } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const raw = (name: string): any => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

const ALL = [
  'trivy/fs-vulns-misconfig-secrets.json',
  'trivy/image-debian13-todo-api.json',
  'trivy/golden-alpine-310.sarif',
  'bandit/osservatorio.json',
  'codeql/vulnerable-express-2.12.5.sarif',
  'semgrep/semgrep-oss-1.69.0.sarif',
  'eslint/iframe-resizer.sarif',
  'npm-audit/v2-32-vulns.json',
];

describe('annotations', () => {
  test('when there are more findings than the budget, then the worst get the 10 slots of each level', async () => {
    const dir = workspace(['bandit/osservatorio.json', 'codeql/vulnerable-express-2.12.5.sarif']);
    const d = deps();
    const { verdict } = await runGate(
      options(dir, {
        reports: ['bandit/osservatorio.json', 'codeql/vulnerable-express-2.12.5.sarif'],
        failOn: 'high',
      }),
      d.deps,
    );
    const byLevel = (l: string) => d.annotations.filter((a) => a.level === l);
    // CodeQL's 4 high results fail (error); medium findings (bandit 35 + codeql 10) are warnings; low ones notices.
    expect(byLevel('error')).toHaveLength(verdict.failingCount);
    expect(verdict.failingCount).toBe(4);
    expect(byLevel('warning')).toHaveLength(10);
    expect(byLevel('notice')).toHaveLength(10);
    expect(byLevel('error').every((a) => a.properties!.title!.startsWith('HIGH codeql'))).toBe(true);
  });

  test('when findings have no source location, then no annotation is made (never a fake line 1)', async () => {
    const dir = workspace(['trivy/image-debian13-todo-api.json', 'trivy/golden-alpine-310.sarif']);
    const d = deps();
    const { verdict, summary } = await runGate(
      options(dir, { reports: ['trivy/*'], failOn: 'critical' }),
      d.deps,
    );
    expect(verdict.failingCount).toBe(2);
    expect(d.annotations).toEqual([]);
    expect(summary).toContain('### Failing findings');
  });

  test('when the budget is spent, then ranking decides: failing, severity, then added lines', () => {
    const base: Finding = {
      tool: 't',
      kind: 'code',
      ruleId: 'R',
      aliases: [],
      severity: 'low',
      title: 'x',
      file: 'a.py',
      line: 1,
      locationKey: '',
      fingerprint: '',
      report: 'r',
    };
    const findings: Finding[] = Array.from({ length: 30 }, (_, i) => ({
      ...base,
      line: i + 1,
      fingerprint: String(i),
      severity: i < 15 ? 'low' : 'medium',
    }));
    const changed = { files: new Map([['a.py', new Set([3, 4])]]), source: 'api' as const };
    const verdict = evaluate(findings, {
      failOn: 'none',
      reportOn: 'low',
      ignoreUnfixed: false,
      minConfidence: 'low',
      ignores: [],
      diffMode: 'file',
      changed,
      now: new Date(),
    });
    const emitted: Annotation[] = [];
    const budget = new AnnotationBudget((a) => emitted.push(a));
    annotate(verdict.reported, budget);
    const notices = emitted.filter((a) => a.level === 'notice').map((a) => a.properties!.startLine);
    expect(notices.slice(0, 2)).toEqual([3, 4]);
    expect(notices).toHaveLength(10);
    expect(budget.droppedCounts).toEqual({ error: 0, warning: 5, notice: 5 });
  });
});

describe('job summary', () => {
  test('when there are very many findings, then it stays under 1 MiB and says how many are not shown', () => {
    const findings: Finding[] = Array.from({ length: 60_000 }, (_, i) => ({
      tool: 'trivy',
      kind: 'vulnerability',
      ruleId: `CVE-2024-${i}`,
      aliases: [],
      severity: i % 2 ? 'critical' : 'low',
      title: 'A long title that repeats '.repeat(4),
      package: { name: `pkg${i}`, installed: '1.0.0', fixed: '1.0.1' },
      target: 'image (debian 12)',
      locationKey: '',
      fingerprint: String(i),
      report: 'r',
    }));
    const verdict = evaluate(findings, {
      failOn: 'high',
      reportOn: 'low',
      ignoreUnfixed: false,
      minConfidence: 'low',
      ignores: [],
      diffMode: 'none',
      now: new Date(),
    });
    const md = buildSummary(verdict, {
      failOn: 'high',
      reportOn: 'low',
      annotationsDropped: 0,
      maxRows: Infinity,
    });
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    const shown = (md.match(/^\| critical \|/gm) ?? []).length;
    expect(md).toContain(`_${30_000 - shown} more failing findings not shown._`);
    expect(md.indexOf('### Failing findings')).toBeLessThan(md.indexOf('more failing findings not shown'));
    expect(md).toMatch(/more entries not shown \(job summary size limit\)|more findings not shown/);
  });

  test('when reports are summarised, then counts per tool and severity head the summary', async () => {
    const dir = workspace(['bandit/osservatorio.json', 'eslint/iframe-resizer.sarif']);
    const { summary } = await runGate(
      options(dir, {
        reports: ['bandit/osservatorio.json', 'eslint/iframe-resizer.sarif'],
        failOn: 'medium',
      }),
      deps().deps,
    );
    const r = raw('bandit/osservatorio.json').results;
    const n = (s: string) => r.filter((x: any) => x.issue_severity === s).length;
    expect(summary).toContain('| Tool | critical | high | medium | low | info | suppressed in SARIF |');
    expect(summary).toContain(`| bandit | 0 | 0 | ${n('MEDIUM')} | ${n('LOW')} | 0 | 0 |`);
    expect(summary).toContain(
      `**Failed**: ${n('MEDIUM')} findings at or above \`medium\` block this change.`,
    );
    expect(summary).toContain('12 SARIF results carry suppressions and were not gated.');
  });
});

describe('merged SARIF output', () => {
  const schema = raw('schema/sarif-schema-2.1.0.json');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  test('when several reports are merged, then the log is valid SARIF 2.1.0 with one run per tool and distinct categories', async () => {
    const dir = workspace(ALL);
    const { sarif, verdict } = await runGate(
      options(dir, { reports: ALL, failOn: 'high', sarif: true }),
      deps().deps,
    );
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const runs = (sarif as any).runs as any[];
    const tools = runs.map((r) => r.tool.driver.name);
    // Every tool read has its run; ESLint's results in iframe-resizer.sarif are all suppressed, so its run is empty.
    expect(tools).toEqual(['bandit', 'codeql', 'eslint', 'npm-audit', 'semgrep-oss', 'trivy']);
    expect(runs.filter((r) => r.results.length === 0).map((r) => r.tool.driver.name)).toEqual(['eslint']);
    expect(new Set(runs.map((r) => r.automationDetails.id)).size).toBe(runs.length);
    expect(runs.reduce((n, r) => n + r.results.length, 0)).toBe(verdict.reported.length);
    // every result's ruleIndex points at its rule
    for (const run of runs)
      for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
  });

  test('when a tool has nothing reported (a clean scan), then it still gets its run, empty, so code scanning closes its alerts', async () => {
    const reports = ['bandit/osservatorio.json', 'eslint/iframe-resizer.sarif'];
    const dir = workspace(reports);
    // osservatorio's Bandit findings are all medium or low; with report-on high none of them is reported.
    const bandit = raw('bandit/osservatorio.json').results as { issue_severity: string }[];
    expect(bandit.filter((r) => r.issue_severity === 'HIGH')).toEqual([]);
    const { sarif } = await runGate(
      options(dir, { reports, reportOn: 'high', failOn: 'high', sarif: true }),
      deps().deps,
    );
    expect(validate(sarif)).toBe(true);
    const runs = (sarif as any).runs as any[];
    expect(runs.map((r) => [r.tool.driver.name, r.automationDetails.id, r.results.length])).toEqual([
      ['bandit', 'security-gate/bandit/', 0],
      ['eslint', 'security-gate/eslint/', 0],
    ]);
  });

  test('when the schema is given an invalid log, then it rejects it (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});
