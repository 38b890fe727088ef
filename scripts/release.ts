/**
 * `npm run release -- X.Y.Z`: prepares a release of the actions locally. Refuses a malformed or
 * non-increasing version, a dirty tree, an existing tag, an empty Unreleased section or a stale dist/;
 * then bumps package.json, dates the changelog entry, commits and creates the annotated tag vX.Y.Z.
 * Pushing (and moving the major tag) is left to the maintainer and release.yml.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { compareVersions, parseVersion, releaseChangelog } from './release-notes.js';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();

function fail(message: string): never {
  console.error(`release: ${message}`);
  process.exit(1);
}

const version = process.argv[2] ?? '';
const parsed = parseVersion(version);
if (!parsed) fail(`expected a version X.Y.Z (optionally -prerelease), got '${version}'.`);

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const current = parseVersion(pkg.version);
if (current && compareVersions(parsed, current) <= 0) {
  fail(`version ${version} is not newer than the current ${pkg.version}.`);
}
if (git('status', '--porcelain'))
  fail('the working tree has uncommitted changes; commit or stash them first.');
if (git('tag', '--list', `v${version}`)) fail(`tag v${version} already exists.`);

const notesFile = 'CHANGELOG.md';
const { changelog, notes } = releaseChangelog(
  readFileSync(notesFile, 'utf8'),
  version,
  new Date().toISOString().slice(0, 10),
);

try {
  execFileSync('node', ['scripts/build-actions.mjs'], { stdio: 'inherit' });
} catch {
  fail('`npm run build` failed (see above); fix the build before releasing.');
}
if (git('status', '--porcelain', '--', 'dist')) {
  if (git('ls-files', '--', 'dist')) git('checkout', '--', 'dist');
  git('clean', '-fdq', '--', 'dist');
  fail('dist/ is stale: `npm run build` changes it. Rebuild, commit dist/ and try again.');
}

execFileSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version'], {
  stdio: 'ignore',
});
writeFileSync(notesFile, changelog);
git('add', 'package.json', 'package-lock.json', notesFile);
git('commit', '-q', '-m', `Release v${version}`);
// --cleanup=verbatim keeps "### Added" headings, which git would otherwise strip as comments.
execFileSync('git', ['tag', '-a', `v${version}`, '--cleanup=verbatim', '-F', '-'], {
  input: `v${version}\n\n${notes}\n`,
});
console.log(`Prepared v${version}. Push it with: git push origin HEAD v${version}`);
