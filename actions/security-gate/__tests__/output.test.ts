import { readFileSync, writeFileSync } from 'node:fs';
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
import { parsePathMap } from '../src/path-map.js';
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

describe('the step error budget', () => {
  // Semgrep's real log: 35 results of CRITICAL/HIGH security-severity, so fail-on high fails 35 findings.
  test('when 10 or more findings fail, then 9 are annotated and the 10th error is the verdict', async () => {
    const name = 'semgrep/semgrep-oss-1.69.0.sarif';
    const dir = workspace([name]);
    const d = deps();
    const { verdict, summary } = await runGate(options(dir, { reports: [name], failOn: 'high' }), d.deps);
    expect(verdict.passed).toBe(false);
    expect(verdict.failingCount).toBeGreaterThanOrEqual(10);
    expect(d.annotations.filter((a) => a.level === 'error')).toHaveLength(9);
    expect(summary).toContain(
      'annotations not shown (GitHub shows 10 per level per step); all are listed above.',
    );
  });

  test('when the gate passes, then all 10 error slots may go to findings', async () => {
    const name = 'semgrep/semgrep-oss-1.69.0.sarif';
    const dir = workspace([name]);
    const d = deps();
    const { verdict } = await runGate(options(dir, { reports: [name], failOn: 'none' }), d.deps);
    expect(verdict.passed).toBe(true);
    expect(d.annotations.filter((a) => a.level === 'error')).toHaveLength(0);
    expect(d.annotations.filter((a) => a.level === 'warning')).toHaveLength(10);
  });

  test('when the step already printed warnings (expired ignores), then findings get only the warning slots left', async () => {
    const name = 'bandit/osservatorio.json';
    const dir = workspace([name], {
      '.security-gate.yml':
        'ignore:\n  - id: B999\n    reason: old\n    expires: 2020-01-01\n  - id: B998\n    reason: old\n    expires: 2020-01-01\n',
    });
    const d = deps();
    await runGate(options(dir, { reports: [name], failOn: 'none' }), d.deps);
    expect(d.warnings).toHaveLength(2);
    expect(d.annotations.filter((a) => a.level === 'warning')).toHaveLength(8);
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
    expect(md).toContain(
      `_${30_000 - shown} more failing findings not shown; set \`sarif-output\` to get every finding in one SARIF file._`,
    );
    expect(md.indexOf('### Failing findings')).toBeLessThan(md.indexOf('more failing findings not shown'));
    expect(md).toMatch(/more entries not shown \(job summary size limit\)|more findings not shown/);
  });

  test('when the tables are cut short, then the summary says where every finding is, not that all are listed', async () => {
    const name = 'semgrep/semgrep-oss-1.69.0.sarif'; // 77 real results
    const dir = workspace([name]);
    const { verdict } = await runGate(options(dir, { reports: [name], failOn: 'high' }), deps().deps);
    const failing = verdict.reported.filter((e) => e.failing).length;
    const others = verdict.reported.length - failing;
    const context = { failOn: 'high', reportOn: 'low', annotationsDropped: 47, maxRows: 20 };
    const withSarif = buildSummary(verdict, { ...context, sarifOutput: 'gate.sarif' });
    expect(withSarif).toContain(
      `_${failing - 20} more failing findings not shown; every finding is in \`gate.sarif\` (\`sarif-output\`)._`,
    );
    expect(withSarif).toContain(
      `47 annotations not shown (GitHub shows 10 per level per step); ${failing - 20 + others - 20} findings are not listed above either: every finding is in \`gate.sarif\` (\`sarif-output\`).`,
    );
    expect(withSarif).not.toContain('all are listed above');
    const without = buildSummary(verdict, context);
    expect(without).toContain(
      `findings are not listed above either: set \`sarif-output\` to get every finding in one SARIF file.`,
    );
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

describe('paths outside the workspace', () => {
  // Real bandit output (written on Windows) as a Linux container that saw the code at /src writes it
  // (bandit -r /src): the report's own relative paths, rooted at /src, with forward slashes.
  const relative = (filename: string) => filename.replace(/\\/g, '/').replace(/^\.\//, '');
  function containerBandit(dir: string): void {
    const doc = raw('bandit/osservatorio.json');
    for (const r of doc.results) r.filename = `/src/${relative(r.filename)}`;
    writeFileSync(join(dir, 'bandit.json'), JSON.stringify(doc));
  }

  test('when no path-map is given, then such findings get no annotation and the summary says how to map them', async () => {
    const dir = workspace([]);
    containerBandit(dir);
    const d = deps();
    const { verdict, summary } = await runGate(
      options(dir, { reports: ['bandit.json'], blobBase: 'https://github.com/o/r/blob/abc/' }),
      d.deps,
    );
    expect(d.annotations).toEqual([]);
    expect(summary).toMatch(
      new RegExp(
        `${verdict.reported.length} findings point at files outside the workspace \\(such as \`/src/[^\`]+\`\\), so no annotation could be attached to them; map the scanner's path onto the workspace with \`path-map\` \\(e\\.g\\. \`/src=\\.\` when it scanned the code at /src\\)\\.`,
      ),
    );
    expect(summary).not.toContain('](https://github.com/o/r/blob/abc//src/');
  });

  test('when path-map maps /src onto the workspace, then the findings attach to the workspace files', async () => {
    const dir = workspace([]);
    containerBandit(dir);
    const d = deps();
    const mapped = await runGate(
      options(dir, { reports: ['bandit.json'], pathMap: parsePathMap(['/src=.']) }),
      d.deps,
    );
    const original = raw('bandit/osservatorio.json').results.map((r: any) => relative(r.filename));
    expect(new Set(mapped.verdict.reported.map((e) => e.finding.file))).toEqual(new Set(original));
    expect(d.annotations.length).toBeGreaterThan(0);
    expect(mapped.summary).not.toContain('outside the workspace');
    // the same fingerprints as the report written in the workspace, so a baseline from either matches
    const plain = workspace(['bandit/osservatorio.json']);
    const direct = await runGate(options(plain, { reports: ['bandit/osservatorio.json'] }), deps().deps);
    expect(new Set(mapped.verdict.reported.map((e) => e.finding.fingerprint))).toEqual(
      new Set(direct.verdict.reported.map((e) => e.finding.fingerprint)),
    );
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

  test('when a rule has results of different levels (flawfinder), then code scanning shows each result at its own level', async () => {
    const name = 'flawfinder/flawfinder-2.0.19-test-c.sarif';
    const dir = workspace([name]);
    const { sarif } = await runGate(options(dir, { reports: [name], sarif: true }), deps().deps);
    expect(validate(sarif)).toBe(true);
    const input = raw(name).runs[0];
    const output = (sarif as any).runs[0];
    // result by result (rule and place), the level flawfinder gave is the level uploaded
    const byPlace = (results: any[]) =>
      results
        .map((r: any) => {
          const region = r.locations[0].physicalLocation.region;
          return `${r.ruleId} ${region.startLine}:${region.startColumn} ${r.level}`;
        })
        .sort();
    expect(byPlace(output.results)).toEqual(byPlace(input.results));
    const levels = new Map<string, Set<string>>();
    for (const r of input.results) levels.set(r.ruleId, (levels.get(r.ruleId) ?? new Set()).add(r.level));
    const rule = (id: string) => output.tool.driver.rules.find((r: any) => r.id === id);
    // FF1016 (format/printf): 1 error and 12 notes in the report; no rule-wide security-severity overrides them
    expect(levels.get('FF1016')).toEqual(new Set(['note', 'error']));
    expect(rule('FF1016').properties['security-severity']).toBeUndefined();
    expect(rule('FF1016').defaultConfiguration.level).toBe('error');
    for (const [id, set] of levels) {
      const severity = rule(id).properties['security-severity'];
      if (set.size > 1) expect(severity).toBeUndefined();
      // one level only: the band code scanning shows is that level's (error high 8.0, warning medium 5.5, note low 2.0)
      else expect(severity).toBe({ error: '8.0', warning: '5.5', note: '2.0' }[[...set][0] as string]);
    }
  });

  test('when a file name needs percent-encoding, then the merged SARIF encodes it once and annotations name the file', async () => {
    const dir = workspace([]);
    const doc = raw('codeql/vulnerable-express-2.12.5.sarif');
    doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'src/my%20file%231.ts';
    writeFileSync(join(dir, 'codeql.sarif'), JSON.stringify(doc));
    const d = deps();
    const { sarif, summary } = await runGate(
      options(dir, { reports: ['codeql.sarif'], sarif: true, blobBase: 'https://github.com/o/r/blob/abc/' }),
      d.deps,
    );
    const results = (sarif as any).runs[0].results;
    const uris = results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain('src/my%20file%231.ts');
    expect(uris.filter((u: string) => u.includes('%25'))).toEqual([]);
    expect(d.annotations.map((a) => a.properties!.file)).toContain('src/my file#1.ts');
    expect(summary).toContain('(https://github.com/o/r/blob/abc/src/my%20file%231.ts#L37)');
  });

  test('when the schema is given an invalid log, then it rejects it (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});
