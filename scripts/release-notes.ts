/** Pure helpers for `npm run release`: version rules and the changelog rewrite. */

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export type Version = [number, number, number, string | undefined];

export function parseVersion(text: string): Version | undefined {
  const m = SEMVER.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4]] : undefined;
}

/** Compares X.Y.Z versions; a pre-release sorts before its release (pre-release ids compared as text). */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === undefined) return 1;
  if (b[3] === undefined) return -1;
  return a[3] < b[3] ? -1 : 1;
}

export interface ChangelogRelease {
  changelog: string;
  notes: string;
}

/**
 * Moves the body of `## Unreleased` under `## vX.Y.Z - DATE` and leaves an empty Unreleased section.
 * Throws when there is no Unreleased section or it says nothing.
 */
export function releaseChangelog(changelog: string, version: string, date: string): ChangelogRelease {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => /^## Unreleased\s*$/.test(line));
  if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section to release.');
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  const notes = lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
  if (!/^\s*[-*]\s+\S/m.test(notes)) {
    throw new Error(
      'The "## Unreleased" section of CHANGELOG.md lists no changes; add them before releasing.',
    );
  }
  const released = [
    ...lines.slice(0, start),
    '## Unreleased',
    '',
    `## v${version} - ${date}`,
    '',
    notes,
    '',
    ...lines.slice(end),
  ];
  return { changelog: released.join('\n').replace(/\n{3,}/g, '\n\n'), notes };
}

/** The body of the `## vX.Y.Z` entry of a changelog (the release notes of that version). */
export function changelogSection(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## v${version} `) || line === `## v${version}`);
  if (start < 0) throw new Error(`CHANGELOG.md has no entry for v${version}.`);
  const next = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines
    .slice(start + 1, next < 0 ? lines.length : next)
    .join('\n')
    .trim();
}
