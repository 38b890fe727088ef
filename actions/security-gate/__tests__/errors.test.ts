import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runGate } from '../src/gate.js';
import { parseIgnoreFile } from '../src/ignore.js';
import { parseReportText } from '../src/reports.js';
import { mapPath, parsePathMap } from '../src/path-map.js';
import { deps, FIXTURES, options, workspace } from './helpers.js';

describe('bad report files', () => {
  test('when a report is malformed JSON, then the error names the file and the parse position', async () => {
    const dir = workspace([], { 'broken.json': '{\n  "Results": [\n    {"Target": "x",,}\n  ]\n}\n' });
    const offset = '{\n  "Results": [\n    {"Target": "x",'.length; // the second comma
    await expect(runGate(options(dir, { reports: ['broken.json'] }), deps().deps)).rejects.toThrow(
      `broken.json: malformed JSON at line 3, column 20 (offset ${offset}): `,
    );
  });

  test("when bandit's log lines precede its report (2>&1 into the file), then the position is where JSON stops", () => {
    const report = readFileSync(join(FIXTURES, 'bandit/osservatorio.json'), 'utf8');
    // the lines bandit 1.6.2 writes to stderr before a JSON report
    const text =
      '[main]\tINFO\tprofile include tests: None\n[main]\tINFO\tprofile exclude tests: None\n' + report;
    expect(() => parseReportText(text, 'bandit.json')).toThrow(
      "bandit.json: malformed JSON at line 1, column 2 (offset 1): Unexpected token 'm'", // `[` opens an array
    );
    expect(() => parseReportText(`Run started:2025-10-27 08:27:06\n${report}`, 'bandit.json')).toThrow(
      "bandit.json: malformed JSON at line 1, column 1 (offset 0): Unexpected token 'R'",
    );
  });

  test('when a token inside the report is wrong, then the position is that token, not the end of the file', () => {
    const report = readFileSync(join(FIXTURES, 'bandit/osservatorio.json'), 'utf8');
    const at = report.indexOf('"issue_severity": "MEDIUM"') + '"issue_severity": '.length;
    const text = report.slice(0, at) + 'MEDIUM' + report.slice(at + '"MEDIUM"'.length);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    expect(() => parseReportText(text, 'bandit.json')).toThrow(
      `bandit.json: malformed JSON at line ${line}, column ${column} (offset ${at}): Unexpected token 'M'`,
    );
  });

  test('when a report starts with a UTF-8 byte-order mark (PowerShell Out-File), then it reads as without one', () => {
    const report = readFileSync(join(FIXTURES, 'bandit/osservatorio.json'));
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), report]).toString('utf8');
    const plain = parseReportText(report.toString('utf8'), 'bandit.json');
    expect(plain.findings.length).toBeGreaterThan(0);
    expect(parseReportText(withBom, 'bandit.json')).toEqual(plain);
  });

  test('when a report is truncated, then the position is its end', () => {
    const text = '{"results": [';
    expect(() => parseReportText(text, 'cut.json')).toThrow(
      `cut.json: malformed JSON at line 1, column 14 (offset 13)`,
    );
  });

  test('when a report is in no supported format, then the error lists the formats', async () => {
    // A real SBOM (Syft's SPDX output): JSON, but no report. sbom-upload's fixtures hold the one copy.
    const sbom = join(FIXTURES, '../../../sbom-upload/__tests__/fixtures/syft-0.83.0-dir.spdx.json');
    const dir = workspace([], { 'syft-0.83.0-dir.spdx.json': readFileSync(sbom, 'utf8') });
    await expect(runGate(options(dir, { reports: ['*.spdx.json'] }), deps().deps)).rejects.toThrow(
      'syft-0.83.0-dir.spdx.json: not a report in a supported format. Supported: Trivy JSON (trivy --format json), ' +
        'Bandit JSON (bandit -f json), SARIF 2.1.0, npm audit JSON (npm 7+ v2 or npm 6 v1).',
    );
  });

  test('when format is forced and the file is another format, then both are named', () => {
    expect(() => parseReportText('{"runs": [], "version": "2.1.0"}', 'r.sarif', 'trivy')).toThrow(
      "r.sarif: 'format' is trivy but the file does not look like trivy (it looks like sarif).",
    );
  });

  test('when a glob matches nothing, then if-no-files decides', async () => {
    const dir = workspace([]);
    await expect(runGate(options(dir, { reports: ['reports/*.json'] }), deps().deps)).rejects.toThrow(
      "Input 'reports': 'reports/*.json' matched no files (in " +
        dir +
        '). Set if-no-files to warn or ignore to allow this.',
    );
    const warned = deps();
    const result = await runGate(
      options(dir, { reports: ['reports/*.json'], ifNoFiles: 'warn' }),
      warned.deps,
    );
    expect(warned.warnings).toEqual([`Input 'reports': 'reports/*.json' matched no files (in ${dir}).`]);
    expect(result.verdict.passed).toBe(true);
    const ignored = deps();
    await runGate(options(dir, { reports: ['missing.json'], ifNoFiles: 'ignore' }), ignored.deps);
    expect(ignored.warnings).toEqual([]);
  });
});

