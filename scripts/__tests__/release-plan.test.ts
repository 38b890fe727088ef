/** Which release moves vX and which becomes Latest (scripts/release-plan.ts), checked against the semver package. */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from '@jest/globals';
import semver from 'semver';
import { planRelease } from '../release-plan.js';

describe('planRelease', () => {
  // [case, released tag, tags already in the repository, Latest?, moves vX?]
  test.each([
    ['the first release', 'v1.0.0', [], true, true],
    ['a minor release', 'v1.3.0', ['v1.0.0', 'v1.2.4', 'v1'], true, true],
    ['a release candidate', 'v1.3.0-rc.1', ['v1.0.0', 'v1.2.4', 'v1'], false, false],
    [
      'the final release after its rc (the rc sorts above it by git refname)',
      'v1.3.0',
      ['v1.2.4', 'v1.3.0-rc.1', 'v1.3.0-rc.2'],
      true,
      true,
    ],
    ['an rc of the next major', 'v2.0.0-rc.1', ['v1.3.0', 'v1'], false, false],
    ['a backport after a newer minor', 'v1.2.5', ['v1.2.4', 'v1.3.0', 'v1'], false, false],
    ['a patch of the newest minor', 'v1.3.1', ['v1.2.5', 'v1.3.0', 'v1'], true, true],
    ['a v1 release beside v2', 'v1.4.0', ['v1.3.0', 'v2.0.0', 'v1', 'v2'], false, true],
    ['a v1 backport beside v2', 'v1.3.1', ['v1.4.0', 'v2.0.0'], false, false],
    ['the first v2', 'v2.0.0', ['v1.4.0', 'v2.0.0-rc.1', 'v1'], true, true],
    ['a release with a newer rc already out', 'v1.3.1', ['v1.3.0', 'v1.4.0-rc.1'], true, true],
    ['a v0 release', 'v0.2.0', ['v0.1.0', 'v0.10.0'], false, false],
    ['numbers compared as numbers', 'v1.10.0', ['v1.9.0', 'v1.2.0'], true, true],
    ['other tags ignored', 'v1.1.0', ['latest', 'v1', 'v1.2', 'release-9.9.9', 'v9.9.9+build'], true, true],
    ['re-run: the tag itself is already in the list', 'v1.3.0', ['v1.2.0', 'v1.3.0'], true, true],
  ] as const)('%s: %s after [%s] -> Latest %s, moves vX %s', (_case, tag, existing, latest, moveMajor) => {
    const plan = planRelease(tag, [...existing]);
    expect(plan).toEqual({
      tag,
      version: tag.slice(1),
      prerelease: tag.includes('-'),
      latest,
      majorTag: `v${semver.major(tag)}`,
      moveMajor,
    });
  });

  test('when many random histories are planned, then vX and Latest follow the semver package', () => {
    // A deterministic pseudo-random walk over versions, prereleases included.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const tags = Array.from({ length: 1 + next(8) }, () => {
        const base = `v${next(3)}.${next(4)}.${next(4)}`;
        return next(3) === 0 ? `${base}-rc.${next(12)}` : base;
      });
      const tag = tags.pop()!;
      const plan = planRelease(tag, tags);
      const finals = [...tags, tag].filter((t) => semver.prerelease(t) === null);
      const major = semver.major(tag);
      const isFinal = semver.prerelease(tag) === null;
      expect(plan.prerelease).toBe(!isFinal);
      expect(plan.latest).toBe(isFinal && semver.eq(semver.maxSatisfying(finals, '*')!, tag));
      expect(plan.moveMajor).toBe(
        isFinal && semver.eq(semver.maxSatisfying(finals, `>=${major}.0.0 <${major + 1}.0.0`)!, tag),
      );
    }
  });

  test.each(['1.2.3', 'v1.2', 'v1.2.3+build.1', 'v01.2.3', 'v1.2.3-', 'v1.2.3-rc..1', 'v1.2.3-01'])(
    'when the release tag is %s, then it is refused with what was expected',
    (tag) => {
      expect(() => planRelease(tag, [])).toThrow(
        `release tag '${tag}' is not vX.Y.Z or vX.Y.Z-prerelease (semver, no build metadata).`,
      );
    },
  );
});

describe('node scripts/release-plan.ts (as release.yml runs it, with no install)', () => {
  const run = (tag: string, tags: string) =>
    spawnSync(process.execPath, ['scripts/release-plan.ts', tag], { input: tags, encoding: 'utf8' });

  test('when given a tag and the repository tags on stdin, then it prints the plan for $GITHUB_OUTPUT', () => {
    const result = run('v1.2.5', 'v1.2.4\nv1.2.5\nv1.3.0\nv1\n');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'version=1.2.5\nprerelease=false\nlatest=false\nmajor-tag=v1\nmove-major=false\n',
    );
  });

  test('when the tags on stdin miss the released tag (an empty or foreign list), then it exits 1 instead of planning', () => {
    const result = run('v1.2.5', '');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'release-plan: the tags on stdin do not hold v1.2.5; expected every tag of the repository, v1.2.5 included.\n',
    );
  });

  test('when the tag is malformed, then it exits 1 with the reason', () => {
    const result = run('main', '');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "release-plan: release tag 'main' is not vX.Y.Z or vX.Y.Z-prerelease (semver, no build metadata).\n",
    );
  });
});
