/**
 * One GitHub issue per failing workflow and environment: a failed run opens it (or comments on the one that is
 * open), the next successful run closes it. Run as the last job of a workflow, with `if: always()`:
 *
 *   NEEDS='${{ toJSON(needs) }}' ENVIRONMENT=production GITHUB_TOKEN=... node scripts/failure-issue.ts
 *
 * JOBS (optional, space or comma separated) narrows NEEDS to the jobs of one environment, so one notify job of a
 * workflow with several environments runs it once per environment (deploy: JOBS='build staging' for staging,
 * JOBS=production for production).
 *
 * It needs only the job's GITHUB_TOKEN with `issues: write`, and no dependencies: the job runs it with plain
 * `node` (type stripping) on the checked-out code, installing nothing. The issue is found again by a marker in its
 * body, among the open issues that carry the label, so renaming the title does not make a second one.
 */

export type Outcome = 'failure' | 'success' | 'none';

export interface RunContext {
  workflow: string;
  environment: string;
  repository: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  sha: string;
  ref: string;
}

export interface Report {
  title: string;
  body: string;
  comment: string;
}

export const LABEL = 'workflow-failure';

/**
 * The run's outcome from the results of the jobs it watched (the `needs` context): a failed or cancelled job
 * (a job over its timeout-minutes is cancelled) makes it a failure; otherwise any success makes it a success;
 * a run whose jobs were all skipped says nothing.
 */
export function outcomeOf(results: Record<string, string>): Outcome {
  const values = Object.values(results);
  if (values.some((r) => r === 'failure' || r === 'cancelled')) return 'failure';
  return values.includes('success') ? 'success' : 'none';
}

/** The hidden line that identifies the issue of one workflow and environment. */
export function marker(workflow: string, environment: string): string {
  return `<!-- failure-issue: ${JSON.stringify({ workflow, environment })} -->`;
}

export function runUrl(ctx: RunContext): string {
  return `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}/attempts/${ctx.runAttempt}`;
}

export function failureReport(ctx: RunContext, results: Record<string, string>): Report {
  const failed = Object.entries(results)
    .filter(([, r]) => r === 'failure' || r === 'cancelled')
    .map(([job, r]) => `\`${job}\` (${r})`)
    .join(', ');
  const run = `[run ${ctx.runId}, attempt ${ctx.runAttempt}](${runUrl(ctx)})`;
  const what = `${failed} failed on \`${ctx.ref}\` at ${ctx.sha}. The job summaries of ${run} say why.`;
  return {
    title: `${ctx.workflow} is failing (${ctx.environment})`,
    body: [
      marker(ctx.workflow, ctx.environment),
      `The **${ctx.workflow}** workflow failed for **${ctx.environment}**: ${what}`,
      '',
      'Each further failure adds a comment here; the next successful run closes this issue.',
    ].join('\n'),
    comment: `Failed again: ${what}`,
  };
}

export function successComment(ctx: RunContext): string {
  return `Succeeded on \`${ctx.ref}\` at ${ctx.sha} in [run ${ctx.runId}](${runUrl(ctx)}); closing.`;
}

export type Action =
  { kind: 'open' } | { kind: 'comment'; issue: number } | { kind: 'close'; issue: number } | { kind: 'none' };

export function decide(outcome: Outcome, openIssue: number | undefined): Action {
  if (outcome === 'failure')
    return openIssue === undefined ? { kind: 'open' } : { kind: 'comment', issue: openIssue };
  if (outcome === 'success' && openIssue !== undefined) return { kind: 'close', issue: openIssue };
  return { kind: 'none' };
}

// --- GitHub REST API -------------------------------------------------------------------------------------------

type Fetch = typeof fetch;

export class GitHubError extends Error {}

// Plain fields, not constructor parameter properties: node's type stripping runs only erasable TypeScript.
export class IssuesApi {
  private readonly apiUrl: string;
  private readonly token: string;
  private readonly repository: string;
  private readonly fetchFn: Fetch;

  constructor(apiUrl: string, token: string, repository: string, fetchFn: Fetch = fetch) {
    this.apiUrl = apiUrl;
    this.token = token;
    this.repository = repository;
    this.fetchFn = fetchFn;
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; data: unknown }> {
    const url = `${this.apiUrl}/repos/${this.repository}${path}`;
    const response = await this.fetchFn(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, data };
  }

  private async expect(method: string, path: string, ok: number[], body?: unknown): Promise<unknown> {
    const { status, data } = await this.call(method, path, body);
    if (!ok.includes(status)) {
      const message = (data as { message?: string } | undefined)?.message ?? String(data ?? '').slice(0, 200);
      throw new GitHubError(
        `GitHub API ${method} /repos/${this.repository}${path} answered ${status}: ${message}`,
      );
    }
    return data;
  }

  /** The number of the open issue with this label whose body holds the marker. */
  async findOpen(label: string, mark: string): Promise<number | undefined> {
    for (let page = 1; ; page++) {
      const query = `?state=open&labels=${encodeURIComponent(label)}&per_page=100&page=${page}`;
      const issues = (await this.expect('GET', `/issues${query}`, [200])) as {
        number: number;
        body?: string | null;
        pull_request?: unknown;
      }[];
      const found = issues.find((i) => !i.pull_request && (i.body ?? '').includes(mark));
      if (found) return found.number;
      if (issues.length < 100) return undefined;
    }
  }

