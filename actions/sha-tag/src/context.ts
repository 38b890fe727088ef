/**
 * What the runner tells a step about the commit: GITHUB_* variables and the event payload
 * (GITHUB_EVENT_PATH). Pure: main.ts reads the payload file and passes its text in.
 */

export interface Repository {
  name?: string;
  full_name?: string;
  html_url?: string;
  default_branch?: string;
  description?: string | null;
  license?: { spdx_id?: string | null } | null;
}

export interface Payload {
  repository?: Repository;
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string; ref?: string }; base?: { ref?: string } };
  base_ref?: string | null;
  [key: string]: unknown;
}

export interface GitContext {
  eventName: string;
  /** The ref the tags describe: GITHUB_REF, or the pull request's ref on pull_request_target. */
  ref: string;
  /** GITHUB_REF as the runner set it (on pull_request_target, the base branch). */
  githubRef: string;
  /** The commit the tags describe: GITHUB_SHA, or the pull request's head commit (see usePrHeadSha). */
  sha: string;
  /** GITHUB_SHA as the runner set it (for pull_request events, GitHub's merge commit). */
  githubSha: string;
  repository: string;
  serverUrl: string;
  payload: Payload;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function parsePayload(text: string, path: string): Payload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `The event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`The event payload at GITHUB_EVENT_PATH (${path}) is not a JSON object.`);
  }
  return value as Payload;
}

/** Events whose payload carries `pull_request` and whose GITHUB_SHA is not the pull request's head. */
export const isPullRequestEvent = (eventName: string): boolean => eventName.startsWith('pull_request');

export function readContext(
  env: NodeJS.ProcessEnv,
  payload: Payload,
  options: { usePrHeadSha: boolean },
): GitContext {
  const githubSha = (env.GITHUB_SHA ?? '').trim().toLowerCase();
  if (!githubSha) {
    throw new Error(
      'GITHUB_SHA is not set. sha-tag reads the commit from the variables a GitHub Actions runner sets ' +
        '(GITHUB_SHA, GITHUB_REF, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH); run it as a step of a workflow job.',
    );
  }
  if (!SHA.test(githubSha)) {
    throw new Error(`GITHUB_SHA '${githubSha}' is not a commit SHA (40 or 64 hexadecimal digits).`);
  }
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const githubRef = env.GITHUB_REF ?? '';
  let sha = githubSha;
  const headSha = payload.pull_request?.head?.sha?.toLowerCase();
  if (options.usePrHeadSha && isPullRequestEvent(eventName) && headSha) {
    if (!SHA.test(headSha)) {
      throw new Error(`The event payload's pull_request.head.sha '${headSha}' is not a commit SHA.`);
    }
    sha = headSha;
  }
  return {
    eventName,
    ref: eventName === 'pull_request_target' ? pullRequestRef(payload) : githubRef,
    githubRef,
    sha,
    githubSha,
    repository: env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    payload,
  };
}

/**
 * On pull_request_target the runner sets GITHUB_REF to the base branch (refs/heads/main), yet the
 * commit comes from the pull request: tagging it as the base branch would give a fork's code the
 * default branch's tags. docker/metadata-action reads the pull request's ref instead; so does sha-tag.
 */
function pullRequestRef(payload: Payload): string {
  const number = payload.number ?? payload.pull_request?.number;
  if (!Number.isSafeInteger(number) || number! < 1) {
    throw new Error(
      `The pull_request_target event payload has no pull request number (number: ${JSON.stringify(number ?? null)}); ` +
        'sha-tag needs it to tag the pull request rather than its base branch.',
    );
  }
  return `refs/pull/${number}/merge`;
}

/** The branch of a refs/heads/ ref, else ''. */
export const branchOf = (ref: string): string => (ref.startsWith('refs/heads/') ? ref.slice(11) : '');
/** The tag of a refs/tags/ ref, else ''. */
export const tagOf = (ref: string): string => (ref.startsWith('refs/tags/') ? ref.slice(10) : '');

/**
 * Whether the ref is the repository's default branch: the payload's repository.default_branch, or, for
 * events that always run on the default branch (schedule, issues, discussion), any branch ref.
 */
export function isDefaultBranch(ctx: GitContext): boolean {
  const branch = branchOf(ctx.ref);
  if (!branch) return false;
  const defaultBranch = ctx.payload.repository?.default_branch;
  if (defaultBranch) return defaultBranch === branch;
  return /^(schedule|issues|issue_comment|discussion|discussion_comment)$/.test(ctx.eventName);
}
