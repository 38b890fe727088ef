import { SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { CANCEL_BUDGET_MS, restoreInstances, restoreSummary } from '../src/cancel.js';
import { clock, fakeSsm, type Outcome } from './helpers/fake-ssm.js';

const ROLLBACK = '# rollback script';
const rolledBack: Outcome = { polls: 2, status: 'Success', output: 'SSM_ROLLOUT_RESULT=rolled-back\n' };
const unchanged: Outcome = { status: 'Success', output: 'SSM_ROLLOUT_RESULT=unchanged\n' };

afterEach(() => mockClient(SSMClient).restore());

function deps(c: ReturnType<typeof clock>, lines: string[] = []) {
  return {
    ssm: new SSMClient({ region: 'eu-west-1' }),
    sleep: c.sleep,
    now: c.now,
    log: (l: string) => lines.push(l),
  };
}

/** A deploy command already sent to `instances` (its invocations finish on the first poll: cancelled). */
async function sentDeploy(ssm: ReturnType<typeof fakeSsm>, instances: string[]): Promise<string> {
  const response = await new SSMClient({ region: 'eu-west-1' }).send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: instances,
      Parameters: { commands: ['# deploy script'] },
    }),
  );
  ssm.mock.resetHistory();
  return response.Command!.CommandId!;
}

describe('restoring after a cancel', () => {
  test('when the second wave is cancelled, then its command is cancelled, and every touched instance gets the rollback script once it stopped', async () => {
    const ssm = fakeSsm((_, script) =>
      script.includes(ROLLBACK) ? rolledBack : { status: 'Cancelled', statusDetails: 'Cancelled' },
    );
    const deploy = await sentDeploy(ssm, ['i-2', 'i-3']);
    const c = clock();
    const report = await restoreInstances(deps(c), {
      commandIds: ['cmd-canary', deploy].filter((id) => id === deploy),
      instances: ['i-1', 'i-2', 'i-3'],
      rollbackScript: ROLLBACK,
      comment: 'test',
      until: c.now() + CANCEL_BUDGET_MS,
    });
    expect(ssm.cancelled).toEqual([deploy]);
    const sends = ssm.mock.commandCalls(SendCommandCommand).map((call) => call.args[0].input);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.InstanceIds).toEqual(['i-1', 'i-2', 'i-3']);
    expect(sends[0]!.Parameters!.commands![0]).toContain(ROLLBACK);
    // The restore command may run no longer than the budget left.
    expect(Number(sends[0]!.Parameters!.executionTimeout![0])).toBeLessThanOrEqual(CANCEL_BUDGET_MS / 1000);
    expect(report.complete).toBe(true);
    expect(report.outcomes.map((o) => [o.instanceId, o.result])).toEqual([
      ['i-1', 'rolled-back'],
      ['i-2', 'rolled-back'],
      ['i-3', 'rolled-back'],
    ]);
    expect(c.now()).toBeLessThan(CANCEL_BUDGET_MS);
  });

  test('when an instance had not been changed yet, then "unchanged" counts as restored', async () => {
    const ssm = fakeSsm((id) => (id === 'i-2' ? unchanged : rolledBack));
    const c = clock();
    const report = await restoreInstances(deps(c), {
      commandIds: [],
      instances: ['i-1', 'i-2'],
      rollbackScript: ROLLBACK,
      comment: 'test',
      until: c.now() + CANCEL_BUDGET_MS,
    });
    expect(ssm.cancelled).toEqual([]);
    expect(report.complete).toBe(true);
  });

  test('when a restore is still running when the budget ends, then it is left running and reported unfinished', async () => {
    const ssm = fakeSsm((id) => (id === 'i-2' ? { polls: 10_000, status: 'Success' } : rolledBack));
    const c = clock();
    const report = await restoreInstances(deps(c), {
      commandIds: [],
      instances: ['i-1', 'i-2'],
      rollbackScript: ROLLBACK,
      comment: 'test',
      until: c.now() + CANCEL_BUDGET_MS,
    });
    expect(report.complete).toBe(false);
    expect(report.outcomes.find((o) => o.instanceId === 'i-2')).toMatchObject({ finished: false });
    expect(ssm.cancelled).toEqual([]); // not cancelled half-way: its execution timeout ends it
    expect(c.now()).toBe(CANCEL_BUDGET_MS);
    const summary = restoreSummary(report, '/ssm-rollout/locks/legal-api', false);
    expect(summary).toContain('ssm-rollout: cancelled, restore INCOMPLETE');
    expect(summary).toContain('| i-2 | still running when the time was up |');
    expect(summary).toContain('the next rollout repairs these instances before anything else');
  });

  test('when a deploy command does not stop within a minute, then its instance is not restored over it', async () => {
    const ssm = fakeSsm((id, script) =>
      script.includes(ROLLBACK)
        ? rolledBack
        : id === 'i-3'
          ? { polls: 10_000, status: 'Success' }
          : { status: 'Cancelled' },
    );
    const deploy = await sentDeploy(ssm, ['i-2', 'i-3']);
    const c = clock();
    const report = await restoreInstances(deps(c), {
      commandIds: [deploy],
      instances: ['i-1', 'i-2', 'i-3'],
      rollbackScript: ROLLBACK,
      comment: 'test',
      until: c.now() + CANCEL_BUDGET_MS,
    });
    expect(report.stillDeploying).toEqual(['i-3']);
    expect(report.outcomes.map((o) => o.instanceId)).toEqual(['i-1', 'i-2']);
    expect(report.complete).toBe(false);
  });

  test('when a first deployment has no previous release, then it counts as settled (nothing to return to)', async () => {
    fakeSsm(() => ({ status: 'Failed', output: 'SSM_ROLLOUT_RESULT=no-previous\n' }));
    const c = clock();
    const report = await restoreInstances(deps(c), {
      commandIds: [],
      instances: ['i-1'],
      rollbackScript: ROLLBACK,
      comment: 'test',
      until: c.now() + CANCEL_BUDGET_MS,
    });
    expect(report.complete).toBe(true);
    expect(restoreSummary(report, '/l', true)).toContain(
      'no previous release to return to (first deployment)',
    );
  });
});
