/**
 * A strict SemVer 2.0.0 parser, the subset of the `semver` package that tag rules need: a leading `v`
 * is allowed (as `semver.valid` allows it), numeric parts must be safe integers, at most 256 characters.
 * Written out instead of bundling `semver` to keep the action's cold start small; the tests check it
 * against the `semver` package.
 */

export interface SemVer {
  raw: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  build: string[];
  /** major.minor.patch[-prerelease], no build metadata: what `semver` calls `version`. */
  version: string;
}

const NUM = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUM}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const BUILD_ID = '[a-zA-Z0-9-]+';
const FULL = new RegExp(
  `^v?(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);

export function parseSemver(text: string): SemVer | undefined {
  if (text.length > 256) return undefined;
  const m = FULL.exec(text.trim());
  if (!m) return undefined;
  const [major, minor, patch] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined;
  const prerelease = m[4] ? m[4].split('.') : [];
  const build = m[5] ? m[5].split('.') : [];
  const version = `${major}.${minor}.${patch}${prerelease.length ? `-${prerelease.join('.')}` : ''}`;
  return { raw: text, major, minor, patch, prerelease, build, version };
}
