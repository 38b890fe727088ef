import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { fingerprint } from '../src/finding.js';
import { evaluate } from '../src/policy.js';
import { detectFormat, loadReports, parseReportText } from '../src/reports.js';
import { countRaw, nonZero } from './independent-count.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const REPORTS = [
  'trivy/fs-vulns-misconfig-secrets.json',
  'trivy/fs-misconfig-license.json',
  'trivy/golden-alpine-310.sarif',
  'trivy/image-debian13-todo-api.json',
  'bandit/osservatorio.json',
  'bandit/defectdojo-selfscan-2021.json',
  'codeql/vulnerable-express-2.12.5.sarif',
  'semgrep/semgrep-oss-1.69.0.sarif',
  'eslint/iframe-resizer.sarif',
  'npm-audit/v2-32-vulns.json',
  'npm-audit/v1-legacy-advisories.json',
  'flawfinder/flawfinder-2.0.19-test-c.sarif',
];

function gateCounts(path: string) {
  const loaded = loadReports([{ path, display: path }], 'auto');
  const verdict = evaluate(loaded.findings, {
    failOn: 'none',
    reportOn: 'none',
    ignoreUnfixed: false,
    minConfidence: 'low',
    ignores: [],
    diffMode: 'none',
    now: new Date(),
  });
  return { counts: nonZero(verdict.counts), loaded };
}

describe.each(REPORTS)('when the gate reads %s', (name) => {
  const path = join(FIXTURES, name);
  test('then its counts per tool and severity equal an independent count of the raw JSON', () => {
    const { tally, suppressed } = countRaw(path);
    const { counts, loaded } = gateCounts(path);
    expect(counts).toEqual(tally);
    expect(Object.values(loaded.suppressed).reduce((a, b) => a + b, 0)).toBe(suppressed);
  });

  test('then every finding has a distinct fingerprint', () => {
    const { loaded } = gateCounts(path);
    expect(new Set(loaded.findings.map((f) => f.fingerprint)).size).toBe(loaded.findings.length);
  });
});

// Figures recorded in the shared SOURCES.md by whoever collected the files (not computed by this code).
test('when counted, then the totals match the figures recorded in SOURCES.md', () => {
  const c = (name: string) => gateCounts(join(FIXTURES, name)).counts;
  expect(c('trivy/image-debian13-todo-api.json')).toEqual({
    trivy: { critical: 2, high: 12, medium: 43, low: 65, info: 36 },
  });
  // 2 vulns HIGH:1 MEDIUM:1, 1 misconfiguration HIGH, 2 secrets CRITICAL
  expect(c('trivy/fs-vulns-misconfig-secrets.json')).toEqual({ trivy: { critical: 2, high: 2, medium: 1 } });
  expect(c('trivy/fs-misconfig-license.json')).toEqual({ trivy: { high: 5, low: 3 } });
  expect(c('bandit/osservatorio.json')).toEqual({ bandit: { medium: 35, low: 22 } });
  expect(c('bandit/defectdojo-selfscan-2021.json')).toEqual({ bandit: { medium: 36, low: 11 } });
  expect(c('codeql/vulnerable-express-2.12.5.sarif')).toEqual({ codeql: { high: 4, medium: 10 } });
  expect(c('semgrep/semgrep-oss-1.69.0.sarif')).toEqual({
    'semgrep-oss': { critical: 34, high: 1, medium: 42 },
  });
  expect(c('trivy/golden-alpine-310.sarif')).toEqual({ trivy: { medium: 4 } });
  expect(c('eslint/iframe-resizer.sarif')).toEqual({});
  expect(c('npm-audit/v2-32-vulns.json')).toEqual({
    'npm-audit': { critical: 9, high: 20, medium: 2, low: 1 },
  });
  expect(c('npm-audit/v1-legacy-advisories.json')).toEqual({
    'npm-audit': { critical: 9, high: 49, medium: 26, low: 8 },
  });
});

// Every real report in the shared fixture set, when it is beside the repository (the copies in fixtures/ are
// what a fresh clone tests; this adds the rest of the shared set where it exists).
const SHARED = ['../shared/fixtures/reports', '../../shared/fixtures/reports']
  .map((p) => join(process.cwd(), p))
  .find((p) => existsSync(p));
const sharedReports = SHARED
  ? readdirSync(SHARED, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(json|sarif)$/.test(f))
      .filter((f) => detectFormat(JSON.parse(readFileSync(join(SHARED, f), 'utf8'))) !== undefined)
  : [];
if (SHARED) {
  describe('every supported report in shared/fixtures/reports', () => {
    test.each(sharedReports)('%s: counts equal an independent count', (name) => {
      const path = join(SHARED!, name);
      expect(nonZero(gateCounts(path).counts)).toEqual(countRaw(path).tally);
    });
  });
}

