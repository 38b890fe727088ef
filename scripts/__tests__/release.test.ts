/**
 * `npm run release` against real git repositories in a temp dir: a bare repository stands in for the remote
 * (GitHub), `work` is the maintainer's clone and `other` a second maintainer's clone that moves the remote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

const ROOT = resolve('.');
// One identity for every git command here, the script's included, whatever the machine's git config says.
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Maintainer',
  GIT_AUTHOR_EMAIL: 'maintainer@example.com',
  GIT_COMMITTER_NAME: 'Maintainer',
  GIT_COMMITTER_EMAIL: 'maintainer@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

let dir: string;
let remote: string;
let work: string;

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: ENV, stdio: 'pipe' }).trim();
const git = (...args: string[]) => gitIn(work, ...args);
const remoteGit = (...args: string[]) => gitIn(remote, ...args);
const release = (version: string) =>
  spawnSync('node', [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/release.ts', version], {
    cwd: work,
    encoding: 'utf8',
    env: ENV,
  });
const read = (file: string) => readFileSync(join(work, file), 'utf8');

/** A second clone of the remote, as another maintainer has it. */
function otherClone(): string {
  const other = join(dir, 'other');
  gitIn(dir, 'clone', '-q', remote, other);
  return other;
}

const CHANGELOG =
  '# Changelog\n\n## Unreleased\n\n### Added\n\n- A new input.\n\n## v1.0.0 - 2026-01-01\n\n- First.\n';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-'));
  remote = join(dir, 'remote.git');
  work = join(dir, 'work');
  gitIn(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  gitIn(dir, 'clone', '-q', remote, work);
  mkdirSync(join(work, 'scripts'));
  for (const file of ['release.ts', 'release-notes.ts', 'build-actions.mjs']) {
    cpSync(join(ROOT, 'scripts', file), join(work, 'scripts', file));
  }
  mkdirSync(join(work, 'actions'));
  cpSync(join(ROOT, 'tsconfig.json'), join(work, 'tsconfig.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  const manifest = { name: 'demo', version: '1.0.0', type: 'module' };
  writeFileSync(join(work, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(work, 'package-lock.json'),
    JSON.stringify(
      { ...manifest, lockfileVersion: 3, packages: { '': { name: 'demo', version: '1.0.0' } } },
      null,
      2,
    ),
  );
  writeFileSync(join(work, 'CHANGELOG.md'), CHANGELOG);
  writeFileSync(join(work, '.gitignore'), 'node_modules\n');
  git('add', '-A');
  git('commit', '-qm', 'files');
  git('push', '-q', '-u', 'origin', 'main');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Refused with `message`, leaving the clone and the remote as they were. */
function expectRefused(version: string, message: string) {
  const head = git('rev-parse', 'HEAD');
  const remoteMain = remoteGit('rev-parse', 'main');
  const result = release(version);
  expect(result.stderr).toContain(message);
  expect(result.status).toBe(1);
  expect(git('rev-parse', 'HEAD')).toBe(head);
  expect(git('status', '--porcelain')).toBe('');
  expect(remoteGit('rev-parse', 'main')).toBe(remoteMain);
  expect(remoteGit('tag', '--list', `v${version}`)).toBe('');
}

describe('npm run release', () => {
  test('when the default branch equals its upstream, then it bumps, dates the changelog, commits, tags and pushes both', () => {
    const result = release('1.1.0');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(read('package.json')).version).toBe('1.1.0');
    expect(JSON.parse(read('package-lock.json')).version).toBe('1.1.0');
    expect(read('CHANGELOG.md')).toMatch(
      /## Unreleased\n\n## v1\.1\.0 - \d{4}-\d{2}-\d{2}\n\n### Added\n\n- A new input\.\n\n## v1\.0\.0/,
    );
    expect(git('log', '-1', '--format=%s')).toBe('Release v1.1.0');
    expect(git('tag', '-l', '--format=%(contents)', 'v1.1.0')).toBe('v1.1.0\n\n### Added\n\n- A new input.');
    expect(git('status', '--porcelain')).toBe('');
    // The remote got the commit on main and the annotated tag on that same commit.
    const head = git('rev-parse', 'HEAD');
    expect(remoteGit('rev-parse', 'main')).toBe(head);
    expect(remoteGit('rev-parse', 'v1.1.0^{commit}')).toBe(head);
    expect(remoteGit('cat-file', '-t', 'v1.1.0')).toBe('tag');
  });

  test('when a prerelease comes before the final release, then the rc keeps Unreleased and the final release dates it', () => {
    const rc = release('1.1.0-rc.1');
    expect(rc.stderr).toBe('');
    expect(rc.status).toBe(0);
    expect(read('CHANGELOG.md')).toBe(CHANGELOG);
    expect(JSON.parse(read('package.json')).version).toBe('1.1.0-rc.1');
    expect(git('tag', '-l', '--format=%(contents)', 'v1.1.0-rc.1')).toBe(
      'v1.1.0-rc.1\n\n### Added\n\n- A new input.',
    );
    expect(remoteGit('rev-parse', 'v1.1.0-rc.1^{commit}')).toBe(git('rev-parse', 'HEAD'));

    const final = release('1.1.0');
    expect(final.stderr).toBe('');
    expect(final.status).toBe(0);
    expect(read('CHANGELOG.md')).toMatch(
      /## Unreleased\n\n## v1\.1\.0 - [\d-]+\n\n### Added\n\n- A new input\./,
    );
    expect(remoteGit('tag', '--list').split('\n')).toEqual(['v1.1.0', 'v1.1.0-rc.1']);
    expect(remoteGit('rev-parse', 'main')).toBe(git('rev-parse', 'HEAD'));
    expect(remoteGit('rev-list', '--count', 'v1.1.0-rc.1..v1.1.0')).toBe('1');
  });

  test.each([
    ['1.1', "expected a version X.Y.Z (optionally -prerelease), got '1.1'"],
    ['v1.1.0', "expected a version X.Y.Z (optionally -prerelease), got 'v1.1.0'"],
    ['1.1.0+build.5', "expected a version X.Y.Z (optionally -prerelease), got '1.1.0+build.5'"],
    ['01.1.0', "expected a version X.Y.Z (optionally -prerelease), got '01.1.0'"],
    ['1.0.0', 'version 1.0.0 is not newer than the current 1.0.0'],
    ['1.0.0-rc.9', 'version 1.0.0-rc.9 is not newer than the current 1.0.0'],
    ['0.9.9', 'version 0.9.9 is not newer than the current 1.0.0'],
  ])('when the version is %s, then it refuses: %s', (version, message) => {
    expectRefused(version, message);
  });

  test('when the tree is dirty, then it refuses and changes nothing', () => {
    writeFileSync(join(work, 'CHANGELOG.md'), `${CHANGELOG}\nmore\n`);
    const result = release('1.1.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the working tree has uncommitted changes');
    expect(git('log', '--format=%s')).not.toContain('Release');
    expect(remoteGit('tag', '--list')).toBe('');
  });

  test('when the checkout is another branch of the remote, then it refuses: releases come from the default branch', () => {
    git('checkout', '-q', '-b', 'feature');
    git('push', '-q', '-u', 'origin', 'feature');
    expectRefused(
      '1.1.0',
      "releases are made from 'main', the default branch of 'origin'; this checkout is on 'feature' (tracking origin/feature)",
    );
  });

  test('when the branch has no upstream, then it refuses', () => {
    git('checkout', '-q', '-b', 'local-only');
    expectRefused('1.1.0', "branch 'local-only' has no upstream");
  });

  test('when HEAD is detached, then it refuses', () => {
    git('checkout', '-q', '--detach');
    expectRefused('1.1.0', 'HEAD is detached');
  });

  test('when another maintainer pushed a commit (the branch is behind its upstream), then it refuses', () => {
    const other = otherClone();
    writeFileSync(join(other, 'README.md'), 'news\n');
    gitIn(other, 'add', 'README.md');
    gitIn(other, 'commit', '-qm', 'news');
    gitIn(other, 'push', '-q');
    expectRefused('1.1.0', "'main' is 1 commit(s) behind origin/main; pull first");
  });

  test('when the branch has a commit its upstream lacks, then it refuses', () => {
    writeFileSync(join(work, 'README.md'), 'unreviewed\n');
    git('add', 'README.md');
    git('commit', '-qm', 'unreviewed');
    expectRefused('1.1.0', "'main' has 1 commit(s) that origin/main does not");
  });

  test('when the tag exists only on the remote, then it refuses', () => {
    const other = otherClone();
    gitIn(other, 'tag', '-a', 'v1.1.0', '-m', 'v1.1.0');
    gitIn(other, 'push', '-q', 'origin', 'v1.1.0');
    expect(git('tag', '--list')).toBe('');
    const head = git('rev-parse', 'HEAD');
    const result = release('1.1.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("tag v1.1.0 already exists on 'origin'");
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('status', '--porcelain')).toBe('');
  });

  test('when the tag exists only locally, then it refuses and says how to drop it', () => {
    git('tag', 'v1.1.0');
    expectRefused(
      '1.1.0',
      "tag v1.1.0 already exists here (but not on 'origin'); delete it with git tag -d v1.1.0",
    );
  });

  test('when Unreleased lists nothing, then it refuses', () => {
    writeFileSync(join(work, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n## v1.0.0\n\n- First.\n');
    git('commit', '-qam', 'empty');
    git('push', '-q');
    expectRefused('1.1.0', 'The "## Unreleased" section of CHANGELOG.md lists no changes');
    expectRefused('1.1.0-rc.1', 'lists no changes');
  });

  test('when dist/ is stale, then it refuses and leaves the tree as it was', () => {
    mkdirSync(join(work, 'actions/hello/src'), { recursive: true });
    writeFileSync(join(work, 'actions/hello/action.yml'), 'name: hello\n');
    writeFileSync(join(work, 'actions/hello/src/index.ts'), "console.log('hello');\n");
    git('add', '-A');
    git('commit', '-qm', 'action without dist');
    git('push', '-q');
    expectRefused('1.1.0', 'dist/ is stale');
  });

  test('when the remote refuses the tag, then the atomic push lands nothing and it says how to retry or undo', () => {
    // An update hook judges each ref on its own: without --atomic, main would move while the tag is refused.
    const hook = join(remote, 'hooks', 'update');
    writeFileSync(
      hook,
      '#!/bin/sh\ncase "$1" in refs/tags/*) echo "tags are protected here" >&2; exit 1;; esac\nexit 0\n',
    );
    chmodSync(hook, 0o755);
    const remoteMain = remoteGit('rev-parse', 'main');
    const result = release('1.1.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'git push --atomic origin HEAD:refs/heads/main refs/tags/v1.1.0 was refused, so nothing was pushed',
    );
    expect(result.stderr).toContain('tags are protected here');
    expect(result.stderr).toContain('git tag -d v1.1.0 && git reset --hard origin/main');
    expect(remoteGit('rev-parse', 'main')).toBe(remoteMain);
    expect(remoteGit('tag', '--list')).toBe('');
    // Kept locally, so the maintainer can retry once the remote accepts it.
    expect(git('log', '-1', '--format=%s')).toBe('Release v1.1.0');
    expect(git('tag', '--list')).toBe('v1.1.0');
  });
});
