/**
 * Parameter Store beside the rollout: the environment path checked before anything changes, and the live
 * release recorded after a successful rollout (read back by release.ts for the downgrade check).
 */
import { DescribeParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsCall } from '../../lib/aws.js';
import type { RolloutDeps } from './rollout.js';

/** Fails before anything changes when the environment path holds no parameter the workflow role can see. */
export async function checkParameterPath(
  deps: Pick<RolloutDeps, 'ssm' | 'sleep' | 'log' | 'random'>,
  path: string,
): Promise<number> {
  // With filters, DescribeParameters may answer an empty page and a NextToken: page on until a result.
  let count = 0;
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall(
      () =>
        deps.ssm.send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [path] }],
            MaxResults: 50,
            NextToken: token,
          }),
        ),
      {
        operation: 'SSM DescribeParameters',
        permission: 'ssm:DescribeParameters',
        sleep: deps.sleep,
        random: deps.random,
        log: deps.log,
      },
    );
    count = page.Parameters?.length ?? 0;
    nextToken = page.NextToken;
  } while (count === 0 && nextToken);
  if (count === 0) {
    throw new Error(
      `Input 'env-parameters-path': no parameter found under '${path}' (the instances would start without their ` +
        'environment). Check the path and the region; the workflow role needs ssm:DescribeParameters to check it.',
    );
  }
  return count;
}

export interface ReleaseRecord {
  image: string;
  digest?: string;
  commit: string;
  time: string;
  instanceCount: number;
}

export async function writeReleaseParameter(
  deps: Pick<RolloutDeps, 'ssm' | 'sleep' | 'log' | 'random'>,
  name: string,
  record: ReleaseRecord,
): Promise<void> {
  await awsCall(
    () =>
      deps.ssm.send(
        new PutParameterCommand({
          Name: name,
          Type: 'String',
          Overwrite: true,
          Value: JSON.stringify(record),
          Description: 'Live release written by ssm-rollout',
        }),
      ),
    {
      operation: 'SSM PutParameter',
      permission: 'ssm:PutParameter',
      sleep: deps.sleep,
      random: deps.random,
      log: deps.log,
    },
  );
}