  async ensureLabel(name: string): Promise<void> {
    const { status } = await this.call('GET', `/labels/${encodeURIComponent(name)}`);
    if (status === 200) return;
    await this.expect('POST', '/labels', [201, 422], {
      name,
      color: 'b60205',
      description: 'A workflow run failed; closed by the next successful run',
    });
  }

  async open(title: string, body: string, label: string): Promise<number> {
    const issue = (await this.expect('POST', '/issues', [201], { title, body, labels: [label] })) as {
      number: number;
    };
    return issue.number;
  }

  async comment(issue: number, body: string): Promise<void> {
    await this.expect('POST', `/issues/${issue}/comments`, [201], { body });
  }

  async close(issue: number): Promise<void> {
    await this.expect('PATCH', `/issues/${issue}`, [200], { state: 'closed', state_reason: 'completed' });
  }
}

// --- the step --------------------------------------------------------------------------------------------------

export class InputError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string, expected: string): string {
  const value = env[name]?.trim();
  if (!value) throw new InputError(`${name}: expected ${expected}, got nothing.`);
  return value;
}

/** The watched jobs' results from the JSON of the `needs` context. */
export function parseNeeds(text: string): Record<string, string> {
  const expected = "the JSON of the needs context (NEEDS: '${{ toJSON(needs) }}') with at least one job";
  let needs: unknown;
  try {
    needs = JSON.parse(text);
  } catch {
    throw new InputError(`NEEDS: expected ${expected}, got '${text.slice(0, 100)}'.`);
  }
  if (
    typeof needs !== 'object' ||
    needs === null ||
    Array.isArray(needs) ||
    Object.keys(needs).length === 0
  ) {
    throw new InputError(`NEEDS: expected ${expected}, got '${text.slice(0, 100)}'.`);
  }
  const results: Record<string, string> = {};
  for (const [job, value] of Object.entries(needs)) {
    const result = (value as { result?: unknown } | null)?.result;
    if (typeof result !== 'string') {
      throw new InputError(`NEEDS: job '${job}' has no result; expected ${expected}.`);
    }
    results[job] = result;
  }
  return results;
}

/** The results of the jobs JOBS names (all of NEEDS when JOBS is empty); a name not in NEEDS is refused. */
export function selectJobs(results: Record<string, string>, jobs: string): Record<string, string> {
  const names = jobs.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0) return results;
  const unknown = names.filter((name) => !(name in results));
  if (unknown.length > 0) {
    throw new InputError(
      `JOBS: expected job names from NEEDS (${Object.keys(results).join(', ')}), got '${unknown.join("', '")}'.`,
    );
  }
  return Object.fromEntries(names.map((name) => [name, results[name]!]));
}

/** Reads the step's environment, talks to the API, and says what it did. */
export async function main(env: NodeJS.ProcessEnv, fetchFn: Fetch = fetch): Promise<string> {
  const results = selectJobs(parseNeeds(env.NEEDS ?? ''), env.JOBS ?? '');
  const ctx: RunContext = {
    environment: required(env, 'ENVIRONMENT', 'the environment this run stands for (e.g. production)'),
    workflow: required(env, 'GITHUB_WORKFLOW', "the workflow's name (set by the runner)"),
    repository: required(env, 'GITHUB_REPOSITORY', 'owner/name (set by the runner)'),
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    runId: required(env, 'GITHUB_RUN_ID', 'the run id (set by the runner)'),
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF_NAME ?? '',
  };
  const token = required(env, 'GITHUB_TOKEN', "a token with 'issues: write' (github.token)");
  const api = new IssuesApi(env.GITHUB_API_URL || 'https://api.github.com', token, ctx.repository, fetchFn);

  const outcome = outcomeOf(results);
  if (outcome === 'none')
    return `${ctx.workflow} (${ctx.environment}): every watched job was skipped; nothing to do.`;
  const mark = marker(ctx.workflow, ctx.environment);
  const action = decide(outcome, await api.findOpen(LABEL, mark));
  const report = failureReport(ctx, results);
  switch (action.kind) {
    case 'open': {
      await api.ensureLabel(LABEL);
      const issue = await api.open(report.title, report.body, LABEL);
      return `${ctx.workflow} (${ctx.environment}) failed: opened issue #${issue}.`;
    }
    case 'comment':
      await api.comment(action.issue, report.comment);
      return `${ctx.workflow} (${ctx.environment}) failed again: commented on issue #${action.issue}.`;
    case 'close':
      await api.comment(action.issue, successComment(ctx));
      await api.close(action.issue);
      return `${ctx.workflow} (${ctx.environment}) succeeded: closed issue #${action.issue}.`;
    case 'none':
      return `${ctx.workflow} (${ctx.environment}) succeeded; no open issue.`;
  }
}

if (import.meta.main) {
  main(process.env).then(
    (line) => console.log(line),
    (err: unknown) => {
      console.error(`failure-issue: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
