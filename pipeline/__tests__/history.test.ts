import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { History } from '../history.js';

const work = mkdtempSync(join(tmpdir(), 'history-test-'));
const origin = join(work, 'origin');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    },
  }).trim();

beforeAll(() => {
  execFileSync('git', ['init', '--quiet', '--initial-branch', 'feature', origin]);
  git(origin, 'commit', '--quiet', '--allow-empty', '--message', 'release 1');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('History', () => {
  test('when two releases are committed on main, then each descends from the one before, and the repository itself is untouched', () => {
    const before = git(origin, 'for-each-ref');
    const history = History.clone(origin, join(work, 'checkout'));
    const first = history.head();
    expect(first.sha).toBe(git(origin, 'rev-parse', 'HEAD'));
    const second = history.commit('release 2');
    const third = history.commit('release 3');
    expect(history.head()).toEqual(third);
    expect(git(history.dir, 'rev-parse', 'refs/heads/main')).toBe(third.sha);
    expect(git(history.dir, 'rev-parse', `${third.sha}^`)).toBe(second.sha);
    expect(git(history.dir, 'rev-parse', `${second.sha}^`)).toBe(first.sha);
    expect(Date.parse(third.time)).not.toBeNaN();
    // merge-base --is-ancestor exits 0 for an ancestor, 1 otherwise.
    expect(() => git(history.dir, 'merge-base', '--is-ancestor', first.sha, third.sha)).not.toThrow();
    expect(() => git(history.dir, 'merge-base', '--is-ancestor', third.sha, first.sha)).toThrow();
    expect(git(origin, 'for-each-ref')).toBe(before);
    expect(() => git(origin, 'cat-file', '-e', second.sha)).toThrow();
  });
});