describe('SARIF artifact URIs', () => {
  // The real CodeQL log, with its first result moved to a file whose name needs percent-encoding: a SARIF
  // artifactLocation.uri is a URI reference (SARIF 2.1.0 §3.4.3), so CodeQL writes `my%20file%231.ts`.
  function codeqlWithUri(uri: string) {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'codeql/vulnerable-express-2.12.5.sarif'), 'utf8'));
    doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = uri;
    return parseReportText(JSON.stringify(doc), 'codeql.sarif').findings[0]!;
  }

  test('when a relative URI is percent-encoded, then the finding names the file once decoded', () => {
    expect(codeqlWithUri('src/my%20file%231.ts').file).toBe('src/my file#1.ts');
    expect(codeqlWithUri('src/caf%C3%A9.ts').file).toBe('src/café.ts');
  });

  test('when a relative URI has a % that is not an escape, then it is taken as written', () => {
    expect(codeqlWithUri('src/100%.ts').file).toBe('src/100%.ts');
  });

  test('when the URI is an encoded file:// URI under the workspace, then it is decoded once', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'codeql/vulnerable-express-2.12.5.sarif'), 'utf8'));
    doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri =
      'file:///home/runner/work/app/app/src/my%2520file.ts';
    const finding = parseReportText(JSON.stringify(doc), 'codeql.sarif', 'auto', '/home/runner/work/app/app')
      .findings[0]!;
    expect(finding.file).toBe('src/my%20file.ts');
  });
});

