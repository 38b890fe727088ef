import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  DescribeParametersCommand,
  ListCommandInvocationsCommand,
  PutParameterCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { planWaves } from '../src/planner.js';
import { checkParameterPath, writeReleaseParameter } from '../src/parameters.js';
import { runRollout, type RolloutOptions } from '../src/rollout.js';
import { parseTargets, resolveTargets, unavailable } from '../src/targets.js';
import { clock, fakeSsm, type Outcome } from './helpers/fake-ssm.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
const DEPLOY = '# deploy script';
const ROLLBACK = '# rollback script';
const throttle = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
const denied = () =>
  Object.assign(new Error('User is not authorized to perform: ssm:SendCommand'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 },
  });

function options(
  instanceIds: string[],
  overrides: Partial<RolloutOptions> = {},
  strategy: 'canary' | 'all-at-once' | 'one-at-a-time' = 'canary',
): RolloutOptions {
  return {
    plan: planWaves(instanceIds, {
      strategy,
      batchSize: strategy === 'canary' ? { kind: 'percent', value: 50 } : undefined,
    }),
    deployScript: DEPLOY,
    rollbackScript: ROLLBACK,
    commandTimeoutSeconds: 600,
    rollback: true,
    comment: 'test',
    ...overrides,
  };
}

const healthy: Outcome = {
  polls: 2,
  status: 'Success',
  output: 'SSM_ROLLOUT_PREVIOUS_IMAGE=repo@sha256:old\nSSM_ROLLOUT_RESULT=healthy\n',
};
const unhealthy: Outcome = {
  polls: 1,
  status: 'Failed',
  output: 'SSM_ROLLOUT_PREVIOUS_IMAGE=repo@sha256:old\nSSM_ROLLOUT_RESULT=unhealthy-restored\n',
};
const rolledBack: Outcome = { status: 'Success', output: 'SSM_ROLLOUT_RESULT=rolled-back\n' };
const isRollback = (script: string) => script.includes(ROLLBACK);

afterEach(() => {
  mockClient(SSMClient).restore();
  mockClient(EC2Client).restore();
});

/** EC2 answering DescribeInstances with these running instance IDs, in pages of `pageSize`. */
function ec2With(ids: string[], pageSize = 1000) {
  const mock = mockClient(EC2Client);
  mock.on(DescribeInstancesCommand).callsFake(async (input: { NextToken?: string }) => {
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = ids.slice(start, start + pageSize);
    return {
      Reservations: [{ Instances: page.map((InstanceId) => ({ InstanceId, State: { Name: 'running' } })) }],
      NextToken: start + pageSize < ids.length ? String(start + pageSize) : undefined,
    };
  });
  return { mock, client: new EC2Client({ region: 'eu-west-1' }) };
}

function deps(c = clock(), log: string[] = []) {
  return {
    ssm: new SSMClient({ region: 'eu-west-1' }),
    sleep: c.sleep,
    now: c.now,
    log: (l: string) => void log.push(l),
    random: () => 0.5,
  };
}

