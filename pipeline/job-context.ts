/**
 * The job's context as a runner sets it for a push to a branch: the event payload (written where
 * GITHUB_EVENT_PATH points), the GITHUB_* variables, and AWS credentials for the local API stand-ins.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PushContext {
  workspace: string;
  repository: string;
  sha: string;
  branch: string;
  commitTime: string;
  /** Where the event payload is written. */
  workDir: string;
  apiUrl: string;
}

/** The environment of the job, and the secrets in it, which the log must mask. */
export function pushJobEnv(ctx: PushContext): { env: NodeJS.ProcessEnv; secrets: string[] } {
  const event = {
    ref: `refs/heads/${ctx.branch}`,
    after: ctx.sha,
    repository: {
      full_name: ctx.repository,
      default_branch: ctx.branch,
      html_url: `https://github.com/${ctx.repository}`,
    },
    head_commit: { id: ctx.sha, timestamp: ctx.commitTime },
  };
  const eventPath = join(ctx.workDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event));
  const token = `ghs_local${randomBytes(12).toString('hex')}`;
  const awsSecret = randomBytes(20).toString('base64');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ctx.workspace,
    GITHUB_REPOSITORY: ctx.repository,
    GITHUB_REPOSITORY_OWNER: ctx.repository.split('/')[0],
    GITHUB_SHA: ctx.sha,
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: ctx.branch,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'build',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: ctx.repository.split('/')[0],
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: ctx.apiUrl,
    GITHUB_TOKEN: token,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIALOCALREHEARSAL00',
    AWS_SECRET_ACCESS_KEY: awsSecret,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { env, secrets: [token, awsSecret] };
}
