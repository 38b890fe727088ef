/** Commit ancestry from the job's checkout (GITHUB_WORKSPACE), with git: no network, no token. */
import { execFile } from 'node:child_process';
import type { IsAncestor } from './release.js';

function git(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', cwd, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(err.code === 'ENOENT' ? 'git is not installed on the runner' : err.message));
        return;
      }
      resolve({
        code: err ? (err.code as number) : 0,
        stdout: String(stdout).trim(),
        stderr: String(stderr).trim(),
      });
    });
  });
}

/** `git merge-base --is-ancestor` in `workspace`, after checking both commits are there; throws when it cannot tell. */
export function gitAncestry(workspace: string): IsAncestor {
  return async (older, newer) => {
    for (const commit of [older, newer]) {
      const found = await git(workspace, ['cat-file', '-e', `${commit}^{commit}`]);
      if (found.code !== 0) {
        throw new Error(
          `commit ${commit} is not in the checkout at ${workspace}` +
            (found.stderr.includes('not a git repository') ? ' (not a git repository)' : ''),
        );
      }
    }
    const result = await git(workspace, ['merge-base', '--is-ancestor', older, newer]);
    if (result.code === 0) return true;
    if (result.code === 1) {
      // In a shallow clone the path between the two may be cut off: "no" cannot be trusted there.
      const shallow = await git(workspace, ['rev-parse', '--is-shallow-repository']);
      if (shallow.stdout === 'true') throw new Error(`the checkout at ${workspace} is shallow`);
      return false;
    }
    throw new Error(`git merge-base exited ${result.code}: ${result.stderr}`);
  };
}