describe('normalized findings', () => {
  const load = (name: string) =>
    loadReports([{ path: join(FIXTURES, name), display: name }], 'auto').findings;

  test('when an image is scanned, then package vulnerabilities carry the package and no source location', () => {
    const findings = load('trivy/image-debian13-todo-api.json');
    expect(findings.every((f) => f.file === undefined && f.line === undefined)).toBe(true);
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'trivy/image-debian13-todo-api.json'), 'utf8'));
    const first = raw.Results[0].Vulnerabilities[0];
    expect(findings[0]).toMatchObject({
      ruleId: first.VulnerabilityID,
      package: { name: first.PkgName, installed: first.InstalledVersion, fixed: first.FixedVersion ?? '' },
    });
  });

  test('when trivy fs reports misconfigurations and secrets, then they point at the file and line', () => {
    const findings = load('trivy/fs-vulns-misconfig-secrets.json');
    const secret = findings.find((f) => f.kind === 'secret' && f.file === 'Dockerfile');
    expect(secret).toMatchObject({ ruleId: 'github-pat', line: 24, severity: 'critical' });
    const withLines = load('trivy/fs-misconfig-license.json').filter((f) => f.line !== undefined);
    expect(withLines.map((f) => `${f.file}:${f.line}:${f.ruleId}`).sort()).toEqual([
      'Dockerfile:3:DS022',
      'Dockerfile:7:DS029',
      'services/postgresql/Dockerfile:3:DS022',
      'services/postgresql/Dockerfile:5:DS005',
    ]);
  });

  test('when bandit ran on Windows, then paths use forward slashes', () => {
    const f = load('bandit/osservatorio.json')[0]!;
    expect(f).toMatchObject({
      file: 'src/api/dependencies.py',
      line: 535,
      ruleId: 'B110',
      confidence: 'high',
    });
  });

  test('when Trivy SARIF puts packages on line 1 of the image, then no line is kept', () => {
    const findings = load('trivy/golden-alpine-310.sarif');
    expect(findings.every((f) => f.line === undefined && f.package?.name)).toBe(true);
  });

  test('when eslint results carry suppressions, then they are excluded and counted', () => {
    const loaded = loadReports(
      [{ path: join(FIXTURES, 'eslint/iframe-resizer.sarif'), display: 'x' }],
      'auto',
    );
    expect(loaded.findings).toHaveLength(0);
    expect(loaded.suppressed).toEqual({ eslint: 12 });
  });

  test('when code moves down, then bandit and SARIF fingerprints do not change', () => {
    for (const name of [
      'bandit/osservatorio.json',
      'codeql/vulnerable-express-2.12.5.sarif',
      'semgrep/semgrep-oss-1.69.0.sarif',
    ]) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const shifted = text
        .replace(/"line_number": (\d+)/g, (_, n) => `"line_number": ${Number(n) + 7}`)
        .replace(/^(\d+) /gm, (_, n) => `${Number(n) + 7} `)
        .replace(/"startLine": ?(\d+)/g, (_, n) => `"startLine": ${Number(n) + 7}`)
        .replace(/\\n(\d+) /g, (_, n) => `\\n${Number(n) + 7} `)
        .replace(/"code": "(\d+) /g, (_, n) => `"code": "${Number(n) + 7} `);
      const a = fingerprint(parseReportText(text, name).findings).map((f) => f.fingerprint);
      const shiftedFindings = fingerprint(parseReportText(shifted, name).findings);
      expect(shiftedFindings.map((f) => f.fingerprint)).toEqual(a);
      expect(shiftedFindings.some((f) => f.line !== undefined)).toBe(true);
    }
  });

  test('when a different rule hits the same place, then the fingerprint differs', () => {
    const f = load('bandit/osservatorio.json')[0]!;
    const [a, b] = fingerprint([
      { ...f, ruleId: 'B110' },
      { ...f, ruleId: 'B112' },
    ]);
    expect(a!.fingerprint).not.toBe(b!.fingerprint);
  });

  test('when Semgrep writes security-severity as words, then the words are the severity', () => {
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'semgrep/semgrep-oss-1.69.0.sarif'), 'utf8'));
    const rules = new Map<string, string>(
      raw.runs[0].tool.driver.rules.map((r: { id: string; properties: Record<string, string> }) => [
        r.id,
        r.properties['security-severity']!,
      ]),
    );
    for (const f of load('semgrep/semgrep-oss-1.69.0.sarif')) {
      expect(f.severity).toBe(rules.get(f.ruleId)!.toLowerCase());
    }
  });

  test('when a Trivy report lists licenses, then each is a license finding with its severity', () => {
    // Shape as trivy writes it (pkg/types/report.go DetectedLicense); the real fixture has none populated.
    const doc = {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: 'Node.js',
          Class: 'license',
          Licenses: [
            {
              Severity: 'HIGH',
              Category: 'restricted',
              PkgName: 'left-pad',
              FilePath: '',
              Name: 'GPL-3.0',
              Confidence: 1,
              Link: '',
            },
            {
              Severity: 'UNKNOWN',
              Category: 'unknown',
              PkgName: 'x',
              FilePath: '',
              Name: 'Custom',
              Confidence: 1,
              Link: '',
            },
          ],
        },
      ],
    };
    const findings = parseReportText(JSON.stringify(doc), 'l.json').findings;
    expect(findings.map((f) => [f.kind, f.ruleId, f.severity, f.package?.name])).toEqual([
      ['license', 'GPL-3.0', 'high', 'left-pad'],
      ['license', 'Custom', 'info', 'x'],
    ]);
  });

  test('when SARIF results are passes or not applicable, then they are not findings', () => {
    const doc = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Checker', rules: [{ id: 'R1' }] } },
          results: [
            { ruleId: 'R1', kind: 'pass', message: { text: 'ok' } },
            { ruleId: 'R1', kind: 'notApplicable', message: { text: 'n/a' } },
            { ruleId: 'R1', kind: 'fail', level: 'error', message: { text: 'bad' } },
            {
              ruleId: 'R1',
              level: 'note',
              message: { text: 'meh' },
              suppressions: [{ kind: 'external', status: 'rejected' }],
            },
            {
              ruleId: 'R1',
              message: { text: 'hidden' },
              suppressions: [{ kind: 'inSource', status: 'underReview' }],
            },
          ],
        },
      ],
    };
    const parsed = parseReportText(JSON.stringify(doc), 'c.sarif');
    // a rejected suppression does not suppress; one under review does not either (only accepted or unstated)
    expect(parsed.findings.map((f) => [f.title, f.severity])).toEqual([
      ['bad', 'high'],
      ['meh', 'low'],
      ['hidden', 'medium'],
    ]);
    expect(parsed.suppressed).toEqual({});
  });

  test('when npm audit v2 lists packages, then each is one finding with its advisory or the package it goes through', () => {
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'npm-audit/v2-32-vulns.json'), 'utf8'));
    const findings = load('npm-audit/v2-32-vulns.json');
    const entries = Object.values(raw.vulnerabilities) as {
      name: string;
      via: unknown[];
      fixAvailable: unknown;
    }[];
    expect(findings.map((f) => f.package!.name)).toEqual(entries.map((e) => e.name));
    for (const [i, e] of entries.entries()) {
      const advisory = e.via.find((v): v is { url: string } => typeof v === 'object');
      if (advisory) expect(findings[i]!.ruleId).toBe(advisory.url.split('/').pop());
      else expect(findings[i]!.ruleId).toBe(`npm:${e.name}`);
      expect(findings[i]!.package!.fixed).not.toBe('');
    }
  });

  test('when npm 6 audit lists advisories, then each is a finding keyed by its GHSA id', () => {
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'npm-audit/v1-legacy-advisories.json'), 'utf8'));
    const advisories = Object.values(raw.advisories) as {
      github_advisory_id: string;
      module_name: string;
      cves: string[];
    }[];
    const findings = load('npm-audit/v1-legacy-advisories.json');
    expect(findings.map((f) => [f.ruleId, f.package!.name])).toEqual(
      advisories.map((a) => [a.github_advisory_id, a.module_name]),
    );
    expect(findings[0]!.aliases).toEqual(expect.arrayContaining(advisories[0]!.cves));
  });
});
