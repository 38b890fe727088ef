/**
 * The live release (the release parameter a successful rollout writes) and the downgrade check: a rollout must
 * not replace the live release with a commit that is an ancestor of the live one, unless it says it is a
 * rollback. Ancestry comes from an injected function (git in the checkout, see git.ts).
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsCall } from '../../lib/aws.js';
import type { Sleep } from '../../lib/retry.js';
import type { ReleaseRecord } from './parameters.js';

export interface ReleaseDeps {
  ssm: Pick<SSMClient, 'send'>;
  sleep?: Sleep;
  random?: () => number;
  log?: (line: string) => void;
}

/** The live release recorded in `name`, or undefined before the first release. */
export async function readRelease(
  deps: ReleaseDeps,
  name: string,
): Promise<Partial<ReleaseRecord> | undefined> {
  try {
    const response = await awsCall(() => deps.ssm.send(new GetParameterCommand({ Name: name })), {
      operation: 'SSM GetParameter (release)',
      permission: 'ssm:GetParameter',
      sleep: deps.sleep,
      random: deps.random,
      log: deps.log,
    });
    const text = response.Parameter?.Value ?? '';
    try {
      return JSON.parse(text) as Partial<ReleaseRecord>;
    } catch {
      throw new Error(
        `Input 'release-parameter': '${name}' does not hold the JSON release record ssm-rollout writes ` +
          `(got ${JSON.stringify(text.slice(0, 80))}); delete it or point release-parameter elsewhere.`,
      );
    }
  } catch (err) {
    if ((err as { name?: string }).name === 'ParameterNotFound') return undefined;
    throw err;
  }
}

/** Whether `older` is an ancestor of `newer`; throws when it cannot tell (say, a commit missing from the checkout). */
export type IsAncestor = (older: string, newer: string) => Promise<boolean>;

export interface DowngradeCheck {
  parameter: string;
  live: Partial<ReleaseRecord> | undefined;
  /** The commit this rollout deploys ('' when unknown, outside a workflow). */
  commit: string;
  allowDowngrade: boolean;
}

/** Refuses a downgrade (DowngradeError); otherwise returns what it found, for the log. */
export async function checkDowngrade(check: DowngradeCheck, isAncestor: IsAncestor): Promise<string> {
  const { live, commit, parameter } = check;
  if (!live) return `no live release recorded in ${parameter}: nothing to compare with`;
  if (commit === '') return 'no commit given (commit input or GITHUB_SHA): ancestry not checked';
  const liveCommit = live.commit ?? '';
  if (!/^[0-9a-f]{40}$/.test(liveCommit)) {
    return `the live release in ${parameter} records no commit: ancestry not checked`;
  }
  if (liveCommit === commit) return `commit ${commit} is the live release's commit: a redeploy`;
  const described = `the live release's commit ${liveCommit} (${live.image ?? 'image unknown'}, deployed ${live.time ?? 'at an unknown time'}, recorded in ${parameter})`;
  let ancestor: boolean;
  try {
    ancestor = await isAncestor(commit, liveCommit);
  } catch (err) {
    if (check.allowDowngrade) {
      return `cannot tell whether ${commit} is older than ${described} (${(err as Error).message}); deploying anyway (allow-downgrade: true)`;
    }
    throw new Error(
      `Input 'commit': cannot tell whether ${commit} is an ancestor of ${described}: ${(err as Error).message}. ` +
        'Nothing was changed. Check out the repository with its history in this job (actions/checkout with ' +
        'fetch-depth: 0), or set allow-downgrade: true to deploy without the check.',
    );
  }
  if (!ancestor) return `commit ${commit} is not an ancestor of ${described}: not a downgrade`;
  if (check.allowDowngrade) {
    return `commit ${commit} is an ancestor of ${described}: deploying it as a rollback (allow-downgrade: true)`;
  }
  throw new Error(
    `Input 'commit': ${commit} is an ancestor of ${described}, so this rollout would downgrade the live release; ` +
      'nothing was changed. For a deliberate rollback set allow-downgrade: true.',
  );
}
