/** The runner protocol must match @actions/core byte for byte: it is the independent reference. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import * as core from '@actions/core';
import * as runner from '../runner.js';

function captureStdout(fn: () => void): string {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

const hostile = 'multi\nline: with, commas % and \r returns';
const props = {
  title: 'T: a, b',
  file: 'src/a b.ts',
  startLine: 3,
  endLine: 4,
  startColumn: 2,
  endColumn: 9,
};

describe('workflow commands on stdout', () => {
  test.each([
    ['error', () => core.error(hostile, props), () => runner.error(hostile, props)],
    [
      'warning',
      () => core.warning(hostile, { file: 'x.py', startLine: 1 }),
      () => runner.warning(hostile, { file: 'x.py', startLine: 1 }),
    ],
    ['notice', () => core.notice(hostile), () => runner.notice(hostile)],
    ['setSecret', () => core.setSecret('p@ss:w,rd%'), () => runner.setSecret('p@ss:w,rd%')],
    ['debug', () => core.debug(hostile), () => runner.debug(hostile)],
    ['info', () => core.info(hostile), () => runner.info(hostile)],
    [
      'group',
      () => (core.startGroup('g'), core.endGroup()),
      () => (runner.startGroup('g'), runner.endGroup()),
    ],
  ])('%s matches @actions/core', (_name, viaCore, viaRunner) => {
    expect(captureStdout(viaRunner)).toBe(captureStdout(viaCore));
  });

  test('setFailed sets exit code 1 and prints the same error line', () => {
    const before = process.exitCode;
    try {
      const ours = captureStdout(() => runner.setFailed(hostile));
      expect(process.exitCode).toBe(1);
      expect(ours).toBe(captureStdout(() => core.setFailed(hostile)));
    } finally {
      process.exitCode = before;
    }
  });
});

describe('file commands', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
    for (const name of ['OUTPUT', 'STATE', 'ENV', 'STEP_SUMMARY']) {
      writeFileSync(join(dir, name), '');
      process.env[`GITHUB_${name}`] = join(dir, name);
    }
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  const normalise = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIM');

  test.each([
    ['OUTPUT', () => core.setOutput('tags', ['a', 'b']), () => runner.setOutput('tags', ['a', 'b'])],
    ['OUTPUT', () => core.setOutput('text', hostile), () => runner.setOutput('text', hostile)],
    ['STATE', () => core.saveState('lock', 'x'), () => runner.saveState('lock', 'x')],
    ['ENV', () => core.exportVariable('A_B', 'v\n2'), () => runner.exportVariable('A_B', 'v\n2')],
  ])('%s file content matches @actions/core', (file, viaCore, viaRunner) => {
    viaCore();
    const expected = normalise(readFileSync(join(dir, file), 'utf8'));
    writeFileSync(join(dir, file), '');
    viaRunner();
    expect(normalise(readFileSync(join(dir, file), 'utf8'))).toBe(expected);
  });

  test('inputs are read like core.getInput', () => {
    process.env['INPUT_FAIL-ON'] = '  high \n';
    process.env.INPUT_MY_INPUT = 'x';
    expect(runner.getInput('fail-on')).toBe(core.getInput('fail-on'));
    expect(runner.getInput('my input')).toBe(core.getInput('my input'));
  });

  test('getState reads STATE_<name> like core.getState', () => {
    process.env.STATE_lock = 'held';
    expect(runner.getState('lock')).toBe(core.getState('lock'));
  });

  test('the summary is appended to GITHUB_STEP_SUMMARY', () => {
    expect(runner.appendSummary('# one\n')).toBe(true);
    expect(runner.appendSummary('two\n')).toBe(true);
    expect(readFileSync(join(dir, 'STEP_SUMMARY'), 'utf8')).toBe('# one\ntwo\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    expect(runner.appendSummary('x')).toBe(false);
  });
});
