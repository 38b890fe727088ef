/**
 * What release.yml does with a pushed tag vX.Y.Z[-pre], given every tag of the repository:
 * - a prerelease is published as a GitHub prerelease, never marked Latest, and never moves vX;
 * - a final release moves vX only when it is the highest final vX.*.* (a backport v1.2.5 after v1.3.0 leaves v1
 *   on v1.3.0), and is marked Latest only when it is the highest final release of all majors (v1.5.0 after v2.0.0
 *   moves v1 but is not Latest).
 *
 * It has no dependencies, so the release job runs it with plain `node` (type stripping) and installs nothing:
 *   git tag --list | node scripts/release-plan.ts v1.2.3     prints version=, prerelease=, latest=, major-tag=,
 *                                                            move-major= (stdin: every tag, v1.2.3 included)
 */

import { readFileSync } from 'node:fs';

type Parsed = { major: number; minor: number; patch: number; prerelease: string | undefined };

// Semver 2.0.0 without build metadata, after a `v`.
const TAG =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;

export interface ReleasePlan {
  /** The release tag, e.g. v1.3.0-rc.1. */
  tag: string;
  /** The version without the `v`. */
  version: string;
  prerelease: boolean;
  /** Mark the GitHub release as Latest. */
  latest: boolean;
  /** The moving major tag of this release's major, e.g. v1. */
  majorTag: string;
  /** Point majorTag at this release's commit. */
  moveMajor: boolean;
}

function parseTag(tag: string): Parsed | undefined {
  const m = TAG.exec(tag);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] } : undefined;
}

/** Orders final versions (prereleases never take part in the comparison). */
function compareFinal(a: Parsed, b: Parsed): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function planRelease(tag: string, existingTags: readonly string[]): ReleasePlan {
  const release = parseTag(tag);
  if (!release) {
    throw new Error(`release tag '${tag}' is not vX.Y.Z or vX.Y.Z-prerelease (semver, no build metadata).`);
  }
  const base = { tag, version: tag.slice(1), majorTag: `v${release.major}` };
  if (release.prerelease !== undefined) {
    return { ...base, prerelease: true, latest: false, moveMajor: false };
  }
  // Tags that are not releases (v1, latest, v1.2) are ignored, so are prereleases.
  const finals = existingTags
    .map((t) => parseTag(t.trim()))
    .filter((p): p is Parsed => p !== undefined && p.prerelease === undefined);
  const newerOverall = finals.some((p) => compareFinal(p, release) > 0);
  const newerInMajor = finals.some((p) => p.major === release.major && compareFinal(p, release) > 0);
  return { ...base, prerelease: false, latest: !newerOverall, moveMajor: !newerInMajor };
}

/** The plan as `key=value` lines for $GITHUB_OUTPUT. */
export function planOutputs(plan: ReleasePlan): string {
  return [
    `version=${plan.version}`,
    `prerelease=${plan.prerelease}`,
    `latest=${plan.latest}`,
    `major-tag=${plan.majorTag}`,
    `move-major=${plan.moveMajor}`,
  ].join('\n');
}

if (import.meta.main) {
  try {
    const tag = process.argv[2] ?? '';
    const tags = readFileSync(0, 'utf8').split('\n').filter(Boolean);
    const plan = planRelease(tag, tags);
    // A list without the pushed tag itself is not the repository's (an empty answer, a wrong repository): planning
    // against it would mark any release Latest and move vX.
    if (!tags.includes(tag)) {
      throw new Error(
        `the tags on stdin do not hold ${tag}; expected every tag of the repository, ${tag} included.`,
      );
    }
    process.stdout.write(`${planOutputs(plan)}\n`);
  } catch (err) {
    console.error(`release-plan: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
