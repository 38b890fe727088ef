/** `npm run release` against a real git repository in a temp dir: what it refuses and what it writes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  changelogSection,
  compareVersions,
  parseVersion,
  releaseChangelog,
} from '../scripts/release-notes.js';

const ROOT = resolve('.');
let repo: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const release = (version: string) =>
  spawnSync('node', [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/release.ts', version], {
    cwd: repo,
    encoding: 'utf8',
  });

const CHANGELOG =
  '# Changelog\n\n## Unreleased\n\n### Added\n\n- A new input.\n\n## v1.0.0 - 2026-01-01\n\n- First.\n';

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'release-'));
  mkdirSync(join(repo, 'scripts'));
  for (const file of ['release.ts', 'release-notes.ts', 'build-actions.mjs']) {
    cpSync(join(ROOT, 'scripts', file), join(repo, 'scripts', file));
  }
  mkdirSync(join(repo, 'actions'));
  cpSync(join(ROOT, 'tsconfig.json'), join(repo, 'tsconfig.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ name: 'demo', version: '1.0.0', type: 'module' }, null, 2),
  );
  writeFileSync(
    join(repo, 'package-lock.json'),
    JSON.stringify(
      {
        name: 'demo',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: { '': { name: 'demo', version: '1.0.0' } },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(repo, 'CHANGELOG.md'), CHANGELOG);
  writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=m@example.com', '-c', 'user.name=M', 'commit', '-qam', 'init', '--allow-empty');
  git('add', '-A');
  git('-c', 'user.email=m@example.com', '-c', 'user.name=M', 'commit', '-qm', 'files');
  git('config', 'user.email', 'maintainer@example.com');
  git('config', 'user.name', 'Maintainer');
});

afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('npm run release', () => {
  test('when everything is in order, then it bumps, dates the changelog, commits and tags with the notes', () => {
    const result = release('1.1.0');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version).toBe('1.1.0');
    expect(JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')).version).toBe('1.1.0');
    const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(
      /## Unreleased\n\n## v1\.1\.0 - \d{4}-\d{2}-\d{2}\n\n### Added\n\n- A new input\.\n\n## v1\.0\.0/,
    );
    expect(git('log', '-1', '--format=%s')).toBe('Release v1.1.0');
    expect(git('tag', '-l', '--format=%(contents)', 'v1.1.0')).toBe('v1.1.0\n\n### Added\n\n- A new input.');
    expect(git('status', '--porcelain')).toBe('');
  });

  test.each([
    ['1.1', "expected a version X.Y.Z (optionally -prerelease), got '1.1'"],
    ['v1.1.0', "expected a version X.Y.Z (optionally -prerelease), got 'v1.1.0'"],
    ['1.0.0', 'version 1.0.0 is not newer than the current 1.0.0'],
    ['0.9.9', 'version 0.9.9 is not newer than the current 1.0.0'],
  ])('when the version is %s, then it refuses: %s', (version, message) => {
    const result = release(version);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(git('tag')).toBe('');
  });

  test('when the tree is dirty, then it refuses and changes nothing', () => {
    writeFileSync(join(repo, 'CHANGELOG.md'), `${CHANGELOG}\nmore\n`);
    const result = release('1.1.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the working tree has uncommitted changes');
    expect(git('log', '--format=%s')).not.toContain('Release');
  });

  test('when the tag exists, then it refuses', () => {
    git('tag', 'v1.1.0');
    expect(release('1.1.0').stderr).toContain('tag v1.1.0 already exists');
  });

  test('when Unreleased lists nothing, then it refuses', () => {
    writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n## v1.0.0\n\n- First.\n');
    git('commit', '-qam', 'empty');
    expect(release('1.1.0').stderr).toContain('lists no changes');
  });

  test('when dist/ is stale, then it refuses and leaves the tree as it was', () => {
    mkdirSync(join(repo, 'actions/hello/src'), { recursive: true });
    writeFileSync(join(repo, 'actions/hello/action.yml'), 'name: hello\n');
    writeFileSync(join(repo, 'actions/hello/src/index.ts'), "console.log('hello');\n");
    git('add', '-A');
    git('commit', '-qm', 'action without dist');
    const result = release('1.1.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dist/ is stale');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('tag')).toBe('');
  });
});

describe('release notes helpers', () => {
  test('versions compare as semver: a pre-release sorts before its release', () => {
    const order = ['1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0'].map((v) => parseVersion(v)!);
    const shuffled = [order[3]!, order[0]!, order[4]!, order[2]!, order[1]!];
    expect(shuffled.sort(compareVersions)).toEqual(order);
  });
  test('a changelog without an Unreleased section is refused', () => {
    expect(() => releaseChangelog('# Changelog\n', '1.0.0', '2026-01-01')).toThrow(
      'no "## Unreleased" section',
    );
  });
  test('the notes of one version are its changelog entry up to the next heading', () => {
    const released = releaseChangelog(CHANGELOG, '1.1.0', '2026-02-02').changelog;
    expect(changelogSection(released, '1.1.0')).toBe('### Added\n\n- A new input.');
    expect(changelogSection(released, '1.0.0')).toBe('- First.');
    expect(() => changelogSection(released, '9.9.9')).toThrow('CHANGELOG.md has no entry for v9.9.9.');
  });
});
