/** Prints the CHANGELOG.md entry of one version: `tsx scripts/release-notes-cli.ts 1.2.3` (release.yml). */
import { readFileSync } from 'node:fs';
import { changelogSection } from './release-notes.js';

try {
  process.stdout.write(`${changelogSection(readFileSync('CHANGELOG.md', 'utf8'), process.argv[2] ?? '')}\n`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
