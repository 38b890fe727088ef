/**
 * `npm run release -- X.Y.Z` (or X.Y.Z-rc.N): releases the actions from an up-to-date default branch.
 *
 * Refuses, changing nothing, when the version is malformed or not newer than package.json's, the tree is dirty,
 * the checkout is not the default branch of its remote, it differs from its upstream (after fetching branches and
 * tags), the tag exists on the remote or locally, the Unreleased section lists nothing, or `npm run build` changes
 * dist/. Then it bumps package.json, dates the changelog entry (final releases only), commits, creates the
 * annotated tag vX.Y.Z with the notes, and pushes the commit and the tag in one atomic push: either both land
 * or neither does. release.yml takes over from the tag.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import semver from 'semver';
import { releaseChangelog, unreleasedNotes } from './release-notes.js';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: 'pipe' }).trim();

/** git's own message (its stderr) when a git command fails. */
function gitError(err: unknown): string {
  const stderr = (err as { stderr?: Buffer | string }).stderr;
  return String(stderr ?? (err instanceof Error ? err.message : err)).trim();
}

function fail(message: string): never {
  console.error(`release: ${message}`);
  process.exit(1);
}

// Semver without build metadata and without a leading `v` (the tag adds it).
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

const version = process.argv[2] ?? '';
if (!VERSION.test(version) || !semver.valid(version)) {
  fail(`expected a version X.Y.Z (optionally -prerelease), got '${version}'.`);
}
const tag = `v${version}`;
const prerelease = semver.prerelease(version) !== null;

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
if (semver.valid(pkg.version) && semver.lte(version, pkg.version)) {
  fail(`version ${version} is not newer than the current ${pkg.version}.`);
}
if (git('status', '--porcelain'))
  fail('the working tree has uncommitted changes; commit or stash them first.');

// --- where we release from: the default branch of the remote, exactly as the remote has it -------------------
const branch = (() => {
  try {
    return git('symbolic-ref', '--quiet', '--short', 'HEAD');
  } catch {
    return fail('HEAD is detached; check out the default branch first.');
  }
})();
const remote = (() => {
  try {
    return git('config', `branch.${branch}.remote`);
  } catch {
    return fail(`branch '${branch}' has no upstream; release from the default branch as the remote has it.`);
  }
})();
const upstream = git('config', `branch.${branch}.merge`); // refs/heads/<name> on the remote
let defaultBranch: string;
try {
  // "ref: refs/heads/main\tHEAD": the remote's own HEAD, not a possibly stale local guess.
  const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(git('ls-remote', '--symref', remote, 'HEAD'));
  if (!symref) fail(`cannot tell the default branch of '${remote}' (its HEAD is not a branch).`);
  defaultBranch = symref[1]!;
} catch (err) {
  fail(`cannot reach '${remote}' to check the default branch: ${gitError(err)}`);
}
if (upstream !== `refs/heads/${defaultBranch}`) {
  fail(
    `releases are made from '${defaultBranch}', the default branch of '${remote}'; this checkout is on ` +
      `'${branch}' (tracking ${upstream.replace('refs/heads/', `${remote}/`)}).`,
  );
}
try {
  git('fetch', '--quiet', '--tags', remote);
} catch (err) {
  fail(`git fetch --tags ${remote} failed: ${gitError(err)}`);
}
const [ahead, behind] = git('rev-list', '--left-right', '--count', 'HEAD...@{upstream}')
  .split(/\s+/)
  .map(Number);
const tracking = `${remote}/${defaultBranch}`;
if (behind) fail(`'${branch}' is ${behind} commit(s) behind ${tracking}; pull first, then release.`);
if (ahead) {
  fail(
    `'${branch}' has ${ahead} commit(s) that ${tracking} does not; a release is made from what the default ` +
      'branch already holds: push them first (through review), or reset to the upstream.',
  );
}
if (git('ls-remote', '--tags', remote, `refs/tags/${tag}`)) fail(`tag ${tag} already exists on '${remote}'.`);
if (git('tag', '--list', tag)) {
  fail(
    `tag ${tag} already exists here (but not on '${remote}'); delete it with git tag -d ${tag} if it is stale.`,
  );
}

// --- what we release ------------------------------------------------------------------------------------------
const notesFile = 'CHANGELOG.md';
const changelogText = readFileSync(notesFile, 'utf8');
let notes: string;
let changelog: string | undefined;
try {
  if (prerelease) {
    notes = unreleasedNotes(changelogText);
  } else {
    ({ notes, changelog } = releaseChangelog(changelogText, version, new Date().toISOString().slice(0, 10)));
  }
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

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

// --- release -----------------------------------------------------------------------------------------------------
execFileSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version'], {
  stdio: 'ignore',
});
if (changelog !== undefined) writeFileSync(notesFile, changelog);
git('add', 'package.json', 'package-lock.json', notesFile);
git('commit', '-q', '-m', `Release ${tag}`);
// --cleanup=verbatim keeps "### Added" headings, which git would otherwise strip as comments.
execFileSync('git', ['tag', '-a', tag, '--cleanup=verbatim', '-F', '-'], { input: `${tag}\n\n${notes}\n` });

const push = ['push', '--atomic', remote, `HEAD:refs/heads/${defaultBranch}`, `refs/tags/${tag}`];
try {
  git(...push);
} catch (err) {
  fail(
    `git ${push.join(' ')} was refused, so nothing was pushed:\n${gitError(err)}\n` +
      `The release commit and tag ${tag} are only local. Retry the push with: git ${push.join(' ')}\n` +
      `or undo them with: git tag -d ${tag} && git reset --hard ${tracking}`,
  );
}
console.log(`Released ${tag}: pushed to ${tracking} with its tag; release.yml publishes it.`);
