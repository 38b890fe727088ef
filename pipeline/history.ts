/**
 * The commits the rehearsal releases: a clone of this repository (sharing its objects, no work tree) in which
 * each later release is a new commit on main, so ssm-rollout's downgrade check reads real ancestry with git, as it
 * does in the deploy job's checkout. The repository itself is never written to.
 */
import { spawnSync } from 'node:child_process';

export interface Commit {
  sha: string;
  /** Committer time, ISO 8601 (the push event's head_commit.timestamp). */
  time: string;
}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

export class History {
  private constructor(readonly dir: string) {}

  /** Clones `repo` into `dir` (objects shared, no checkout) with its HEAD as main. */
  static clone(repo: string, dir: string): History {
    // safe.directory: the rehearsal runs as root over a checkout that may belong to another user.
    git(repo, ['-c', `safe.directory=${repo}`, 'clone', '--quiet', '--shared', '--no-checkout', repo, dir]);
    git(dir, ['update-ref', 'refs/heads/main', 'HEAD']);
    git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
    return new History(dir);
  }

  head(): Commit {
    return {
      sha: git(this.dir, ['rev-parse', 'HEAD']),
      time: git(this.dir, ['show', '-s', '--format=%cI', 'HEAD']),
    };
  }

  /** A new commit on main (same tree as its parent, as a release whose change does not matter here). */
  commit(message: string): Commit {
    const identity = { GIT_AUTHOR_NAME: 'rehearsal', GIT_AUTHOR_EMAIL: 'rehearsal@localhost' };
    const env = {
      ...process.env,
      ...identity,
      GIT_COMMITTER_NAME: 'rehearsal',
      GIT_COMMITTER_EMAIL: 'rehearsal@localhost',
    };
    const sha = git(this.dir, ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', message], env);
    git(this.dir, ['update-ref', 'refs/heads/main', sha]);
    return this.head();
  }
}