describe('a rollout that succeeds', () => {
  test('when 120 instances go all at once, then SendCommand is split in chunks of at most 50 and every invocation is polled to Success', async () => {
    const fleet = ids(120);
    const { mock } = fakeSsm(() => healthy, 50);
    const result = await runRollout(deps(), options(fleet, {}, 'all-at-once'));
    const sends = mock.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(sends.map((s) => s.InstanceIds!.length)).toEqual([50, 50, 20]);
    expect(sends.flatMap((s) => s.InstanceIds)).toEqual(fleet);
    expect(sends[0]).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      Parameters: { executionTimeout: ['600'] },
    });
    expect(sends[0]!.Parameters!.commands![0]).toContain(DEPLOY);
    expect(result.status).toBe('succeeded');
    expect(result.updated).toEqual(fleet);
    expect(result.failed).toEqual([]);
    expect(result.commandIds).toHaveLength(3);
    expect(result.instances[0]).toMatchObject({
      status: 'Success',
      result: 'healthy',
      previousImage: 'repo@sha256:old',
      durationMs: 1500,
    });
  });

  test('when the invocations of one command span pages, then every page is read (pagination)', async () => {
    const fleet = ids(45);
    const { mock } = fakeSsm(() => ({ ...healthy, polls: 0 }), 20);
    const result = await runRollout(deps(), options(fleet, {}, 'all-at-once'));
    const tokens = mock.commandCalls(ListCommandInvocationsCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, '20', '40']);
    expect(result.updated).toHaveLength(45);
  });

  test('when SendCommand and ListCommandInvocations are throttled, then they are retried with labelled lines and the rollout succeeds', async () => {
    const fleet = ids(3);
    const { mock } = fakeSsm(() => healthy);
    const send = mock.commandCalls.bind(mock);
    let sendFailures = 1;
    let listFailures = 2;
    const original = new SSMClient({ region: 'eu-west-1' });
    const log: string[] = [];
    const wrapped = {
      send: (command: never) => {
        const name = (command as { constructor: { name: string } }).constructor.name;
        if (name === 'SendCommandCommand' && sendFailures-- > 0) return Promise.reject(throttle());
        if (name === 'ListCommandInvocationsCommand' && listFailures-- > 0) return Promise.reject(throttle());
        return original.send(command);
      },
    };
    const c = clock();
    const result = await runRollout(
      { ...deps(c, log), ssm: wrapped as never },
      options(fleet, {}, 'one-at-a-time'),
    );
    expect(result.status).toBe('succeeded');
    expect(log.filter((l) => l.startsWith('[retry]'))).toEqual([
      expect.stringMatching(
        /^\[retry\] SSM SendCommand: attempt 1\/5 failed \(ThrottlingException: Rate exceeded\)/,
      ),
      expect.stringMatching(/^\[retry\] SSM ListCommandInvocations cmd-0001: attempt 1\/5 failed/),
      expect.stringMatching(/^\[retry\] SSM ListCommandInvocations cmd-0001: attempt 2\/5 failed/),
    ]);
    expect(send(SendCommandCommand)).toHaveLength(3);
  });

  test('when waves finish, then the poll interval grows with the wave time and stays within 4% of it (bounded overshoot)', async () => {
    const { mock } = fakeSsm(() => ({ ...healthy, polls: 40 }));
    const c = clock();
    await runRollout(deps(c), options(ids(1), {}, 'all-at-once'));
    expect(mock.commandCalls(ListCommandInvocationsCommand)).toHaveLength(41);
    let elapsed = 0;
    for (const ms of c.sleeps) {
      expect(ms).toBe(Math.min(15_000, Math.max(2000, Math.round(elapsed * 0.04))));
      elapsed += ms;
    }
  });
});

