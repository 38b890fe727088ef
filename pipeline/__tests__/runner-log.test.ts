/**
 * RunnerLog against what @actions/core itself prints: a child process issues the workflow commands with the
 * real library, and the log must show what the runner shows.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from '@jest/globals';
import { RunnerLog } from '../runner-log.js';

function coreOutput(program: string): string[] {
  const stdout = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `import * as core from '@actions/core';\n${program}`],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  return stdout.split('\n').filter((line) => line !== '');
}

const render = (log: RunnerLog, lines: string[]) =>
  lines.map((line) => log.render(line)).filter((line) => line !== undefined);

describe('RunnerLog', () => {
  test('when a step masks a secret with core.setSecret, then the add-mask line is not shown and later lines show *** instead', () => {
    const lines = coreOutput(
      "core.setSecret('hunter2-token'); core.info('using hunter2-token now'); core.warning('hunter2-token leaked?')",
    );
    expect(lines[0]).toBe('::add-mask::hunter2-token');
    expect(render(new RunnerLog(), lines)).toEqual(['using *** now', 'Warning: *** leaked?']);
  });

  test('when one secret contains another, then the longer one is hidden whole', () => {
    const log = new RunnerLog();
    log.mask('abc');
    log.mask('abcdef');
    expect(log.render('x abcdef y abc')).toBe('x *** y ***');
  });

  test('when an annotation has a file and line and a multi-line message, then it is shown unescaped with its location', () => {
    const lines = coreOutput(
      "core.error('100% wrong:\\nsecond line', { file: 'src/a,b.ts', startLine: 12 }); core.notice('fine')",
    );
    expect(render(new RunnerLog(), lines)).toEqual([
      'Error: 100% wrong:\nsecond line (src/a,b.ts:12)',
      'Notice: fine',
    ]);
  });

  test('when a step groups its output and prints debug lines, then groups show their title and debug only with debugging on', () => {
    const lines = coreOutput(
      "core.startGroup('Plan'); core.debug('internal'); core.info('wave 1'); core.endGroup()",
    );
    expect(render(new RunnerLog(), lines)).toEqual(['▸ Plan', 'wave 1']);
    expect(render(new RunnerLog(true), lines)).toEqual(['▸ Plan', 'Debug: internal', 'wave 1']);
  });

  test('when a line only looks like a command, or names an unknown one, then it is shown as is', () => {
    const log = new RunnerLog();
    expect(log.render(':: not a command')).toBe(':: not a command');
    expect(log.render('::set-env name=A::b')).toBe('::set-env name=A::b');
  });

  test('when a blank mask is given, then nothing is replaced', () => {
    const log = new RunnerLog();
    log.mask('  ');
    expect(log.render('a  b')).toBe('a  b');
  });
});
