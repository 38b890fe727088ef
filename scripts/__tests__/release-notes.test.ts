/** CHANGELOG.md rules of scripts/release-notes.ts, and the notes release.yml prints with plain node. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { changelogSection, releaseChangelog, releaseNotes, unreleasedNotes } from '../release-notes.js';

const CHANGELOG =
  '# Changelog\n\n## Unreleased\n\n### Added\n\n- A new input.\n\n## v1.0.0 - 2026-01-01\n\n- First.\n';

describe('release notes', () => {
  test('when a changelog has no Unreleased section, then releasing is refused', () => {
    expect(() => releaseChangelog('# Changelog\n', '1.0.0', '2026-01-01')).toThrow(
      'CHANGELOG.md has no "## Unreleased" section to release.',
    );
  });

  test('when Unreleased lists nothing, then releasing is refused', () => {
    expect(() => unreleasedNotes('# Changelog\n\n## Unreleased\n\nNothing yet.\n\n## v1.0.0\n')).toThrow(
      'The "## Unreleased" section of CHANGELOG.md lists no changes; add them before releasing.',
    );
  });

  test('when a version is released, then its entry holds the Unreleased notes up to the next heading', () => {
    const { changelog, notes } = releaseChangelog(CHANGELOG, '1.1.0', '2026-02-02');
    expect(notes).toBe('### Added\n\n- A new input.');
    expect(changelog).toBe(
      '# Changelog\n\n## Unreleased\n\n## v1.1.0 - 2026-02-02\n\n### Added\n\n- A new input.\n\n' +
        '## v1.0.0 - 2026-01-01\n\n- First.\n',
    );
    expect(changelogSection(changelog, '1.1.0')).toBe('### Added\n\n- A new input.');
    expect(changelogSection(changelog, '1.0.0')).toBe('- First.');
    expect(() => changelogSection(changelog, '9.9.9')).toThrow('CHANGELOG.md has no entry for v9.9.9.');
  });

  test('when a prerelease has no entry of its own, then its notes are the Unreleased section', () => {
    expect(releaseNotes(CHANGELOG, '1.1.0-rc.1')).toBe('### Added\n\n- A new input.');
    expect(releaseNotes(CHANGELOG, '1.0.0')).toBe('- First.');
    expect(() => releaseNotes(CHANGELOG, '1.1.0')).toThrow('CHANGELOG.md has no entry for v1.1.0.');
  });
});

describe('node scripts/release-notes.ts (as release.yml runs it, with no install)', () => {
  const script = resolve('scripts/release-notes.ts');
  const notesOf = (version: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'notes-'));
    try {
      writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG);
      return spawnSync(process.execPath, [script, version], { cwd: dir, encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('when the version has an entry, then it prints that entry', () => {
    const result = notesOf('1.0.0');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('- First.\n');
  });

  test('when the version has no entry, then it exits 1 and says so', () => {
    const result = notesOf('2.0.0');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('release-notes: CHANGELOG.md has no entry for v2.0.0.\n');
  });
});