describe('bad ignore files', () => {
  const cases: [string, string, string][] = [
    [
      'a missing reason',
      'ignore:\n  - id: B110\n    expires: 2027-01-01\n',
      "x.yml: ignore[0] (id B110): field 'reason' is required",
    ],
    [
      'a missing expiry',
      'ignore:\n  - id: B110\n    reason: ok\n',
      "x.yml: ignore[0] (id B110): field 'expires' is required",
    ],
    [
      'an impossible date',
      'ignore:\n  - id: A\n    reason: r\n    expires: 2027-01-01\n  - id: B\n    reason: r\n    expires: 2027-02-30\n',
      "x.yml: ignore[1] (id B): field 'expires' must be a date as YYYY-MM-DD, got '2027-02-30'.",
    ],
    [
      'a missing id',
      'ignore:\n  - reason: r\n    expires: 2027-01-01\n',
      "x.yml: ignore[0]: field 'id' is required",
    ],
    [
      'an unknown field',
      'ignore:\n  - id: A\n    reason: r\n    expires: 2027-01-01\n    pkg: openssl\n',
      "x.yml: ignore[0] (id A): field 'pkg' is not known; allowed fields are id, package, path, reason, expires.",
    ],
    ['ignore not a list', 'ignore: CVE-1\n', "x.yml: 'ignore' must be a list of entries, got string."],
    ['an unknown top-level key', 'ignores: []\n', "x.yml: unknown top-level key 'ignores'"],
    ['broken YAML', 'ignore:\n  - id: [A\n', 'x.yml: not valid YAML at line'],
  ];
  test.each(cases)('when the file has %s, then the error names the entry and field', (_, text, message) => {
    expect(() => parseIgnoreFile(text, 'x.yml')).toThrow(message);
  });

  test('when an explicitly named ignore file does not exist, then that is an error', async () => {
    const dir = workspace(['bandit/osservatorio.json']);
    await expect(
      runGate(
        options(dir, { reports: ['bandit/osservatorio.json'], ignoreFile: 'policy/gate.yml' }),
        deps().deps,
      ),
    ).rejects.toThrow("Input 'ignore-file': policy/gate.yml does not exist.");
  });

  test('when the invalid ignore file is the default one, then the gate fails before reading reports', async () => {
    const dir = workspace(['bandit/osservatorio.json']);
    writeFileSync(join(dir, '.security-gate.yml'), 'ignore:\n  - id: B608\n    expires: 2027-01-01\n');
    await expect(
      runGate(options(dir, { reports: ['bandit/osservatorio.json'] }), deps().deps),
    ).rejects.toThrow(".security-gate.yml: ignore[0] (id B608): field 'reason' is required");
  });
});

describe('path-map', () => {
  test.each([
    [
      '/src',
      "Input 'path-map': entry '/src' is not FROM=TO; e.g. /src=. maps /src/app/main.py to app/main.py.",
    ],
    [
      '=app',
      "Input 'path-map': entry '=app' has an empty FROM; e.g. /src=. maps /src/app/main.py to app/main.py.",
    ],
    [
      '/src=/work',
      "Input 'path-map': entry '/src=/work' maps to '/work', which is not inside the workspace; TO is a path relative to the workspace (. for its root), e.g. /src=. maps /src/app/main.py to app/main.py.",
    ],
    ['/src=../x', "Input 'path-map': entry '/src=../x' maps to '../x', which is not inside the workspace"],
  ])('when an entry is %j, then the error names the input and the expected form', (line, message) => {
    expect(() => parsePathMap([line])).toThrow(message);
  });

  test.each([
    ['/src/app/main.py', ['/src=.'], 'app/main.py'],
    ['/src/app/main.py', ['/src/=./'], 'app/main.py'],
    ['/src/app/main.py', ['/src=backend'], 'backend/app/main.py'],
    ['/srcx/main.py', ['/src=.'], '/srcx/main.py'],
    ['C:/build/app/x.py', ['C:\\build=.'], 'app/x.py'],
    ['/a/b.py', ['/b=.', '/a=lib'], 'lib/b.py'],
  ])('when %j is mapped with %j, then it becomes %j', (path, lines, expected) => {
    expect(mapPath(path, parsePathMap(lines))).toBe(expected);
  });
});
