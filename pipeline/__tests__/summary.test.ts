import { describe, expect, test } from '@jest/globals';
import { passed, rehearsalJson, renderSummary, type PipelineReport } from '../summary.js';

const report = (over: Partial<PipelineReport> = {}): PipelineReport => ({
  commit: '5b5a164e36e46ebacef3eba7d4300c215b786719',
  steps: [
    {
      id: 'sha-tag',
      name: '1. sha-tag',
      status: 'passed',
      seconds: 0.42,
      detail: 'tags: main | sha-5b5a164',
    },
    { id: 'build', name: '2. build', status: 'failed', seconds: 61, detail: 'buildah exited 1\nno space' },
    { id: 'gate', name: '3. gate', status: 'not run', seconds: 0, detail: '' },
  ],
  checks: [{ step: 'sha-tag', what: 'registry resolves main', ok: true, detail: '200 sha256:ab' }],
  artifacts: [{ what: 'SBOM', path: '/repo/.pipeline-local/sbom.cdx.json' }],
  stepSummaries: [
    { step: 'sha-tag', markdown: '### sha-tag\n\n| Tag |\n| --- |\n| main |\n' },
    { step: 'empty', markdown: '  \n' },
  ],
  cleanupFailures: [],
  ...over,
});

describe('renderSummary', () => {
  test('when a step failed, then the title says FAILED and the table shows each step, its time and an escaped one-line detail', () => {
    const lines = renderSummary(report()).split('\n');
    expect(lines[0]).toBe('## Local pipeline rehearsal: FAILED');
    expect(lines).toContain('| 1. sha-tag | ✅ passed | 0.4 s | tags: main \\| sha-5b5a164 |');
    expect(lines).toContain('| 2. build | ❌ failed | 61.0 s | buildah exited 1<br>no space |');
    expect(lines).toContain('| 3. gate | ⏭️ not run |  |  |');
  });

  test('when everything passed, then the title says passed and checks, artifacts and non-empty step summaries follow', () => {
    const ok = report({ steps: [{ id: 'a', name: 'a', status: 'passed', seconds: 1, detail: '' }] });
    const text = renderSummary(ok);
    expect(text.split('\n')[0]).toBe('## Local pipeline rehearsal: passed');
    expect(text).toContain('- ✅ registry resolves main: 200 sha256:ab');
    expect(text).toContain('- SBOM: `/repo/.pipeline-local/sbom.cdx.json`');
    expect(text).toContain('<details><summary>sha-tag: its job summary</summary>\n\n### sha-tag');
    expect(text).not.toContain('empty: its job summary');
  });
});

describe('passed', () => {
  const allPassed = { steps: [{ id: 'a', name: 'a', status: 'passed' as const, seconds: 1, detail: '' }] };
  test('when every step and check passed and clean-up left nothing, then the run passed', () => {
    expect(passed(report(allPassed))).toBe(true);
  });
  test('when a check failed, a step did not run, or clean-up failed, then the run did not pass', () => {
    expect(passed(report({ ...allPassed, checks: [{ step: 'a', what: 'x', ok: false, detail: '' }] }))).toBe(
      false,
    );
    expect(
      passed(report({ steps: [{ id: 'a', name: 'a', status: 'not run', seconds: 0, detail: '' }] })),
    ).toBe(false);
    expect(passed(report({ ...allPassed, cleanupFailures: ['registry: busy'] }))).toBe(false);
  });
});

describe('rehearsalJson', () => {
  test('when steps made checks, then each step lists its own by name, and a step passes only when it and its checks did', () => {
    const json = rehearsalJson(
      report({
        checks: [
          { step: 'sha-tag', what: 'tags the commit', ok: true, detail: 'sha=5b5a164' },
          { step: 'build', what: 'revision label', ok: false, detail: 'none' },
        ],
      }),
    );
    expect(json).toEqual({
      commit: '5b5a164e36e46ebacef3eba7d4300c215b786719',
      passed: false,
      steps: [
        {
          id: 'sha-tag',
          title: '1. sha-tag',
          passed: true,
          seconds: 0.4,
          checks: [{ name: 'tags the commit', passed: true, detail: 'sha=5b5a164' }],
        },
        {
          id: 'build',
          title: '2. build',
          passed: false,
          seconds: 61,
          checks: [{ name: 'revision label', passed: false, detail: 'none' }],
        },
        { id: 'gate', title: '3. gate', passed: false, seconds: 0, checks: [] },
      ],
    });
  });
});
