/**
 * What a pull request changes: per file, the line numbers it adds (new side). From the GitHub API first;
 * from `git diff` against the merge base when the API refuses (422 for very large diffs, the 3000-file
 * limit, files whose patch it leaves out).
 */
export type DiffMode = 'added' | 'file' | 'none';

export interface ChangedLines {
  /** file -> added line numbers (empty set: touched without added lines, e.g. only deletions). */
  files: Map<string, Set<number>>;
  source: 'api' | 'git';
  /** Why the API was not used, when it was not. */
  fallbackReason?: string;
}

export interface PullFile {
  filename: string;
  status?: string;
  additions?: number;
  changes?: number;
  patch?: string;
}

/** The one Octokit method used; a real Octokit (from `getOctokit`) satisfies it. */
export interface PullsApi {
  rest: {
    pulls: {
      listFiles(params: {
        owner: string;
        repo: string;
        pull_number: number;
        per_page?: number;
        page?: number;
      }): Promise<{ data: PullFile[] }>;
    };
  };
}

export type Git = (args: string[]) => Promise<string>;

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
}

/** Added line numbers of one file's unified diff (the API's `patch`, or one file of `git diff`). */
export function addedLines(patch: string): Set<number> {
  const added = new Set<number>();
  let line = 0;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (line === 0) continue;
    if (text.startsWith('+')) added.add(line++);
    else if (text.startsWith(' ')) line++;
    // '-' lines and '\ No newline at end of file' do not advance the new side.
  }
  return added;
}

/** Splits `git diff` output into files (new-side paths) and their added lines. */
export function parseGitDiff(output: string): Map<string, Set<number>> {
  const files = new Map<string, Set<number>>();
  const chunks = output.split(/^diff --git /m).slice(1);
  for (const chunk of chunks) {
    const plus = /^\+\+\+ (?:b\/)?(.+)$/m.exec(chunk);
    let path = plus?.[1];
    if (path === '/dev/null') continue; // deleted file
    if (!path) {
      // renames or mode changes without content: "a/x b/y" in the header
      const header = /^a\/(.+) b\/(.+)$/m.exec(chunk);
      path = header?.[2];
    }
    if (!path) continue;
    files.set(path.replace(/\t$/, ''), addedLines(chunk));
  }
  return files;
}

const API_FILE_LIMIT = 3000;

class ApiRefused extends Error {}

export async function changedFromApi(api: PullsApi, pr: PullRequestRef): Promise<Map<string, Set<number>>> {
  const files = new Map<string, Set<number>>();
  let all: PullFile[] = [];
  for (let page = 1; ; page++) {
    const { data } = await api.rest.pulls.listFiles({
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      per_page: 100,
      page,
    });
    all = all.concat(data);
    if (data.length < 100 || all.length >= API_FILE_LIMIT) break;
  }
  if (all.length >= API_FILE_LIMIT) {
    throw new ApiRefused(
      `the API lists at most ${API_FILE_LIMIT} files and this pull request reaches that limit`,
    );
  }
  for (const file of all) {
    if (file.status === 'removed') continue;
    if (file.patch === undefined && (file.additions ?? 0) > 0) {
      throw new ApiRefused(`the API left out the patch of ${file.filename} (too large)`);
    }
    files.set(file.filename, file.patch ? addedLines(file.patch) : new Set());
  }
  return files;
}

export async function changedFromGit(git: Git, pr: PullRequestRef): Promise<Map<string, Set<number>>> {
  let base: string;
  try {
    base = (await git(['merge-base', pr.baseSha, pr.headSha])).trim();
  } catch (err) {
    throw new Error(
      `git merge-base ${pr.baseSha} ${pr.headSha} failed (${(err as Error).message.trim()}); ` +
        'check out with fetch-depth: 0 so both commits are present',
    );
  }
  const out = await git(['diff', '--no-color', '--no-ext-diff', '--unified=0', '-M', base, pr.headSha]);
  return parseGitDiff(out);
}

function describe(err: unknown): string {
  const e = err as { status?: number; message?: string };
  return e.status ? `HTTP ${e.status}: ${e.message ?? ''}`.trim() : (e.message ?? String(err));
}

export async function changedLines(
  pr: PullRequestRef,
  api: PullsApi | undefined,
  git: Git,
  log: (line: string) => void = () => {},
): Promise<ChangedLines> {
  let reason = 'no github-token was given';
  if (api) {
    try {
      return { files: await changedFromApi(api, pr), source: 'api' };
    } catch (err) {
      reason = describe(err);
    }
  }
  log(
    `diff-filter: the GitHub API did not give the pull request diff (${reason}); using git diff against the merge base.`,
  );
  try {
    return { files: await changedFromGit(git, pr), source: 'git', fallbackReason: reason };
  } catch (err) {
    throw new Error(
      `diff-filter: cannot get the changed lines of pull request #${pr.number}: the API refused (${reason}) ` +
        `and ${(err as Error).message}.`,
    );
  }
}

/** Whether a finding is in scope for the mode. Findings without a file (image packages) always are. */
export function inDiff(
  mode: DiffMode,
  changed: ChangedLines | undefined,
  file: string | undefined,
  line: number | undefined,
  endLine?: number,
): boolean {
  if (mode === 'none' || !changed || file === undefined) return true;
  const added = changed.files.get(file);
  if (!added) return false;
  if (mode === 'file' || line === undefined) return mode === 'file' || added.size > 0;
  for (let l = line; l <= Math.max(line, endLine ?? line); l++) if (added.has(l)) return true;
  return false;
}

/** Whether the finding's line is one the pull request adds (used to rank annotations). */
export function onAddedLine(
  changed: ChangedLines | undefined,
  file?: string,
  line?: number,
  endLine?: number,
): boolean {
  if (!changed || !file || line === undefined) return false;
  const added = changed.files.get(file);
  if (!added) return false;
  for (let l = line; l <= Math.max(line, endLine ?? line); l++) if (added.has(l)) return true;
  return false;
}
