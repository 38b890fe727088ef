/**
 * CHANGELOG.md rules for `npm run release` and release.yml.
 *
 * A final release X.Y.Z moves the body of `## Unreleased` under `## vX.Y.Z - DATE`. A prerelease (X.Y.Z-rc.N)
 * leaves the changelog as it is: its notes are the Unreleased section at its commit, and the final release
 * gathers them into its own entry.
 *
 * No dependencies, so the release job prints the notes with plain `node` (type stripping), installing nothing:
 *   node scripts/release-notes.ts 1.2.3 > notes.md
 */
import { readFileSync } from 'node:fs';

const UNRELEASED = /^## Unreleased\s*$/;

export interface ChangelogRelease {
  changelog: string;
  notes: string;
}

function section(lines: string[], start: number): { body: string; end: number } {
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  return {
    body: lines
      .slice(start + 1, end)
      .join('\n')
      .trim(),
    end,
  };
}

/** Where `## Unreleased` is and what it says; throws when there is no such section or it lists no change. */
function unreleased(lines: string[]): { start: number; end: number; body: string } {
  const start = lines.findIndex((line) => UNRELEASED.test(line));
  if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section to release.');
  const { body, end } = section(lines, start);
  if (!/^\s*[-*]\s+\S/m.test(body)) {
    throw new Error(
      'The "## Unreleased" section of CHANGELOG.md lists no changes; add them before releasing.',
    );
  }
  return { start, end, body };
}

/** The body of `## Unreleased` (the notes of the next release). */
export function unreleasedNotes(changelog: string): string {
  return unreleased(changelog.split('\n')).body;
}

/**
 * Moves the body of `## Unreleased` under `## vX.Y.Z - DATE` and leaves an empty Unreleased section.
 * Throws when there is no Unreleased section or it says nothing.
 */
export function releaseChangelog(changelog: string, version: string, date: string): ChangelogRelease {
  const lines = changelog.split('\n');
  const { start, end, body: notes } = unreleased(lines);
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
  return section(lines, start).body;
}

/** The notes of a release: its own entry, or for a prerelease without one, the Unreleased section. */
export function releaseNotes(changelog: string, version: string): string {
  try {
    return changelogSection(changelog, version);
  } catch (err) {
    if (version.includes('-')) return unreleasedNotes(changelog);
    throw err;
  }
}

if (import.meta.main) {
  try {
    process.stdout.write(`${releaseNotes(readFileSync('CHANGELOG.md', 'utf8'), process.argv[2] ?? '')}\n`);
  } catch (err) {
    console.error(`release-notes: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
