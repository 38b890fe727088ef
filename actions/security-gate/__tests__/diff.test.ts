import { execFileSync } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from '@jest/globals';
import { nock } from '../../lib/__tests__/helpers/nock.js';
import { getOctokit } from '@actions/github';
import { addedLines, changedLines, parseGitDiff, type PullsApi } from '../src/diff.js';
import { runGate } from '../src/gate.js';
import { deps, options, workspace } from './helpers.js';

const pexec = promisify(execFile);
const API = 'https://api.github.com';
const PR = { owner: 'acme', repo: 'shop', number: 7, baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40) };

// nock cannot see the undici fetch bundled with @actions/github; the global fetch it does intercept.
const octokit = () =>
  getOctokit('test-token', { request: { fetch: globalThis.fetch } }) as unknown as PullsApi;

afterEach(() => {
  nock.cleanAll();
});

const haveGit = (() => {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!haveGit && process.env.CI === 'true') throw new Error('git is required in CI');

test('when a unified diff is read, then the added lines of the new side are listed', () => {
  const patch =
    '@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,0 +12,2 @@\n+x\n+y\n\\ No newline at end of file';
  expect([...addedLines(patch)]).toEqual([2, 3, 12, 13]);
});

describe('changed lines from the GitHub API (nock)', () => {
  test('when the API lists the files with patches, then they are used, page by page', async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => ({
      filename: `gen/f${i}.py`,
      status: 'added',
      additions: 1,
      patch: '@@ -0,0 +1 @@\n+x',
    }));
    const scope = nock(API)
      .get('/repos/acme/shop/pulls/7/files')
      .query({ per_page: '100', page: '1' })
      .matchHeader('authorization', 'token test-token')
      .reply(200, page1)
      .get('/repos/acme/shop/pulls/7/files')
      .query({ per_page: '100', page: '2' })
      .reply(200, [
        {
          filename: 'app.py',
          status: 'modified',
          additions: 2,
          patch: '@@ -4,2 +4,3 @@\n keep\n+new1\n+new2',
        },
        { filename: 'gone.py', status: 'removed', additions: 0, patch: '@@ -1 +0,0 @@\n-x' },
      ]);
    const changed = await changedLines(PR, octokit(), () => Promise.reject(new Error('no git')));
    expect(changed.source).toBe('api');
    expect(changed.files.size).toBe(101);
    expect([...changed.files.get('app.py')!]).toEqual([5, 6]);
    expect(changed.files.has('gone.py')).toBe(false);
    scope.done();
  });

  const refusals: [string, () => ReturnType<typeof nock>][] = [
    [
      '422 (diff too large)',
      () =>
        nock(API)
          .get('/repos/acme/shop/pulls/7/files')
          .query(true)
          .reply(422, { message: 'Sorry, the diff exceeded the maximum number of files (300).' }),
    ],
    [
      'a file without its patch',
      () =>
        nock(API)
          .get('/repos/acme/shop/pulls/7/files')
          .query(true)
          .reply(200, [{ filename: 'app/big.py', status: 'modified', additions: 40000 }]),
    ],
  ];

  (haveGit ? test.each(refusals) : test.skip.each(refusals))(
    'when the API refuses with %s, then git diff against the merge base is used',
    async (_, mock) => {
      const scope = mock();
      const repo = gitRepo();
      const git = async (args: string[]) => (await pexec('git', args, { cwd: repo.dir })).stdout;
      const logs: string[] = [];
      const changed = await changedLines(
        { ...PR, baseSha: repo.base, headSha: repo.head },
        octokit(),
        git,
        (l) => logs.push(l),
      );
      expect(changed.source).toBe('git');
      expect([...changed.files.get('app/big.py')!]).toEqual([3, 4]);
      expect([...changed.files.get('app/new.py')!]).toEqual([1, 2]);
      expect(changed.files.has('app/old.py')).toBe(false); // deleted
      expect(logs[0]).toMatch(
        /^diff-filter: the GitHub API did not give the pull request diff \(.+\); using git diff against the merge base\.$/,
      );
      scope.done();
    },
  );

  test('when both the API and git fail, then the error says what to do', async () => {
    nock(API).get('/repos/acme/shop/pulls/7/files').query(true).reply(422, { message: 'too large' });
    const git = () => Promise.reject(new Error('fatal: Not a valid commit name'));
    await expect(changedLines(PR, octokit(), git)).rejects.toThrow(
      /^diff-filter: cannot get the changed lines of pull request #7: the API refused \(HTTP 422: too large.*\) and git merge-base .* failed \(fatal: Not a valid commit name\); check out with fetch-depth: 0 so both commits are present\.$/,
    );
  });
});