describe('a rollout that fails', () => {
  test('when the canary is unhealthy, then no other instance is touched and the status is rolled-back (the canary restored itself)', async () => {
    const fleet = ids(5);
    const { mock } = fakeSsm((id, script) =>
      isRollback(script) ? rolledBack : id === fleet[0] ? unhealthy : healthy,
    );
    const result = await runRollout(deps(), options(fleet));
    expect(mock.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(result).toMatchObject({
      status: 'rolled-back',
      failedWave: 1,
      updated: [],
      failed: [fleet[0]],
      rolledBack: [],
    });
    expect(result.instances).toHaveLength(1);
    expect(result.instances[0]).toMatchObject({ status: 'Failed', result: 'unhealthy-restored' });
  });

  test('when the wave after a healthy canary fails, then the rollback script goes to every updated instance and the rest are untouched', async () => {
    const fleet = ids(7); // canary 1, then 50% of 7 = 4 per wave: 4, 2
    const bad = fleet[2]!;
    const { mock } = fakeSsm((id, script) =>
      isRollback(script) ? rolledBack : id === bad ? unhealthy : healthy,
    );
    const result = await runRollout(deps(), options(fleet));
    const sends = mock.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(sends.map((s) => [s.InstanceIds, s.Parameters!.commands![0]!.includes(ROLLBACK)])).toEqual([
      [[fleet[0]], false],
      [[fleet[1], fleet[2], fleet[3], fleet[4]], false],
      [[fleet[0], fleet[1], fleet[3], fleet[4]], true],
    ]);
    expect(result.status).toBe('rolled-back');
    expect(result.failedWave).toBe(2);
    expect(result.failed).toEqual([bad]);
    expect(result.rolledBack).toEqual([fleet[0], fleet[1], fleet[3], fleet[4]]);
    expect(result.updated).toEqual([]);
    expect(result.commandIds).toEqual(['cmd-0001', 'cmd-0002', 'cmd-0003']);
    expect(result.instances.find((i) => i.instanceId === fleet[0])?.rollback).toEqual({
      status: 'Success',
      result: 'rolled-back',
      commandId: 'cmd-0003',
    });
  });

  test('when rollback is off, then a failed wave stops the rollout and the updated instances stay (status failed)', async () => {
    const fleet = ids(3);
    const { mock } = fakeSsm((id) => (id === fleet[1] ? unhealthy : healthy));
    const result = await runRollout(deps(), options(fleet, { rollback: false }));
    expect(mock.commandCalls(SendCommandCommand)).toHaveLength(2);
    expect(result).toMatchObject({
      status: 'failed',
      updated: [fleet[0], fleet[2]],
      failed: [fleet[1]],
      rolledBack: [],
    });
  });

  test('when the rollback itself fails on an instance, then the status is failed and that instance is named', async () => {
    const fleet = ids(3);
    const { mock: _ } = fakeSsm((id, script) =>
      isRollback(script)
        ? id === fleet[0]
          ? { status: 'Failed', output: 'SSM_ROLLOUT_RESULT=no-previous' }
          : rolledBack
        : id === fleet[2]
          ? unhealthy
          : healthy,
    );
    const result = await runRollout(deps(), options(fleet));
    expect(result).toMatchObject({ status: 'failed', rolledBack: [fleet[1]], rollbackFailed: [fleet[0]] });
  });

  test('when an instance goes offline mid-rollout (Undeliverable), then its wave fails and the updated instances are rolled back', async () => {
    const fleet = ids(3);
    fakeSsm((id, script) =>
      isRollback(script)
        ? rolledBack
        : id === fleet[1]
          ? { polls: 3, status: 'Failed', statusDetails: 'Undeliverable' }
          : healthy,
    );
    const result = await runRollout(deps(), options(fleet, {}, 'one-at-a-time'));
    expect(result.instances.map((i) => i.status)).toEqual(['Success', 'Undeliverable']);
    expect(result).toMatchObject({ status: 'rolled-back', failed: [fleet[1]], rolledBack: [fleet[0]] });
  });

  test('when an instance timed out mid-script, then it gets the rollback command too, and an untouched one reports unchanged', async () => {
    const fleet = ids(3); // canary, then 50% of 3 = 2: [0], [1, 2]
    const { mock } = fakeSsm((id, script) => {
      if (isRollback(script))
        return id === fleet[2] ? { status: 'Success', output: 'SSM_ROLLOUT_RESULT=unchanged\n' } : rolledBack;
      if (id === fleet[1]) return { status: 'Failed', statusDetails: 'Undeliverable' };
      if (id === fleet[2])
        return { status: 'TimedOut', statusDetails: 'ExecutionTimedOut', output: 'ssm-rollout: pulling' };
      return healthy;
    });
    const result = await runRollout(deps(), options(fleet));
    const sends = mock.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(sends.at(-1)!.InstanceIds).toEqual([fleet[0], fleet[2]]);
    expect(sends.at(-1)!.Parameters!.commands![0]).toContain(ROLLBACK);
    expect(result).toMatchObject({
      status: 'rolled-back',
      failed: [fleet[1], fleet[2]],
      rolledBack: [fleet[0]],
      rollbackFailed: [],
    });
    expect(result.instances.find((i) => i.instanceId === fleet[2])?.rollback?.result).toBe('unchanged');
  });

  test('when an instance never answers within command-timeout, then the action cancels its command and counts it TimedOut', async () => {
    const fleet = ids(2);
    const { cancelled } = fakeSsm((id) => (id === fleet[1] ? { polls: 10_000, status: 'Success' } : healthy));
    const c = clock();
    const result = await runRollout(
      deps(c),
      options(
        fleet,
        { commandTimeoutSeconds: 60, deliveryTimeoutSeconds: 30, rollback: false },
        'all-at-once',
      ),
    );
    expect(cancelled).toEqual(['cmd-0001']);
    expect(result.instances.map((i) => [i.instanceId, i.status])).toEqual([
      [fleet[0], 'Success'],
      [fleet[1], 'TimedOut'],
    ]);
    expect(c.now()).toBeGreaterThanOrEqual((60 + 30 + 60) * 1000);
    expect(c.now()).toBeLessThan((60 + 30 + 60 + 16) * 1000);
  });

  test('when SendCommand is refused (access denied), then the error names ssm:SendCommand and nothing is retried', async () => {
    const mock = mockClient(SSMClient);
    mock.on(SendCommandCommand).rejects(denied());
    await expect(runRollout(deps(), options(ids(2)))).rejects.toThrow(
      /AWS refused ssm:SendCommand \(AccessDeniedException\): the role used by this job needs the IAM permission 'ssm:SendCommand'/,
    );
    expect(mock.commandCalls(SendCommandCommand)).toHaveLength(1);
  });

  test('when polling fails mid-rollout (access denied), then the commands already sent are cancelled', async () => {
    const mock = mockClient(SSMClient);
    mock.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    mock.on(ListCommandInvocationsCommand).rejects(denied());
    mock.on(CancelCommandCommand).resolves({});
    await expect(runRollout(deps(), options(ids(2)))).rejects.toThrow(/ssm:ListCommandInvocations/);
    expect(mock.commandCalls(CancelCommandCommand).map((c) => c.args[0].input.CommandId)).toEqual(['cmd-1']);
  });

  test('when the SendCommand connection drops, then it is not sent again (the command may already run)', async () => {
    const mock = mockClient(SSMClient);
    mock.on(SendCommandCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(runRollout(deps(), options(ids(2)))).rejects.toThrow(
      'SSM SendCommand failed: socket hang up',
    );
    expect(mock.commandCalls(SendCommandCommand)).toHaveLength(1);
  });
});

describe('targets', () => {
  test.each([
    [['i-123'], /got 'i-123'/],
    [['tag:Env'], /got 'tag:Env'/],
    [['tag:=prod', 'web-1'], /got 'tag:=prod', 'web-1'/],
    [[], /expected at least one instance ID/],
  ])('when targets are %j, then parsing fails naming the input and the bad lines', (lines, message) => {
    expect(() => parseTargets(lines)).toThrow(/^Input 'targets'/);
    expect(() => parseTargets(lines)).toThrow(message);
  });

  test('when IDs and a tag are resolved, then every page is read, IDs keep their order and unknown IDs count as not registered', async () => {
    const mock = mockClient(SSMClient);
    const [a, b, c, d] = ids(4);
    mock
      .on(DescribeInstanceInformationCommand, {
        Filters: [{ Key: 'InstanceIds', Values: [b!, a!, 'i-0ffffffffffffffff'] }],
      })
      .resolves({
        InstanceInformationList: [
          { InstanceId: a, PingStatus: 'Online', PlatformType: 'Linux' },
          { InstanceId: b, PingStatus: 'ConnectionLost', PlatformType: 'Linux' },
        ],
      });
    mock
      .on(DescribeInstanceInformationCommand, {
        Filters: [{ Key: 'tag:Role', Values: ['web'] }],
        NextToken: undefined,
      })
      .resolves({
        InstanceInformationList: [{ InstanceId: d, PingStatus: 'Online', PlatformType: 'Linux' }],
        NextToken: 'page2',
      })
      .on(DescribeInstanceInformationCommand, {
        Filters: [{ Key: 'tag:Role', Values: ['web'] }],
        NextToken: 'page2',
      })
      .resolves({
        InstanceInformationList: [
          { InstanceId: c, PingStatus: 'Online', PlatformType: 'Windows' },
          { InstanceId: a, PingStatus: 'Online' },
        ],
      });
    const ec2 = ec2With([a!, c!, d!]);
    const targets = parseTargets([b!, a!, 'i-0ffffffffffffffff', 'tag:Role=web']);
    const resolved = await resolveTargets(targets, {
      ssm: new SSMClient({ region: 'eu-west-1' }),
      ec2: ec2.client,
      sleep: async () => {},
    });
    expect(ec2.mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Role', Values: ['web'] },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ]);
    expect(resolved.map((r) => [r.instanceId, r.pingStatus])).toEqual([
      [b, 'ConnectionLost'],
      [a, 'Online'],
      ['i-0ffffffffffffffff', 'NotRegistered'],
      [c, 'Online'],
      [d, 'Online'],
    ]);
    expect(resolved.find((r) => r.instanceId === a)?.selectedBy).toEqual([a, 'tag:Role=web']);
    expect(unavailable(resolved).map((u) => [u.instance.instanceId, u.reason])).toEqual([
      [b, 'SSM agent ping status is ConnectionLost'],
      ['i-0ffffffffffffffff', 'not registered with Systems Manager'],
      [c, 'platform Windows cannot run AWS-RunShellScript'],
    ]);
  });

  test('when a tag matches nothing in EC2 or SSM, then resolution fails naming the tag', async () => {
    mockClient(SSMClient).on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    await expect(
      resolveTargets(parseTargets(['tag:Env=nowhere']), {
        ssm: new SSMClient({ region: 'eu-west-1' }),
        ec2: ec2With([]).client,
        sleep: async () => {},
      }),
    ).rejects.toThrow(
      "Input 'targets': tag:Env=nowhere matched no running EC2 instance and no instance registered with Systems Manager",
    );
  });

  test('when a tagged EC2 instance never registered with SSM (over pages), then it is resolved as not registered', async () => {
    const fleet = ids(3);
    const mock = mockClient(SSMClient);
    mock
      .on(DescribeInstanceInformationCommand, { Filters: [{ Key: 'tag:Env', Values: ['prod'] }] })
      .resolves({
        InstanceInformationList: [{ InstanceId: fleet[0], PingStatus: 'Online', PlatformType: 'Linux' }],
      })
      .on(DescribeInstanceInformationCommand, {
        Filters: [{ Key: 'InstanceIds', Values: [fleet[1]!, fleet[2]!] }],
      })
      .resolves({
        InstanceInformationList: [{ InstanceId: fleet[1], PingStatus: 'Online', PlatformType: 'Linux' }],
      });
    const ec2 = ec2With(fleet, 2);
    const resolved = await resolveTargets(parseTargets(['tag:Env=prod']), {
      ssm: new SSMClient({ region: 'eu-west-1' }),
      ec2: ec2.client,
      sleep: async () => {},
    });
    expect(ec2.mock.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      '2',
    ]);
    expect(resolved.map((r) => [r.instanceId, r.pingStatus])).toEqual([
      [fleet[0], 'Online'],
      [fleet[1], 'Online'],
      [fleet[2], 'NotRegistered'],
    ]);
  });

  test('when EC2 refuses DescribeInstances, then the error names ec2:DescribeInstances', async () => {
    mockClient(SSMClient).on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    mockClient(EC2Client)
      .on(DescribeInstancesCommand)
      .rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation' }));
    await expect(
      resolveTargets(parseTargets(['tag:Env=prod']), {
        ssm: new SSMClient({ region: 'eu-west-1' }),
        ec2: new EC2Client({ region: 'eu-west-1' }),
        sleep: async () => {},
      }),
    ).rejects.toThrow(/IAM permission 'ec2:DescribeInstances'/);
  });

  test('when DescribeInstanceInformation is throttled then refused, then it is retried and the refusal names the permission', async () => {
    const mock = mockClient(SSMClient);
    mock
      .on(DescribeInstanceInformationCommand)
      .rejectsOnce(throttle())
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const log: string[] = [];
    await expect(
      resolveTargets(parseTargets(['tag:Env=prod']), {
        ssm: new SSMClient({ region: 'eu-west-1' }),
        ec2: ec2With([]).client,
        sleep: async () => {},
        log: (l) => void log.push(l),
      }),
    ).rejects.toThrow(/IAM permission 'ssm:DescribeInstanceInformation'/);
    expect(mock.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(2);
    expect(log[0]).toMatch(
      /^\[retry\] SSM DescribeInstanceInformation \(tag:Env=prod\): attempt 1\/5 failed \(ThrottlingException/,
    );
  });
});

describe('parameters', () => {
  const d = () => ({ ssm: new SSMClient({ region: 'eu-west-1' }), sleep: async () => {}, log: () => {} });

  test('when the env path has no parameter, then the check fails naming env-parameters-path', async () => {
    mockClient(SSMClient).on(DescribeParametersCommand).resolves({ Parameters: [] });
    await expect(checkParameterPath(d(), '/legal-api/prod')).rejects.toThrow(
      "Input 'env-parameters-path': no parameter found under '/legal-api/prod'",
    );
  });

  test('when the env path holds parameters, then only their metadata is read (no values through the workflow)', async () => {
    const mock = mockClient(SSMClient);
    mock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/legal-api/prod/DATABASE_URL' }] });
    expect(await checkParameterPath(d(), '/legal-api/prod')).toBe(1);
    expect(mock.commandCalls(DescribeParametersCommand)[0]!.args[0].input).toEqual({
      ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/legal-api/prod'] }],
      MaxResults: 50,
    });
  });

  test('when SSM answers an empty first page with a NextToken, then the check pages on instead of failing', async () => {
    const mock = mockClient(SSMClient);
    mock
      .on(DescribeParametersCommand)
      .resolvesOnce({ Parameters: [], NextToken: 'page-2' })
      .resolves({ Parameters: [{ Name: '/legal-api/prod/DATABASE_URL' }] });
    expect(await checkParameterPath(d(), '/legal-api/prod')).toBe(1);
    expect(mock.commandCalls(DescribeParametersCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
  });

  test('when the release is recorded, then the parameter holds the image, digest, commit and time as JSON', async () => {
    const mock = mockClient(SSMClient);
    mock.on(PutParameterCommand).rejectsOnce(throttle()).resolves({ Version: 2 });
    const record = {
      image: 'r/a@sha256:1',
      digest: 'sha256:1',
      commit: 'abc',
      time: '2026-01-01T00:00:00.000Z',
      instanceCount: 3,
    };
    await writeReleaseParameter(d(), '/legal-api/prod/release', record);
    const input = mock.commandCalls(PutParameterCommand)[1]!.args[0].input;
    expect(input).toMatchObject({ Name: '/legal-api/prod/release', Type: 'String', Overwrite: true });
    expect(JSON.parse(input.Value!)).toEqual(record);
  });
});
