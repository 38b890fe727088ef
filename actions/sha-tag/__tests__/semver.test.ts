import { describe, expect, test } from '@jest/globals';
import semver from 'semver';
import { parseSemver } from '../src/semver.js';

// The `semver` package is the independent oracle: docker/metadata-action decides with semver.valid().
const CASES = [
  '1.2.3',
  'v1.2.3',
  'V1.2.3',
  '=1.2.3',
  ' 1.2.3 ',
  '01.2.3',
  '1.02.3',
  '1.2.03',
  '1.2',
  '1',
  '1.2.3.4',
  '0.0.0',
  '1.2.3-rc.1',
  'v2.0.8-beta.67',
  '1.2.3-0',
  '1.2.3-01',
  '1.2.3-0a',
  '1.2.3-alpha..1',
  '1.2.3-',
  '1.2.3+build',
  '1.2.3+build.01',
  'v9.5.7-alpha.2+fork.3.1.8',
  '1.2.3+',
  '1.2.3-rc.1+b',
  '1.2.3-a-b--c',
  'v1.1.1',
  'release1',
  '20200110-RC2',
  'sometag',
  'p1/v1.0.0',
  'p1-v1.0.0',
  '1.2.3rc2',
  '1.0dev4',
  '9007199254740991.0.0',
  '9007199254740992.0.0',
  '1.2.3-9007199254740992',
  'vv1.2.3',
  'v 1.2.3',
  '1.2.3-ALPHA',
  '1.2.3-αβ',
  '1.2.3_4',
  '',
  'v',
  '1.2.3-rc.1.2.3.4.5',
  `1.2.3-${'a'.repeat(260)}`,
];

function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}
const rnd = random(42);
const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)]!;
const nums = ['0', '1', '01', '12', '9', '', 'x'];
const ids = ['rc', '1', '01', '0a', 'a-b', '', 'beta', '-', 'A1'];
const idList = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(ids)).join('.');
const GENERATED = Array.from(
  { length: 400 },
  () =>
    `${pick(['', 'v', 'V', '='])}${pick(nums)}.${pick(nums)}.${pick(nums)}` +
    `${pick(['', '', `-${idList()}`])}${pick(['', '', `+${idList()}`])}`,
);

describe('parseSemver agrees with the semver package', () => {
  test.each([...CASES, ...GENERATED])('%j', (text) => {
    const expected = semver.valid(text);
    const parsed = parseSemver(text);
    expect(parsed?.version ?? null).toBe(expected);
    if (expected !== null) {
      const oracle = semver.parse(text)!;
      expect(parsed).toMatchObject({
        major: oracle.major,
        minor: oracle.minor,
        patch: oracle.patch,
        prerelease: oracle.prerelease.map(String),
        build: [...oracle.build],
      });
      expect(parsed!.prerelease.length > 0).toBe(semver.prerelease(text) !== null);
    }
  });

  test('the generated strings include valid versions and invalid ones', () => {
    const valid = GENERATED.filter((t) => semver.valid(t) !== null).length;
    expect(valid).toBeGreaterThan(5);
    expect(valid).toBeLessThan(GENERATED.length);
  });
});