/** A real repository: base commit, a commit on main after it, and a pull-request branch. */
function gitRepo(): { dir: string; base: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gate-git-'));
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    ).trim();
  git('init', '-q');
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app/big.py'), 'a\nb\n');
  writeFileSync(join(dir, 'app/old.py'), 'old\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  writeFileSync(join(dir, 'app/big.py'), 'a\nb\nc\nd\n');
  writeFileSync(join(dir, 'app/new.py'), 'x\ny\n');
  git('rm', '-q', 'app/old.py');
  git('add', '.');
  git('commit', '-qm', 'feature');
  const head = git('rev-parse', 'HEAD');
  git('checkout', '-q', 'main');
  writeFileSync(join(dir, 'main-only.txt'), 'm\n');
  git('add', '.');
  git('commit', '-qm', 'main moves on');
  return { dir, base: git('rev-parse', 'HEAD'), head };
}

test('when git diff output has renames and deletions, then new-side paths are kept', () => {
  const out =
    'diff --git a/x.py b/y.py\nsimilarity index 90%\nrename from x.py\nrename to y.py\n--- a/x.py\n+++ b/y.py\n@@ -2,0 +3 @@\n+z\n' +
    'diff --git a/d.py b/d.py\ndeleted file mode 100644\n--- a/d.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-q\n';
  const files = parseGitDiff(out);
  expect([...files.keys()]).toEqual(['y.py']);
  expect([...files.get('y.py')!]).toEqual([3]);
});

describe('diff-filter in the gate', () => {
  const BANDIT = 'bandit/osservatorio.json';
  const pr = { ...PR };
  const mockFiles = () =>
    nock(API)
      .get('/repos/acme/shop/pulls/7/files')
      .query(true)
      .reply(200, [
        // adds line 535 of dependencies.py (a B110 finding); touches fastapi_app.py without adding a finding line
        {
          filename: 'src/api/dependencies.py',
          status: 'modified',
          additions: 1,
          patch: '@@ -534,0 +535 @@\n+        pass',
        },
        {
          filename: 'src/api/fastapi_app.py',
          status: 'modified',
          additions: 1,
          patch: '@@ -1,0 +2 @@\n+import os',
        },
      ]);

  test('when diff-filter is added, then only findings on added lines can fail or be annotated', async () => {
    mockFiles();
    const dir = workspace([BANDIT]);
    const d = deps({ pullsApi: async () => octokit() });
    const { verdict } = await runGate(
      options(dir, { reports: [BANDIT], diffFilter: 'added', failOn: 'low', pullRequest: pr }),
      d.deps,
    );
    expect(verdict.reported.map((e) => `${e.finding.file}:${e.finding.line}`)).toEqual([
      'src/api/dependencies.py:535',
    ]);
    expect(verdict.failingCount).toBe(1);
    expect(d.annotations).toHaveLength(1);
    expect(d.annotations[0]!.properties).toMatchObject({ file: 'src/api/dependencies.py', startLine: 535 });
  });

  test('when diff-filter is file, then findings anywhere in touched files count, added lines ranked first', async () => {
    mockFiles();
    const dir = workspace([BANDIT]);
    const d = deps({ pullsApi: async () => octokit() });
    const { verdict } = await runGate(
      options(dir, { reports: [BANDIT], diffFilter: 'file', failOn: 'low', pullRequest: pr }),
      d.deps,
    );
    const raw = (await import('./fixtures/bandit/osservatorio.json', { with: { type: 'json' } })).default as {
      results: { filename: string }[];
    };
    const touched = raw.results.filter((r) =>
      ['src\\api\\dependencies.py', 'src\\api\\fastapi_app.py'].includes(r.filename),
    ).length;
    expect(verdict.reported).toHaveLength(touched);
    // the finding on the added line (LOW) leads the LOW ones: severity first, then the diff
    const low = verdict.reported.filter((e) => e.finding.severity === 'low');
    expect(low.length).toBeGreaterThan(1);
    expect(low[0]!.onAddedLine).toBe(true);
    expect(low.slice(1).every((e) => !e.onAddedLine)).toBe(true);
    expect(verdict.reported.findIndex((e) => e.finding.severity === 'low')).toBe(
      verdict.reported.filter((e) => e.finding.severity !== 'low').length,
    );
  });

  test('when the run is not for a pull request, then diff-filter lets everything through and says so', async () => {
    const dir = workspace([BANDIT]);
    const d = deps();
    const { verdict } = await runGate(options(dir, { reports: [BANDIT], diffFilter: 'added' }), d.deps);
    expect(verdict.dropped.outsideDiff).toBe(0);
    expect(d.logs).toContain(
      'diff-filter added: this run is not for a pull request, so every finding is in scope.',
    );
  });
});
