/**
 * The local SSM endpoint driven by the AWS SDK's own clients: the SDK's serializers, deserializers and error
 * parsing are the independent side, so each operation the stand-in implements answers in the shape the SDK
 * models, its errors arrive as the SDK's typed exceptions, NextToken pages are followed by the SDK's
 * paginators, and throttling is retried by the SDK's retry strategy. EC2 DescribeInstances (query protocol) is
 * checked with the EC2 client. Running commands needs instances, which need root for their network namespaces.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { DescribeInstancesCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import {
  CancelCommandCommand,
  DeleteParameterCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  GetDocumentCommand,
  InvalidCommandId,
  InvalidDocument,
  InvalidInstanceId,
  InvalidNextToken,
  InvocationDoesNotExist,
  ListCommandInvocationsCommand,
  paginateDescribeInstanceInformation,
  paginateDescribeParameters,
  paginateGetParametersByPath,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SendCommandCommand,
  SSMClient,
  SSMServiceException,
  type GetCommandInvocationCommandOutput,
} from '@aws-sdk/client-ssm';
import { canUseNetns, SsmEndpoint } from '../ssm-endpoint.js';

jest.setTimeout(60_000);

const credentials = { accessKeyId: 'AKIALOCAL', secretAccessKey: 'local' };
let dir: string;
let endpoint: SsmEndpoint;
let ssm: SSMClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssm-endpoint-'));
  endpoint = new SsmEndpoint(dir);
  await endpoint.start();
  ssm = new SSMClient({ endpoint: endpoint.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  ssm?.destroy();
  await endpoint?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The SDK's error for a call, which must fail. */
async function failure(call: Promise<unknown>): Promise<SSMServiceException> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SSMServiceException);
  return err as SSMServiceException;
}

describe('Parameter Store', () => {
  beforeEach(() => endpoint.parameters.clear());

  test('when a parameter is put, read, put again with and without Overwrite and deleted, then each answer is the one SSM models', async () => {
    const put = await ssm.send(new PutParameterCommand({ Name: '/app/a', Value: 'one', Type: 'String' }));
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });

    const again = await failure(
      ssm.send(new PutParameterCommand({ Name: '/app/a', Value: 'two', Type: 'String' })),
    );
    expect(again).toBeInstanceOf(ParameterAlreadyExists);
    expect(again.$metadata.httpStatusCode).toBe(400);

    const overwritten = await ssm.send(
      new PutParameterCommand({ Name: '/app/a', Value: 'two', Overwrite: true }),
    );
    expect(overwritten.Version).toBe(2);

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/a' }));
    expect(Parameter).toMatchObject({ Name: '/app/a', Type: 'String', Value: 'two', Version: 2 });
    expect(Parameter!.LastModifiedDate).toBeInstanceOf(Date);
    expect(Math.abs(Parameter!.LastModifiedDate!.getTime() - Date.now())).toBeLessThan(60_000);

    await ssm.send(new DeleteParameterCommand({ Name: '/app/a' }));
    expect(await failure(ssm.send(new GetParameterCommand({ Name: '/app/a' })))).toBeInstanceOf(
      ParameterNotFound,
    );
    expect(await failure(ssm.send(new DeleteParameterCommand({ Name: '/app/a' })))).toBeInstanceOf(
      ParameterNotFound,
    );
  });

  test('when GetParameters names a missing parameter, then it is listed as invalid, not an error', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/x', Value: '1', Type: 'SecureString' }));
    const answer = await ssm.send(new GetParametersCommand({ Names: ['/app/x', '/app/missing'] }));
    expect(answer.Parameters!.map((p) => [p.Name, p.Type, p.Value])).toEqual([
      ['/app/x', 'SecureString', '1'],
    ]);
    expect(answer.InvalidParameters).toEqual(['/app/missing']);
  });

  test('when a path holds more parameters than a page, then the SDK paginator reads them all, nested ones only when recursive', async () => {
    const names = [
      ...Array.from({ length: 12 }, (_, i) => `/svc/env/P${String(i).padStart(2, '0')}`),
      '/svc/env/deeper/Q',
      '/svc/other',
    ];
    for (const Name of names) await ssm.send(new PutParameterCommand({ Name, Value: Name, Type: 'String' }));

    const pages = [];
    for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/svc/env' }))
      pages.push(page);
    expect(pages.map((p) => p.Parameters!.length)).toEqual([10, 2]);
    expect(pages[0]!.NextToken).toEqual(expect.any(String));
    expect(pages[1]!.NextToken).toBeUndefined();
    expect(pages.flatMap((p) => p.Parameters!.map((q) => q.Name))).toEqual(names.slice(0, 12));

    const recursive = [];
    for await (const page of paginateGetParametersByPath(
      { client: ssm },
      { Path: '/svc/env/', Recursive: true },
    ))
      recursive.push(...page.Parameters!.map((p) => p.Name));
    expect(recursive).toEqual(names.slice(0, 13));

    const described = [];
    for await (const page of paginateDescribeParameters(
      { client: ssm, pageSize: 5 },
      { ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/svc'] }] },
    ))
      described.push(...page.Parameters!.map((p) => `${p.Name} ${p.Type} v${p.Version}`));
    expect(described).toEqual(names.map((n) => `${n} String v1`));
  });

  test('when a NextToken is not one the endpoint gave out, then the call fails with InvalidNextToken', async () => {
    const err = await failure(
      ssm.send(new GetParametersByPathCommand({ Path: '/svc', NextToken: 'garbage' })),
    );
    expect(err).toBeInstanceOf(InvalidNextToken);
  });
});

describe('errors every caller may meet', () => {
  test('when commands, invocations or documents are unknown, then the SDK raises the exception SSM names', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    expect(await failure(ssm.send(new ListCommandInvocationsCommand({ CommandId: id })))).toBeInstanceOf(
      InvalidCommandId,
    );
    expect(await failure(ssm.send(new CancelCommandCommand({ CommandId: id })))).toBeInstanceOf(
      InvalidCommandId,
    );
    expect(
      await failure(
        ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: 'i-0123456789abcdef0' })),
      ),
    ).toBeInstanceOf(InvocationDoesNotExist);
    expect(
      await failure(
        ssm.send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunPowerShellScript',
            InstanceIds: ['i-0123456789abcdef0'],
            Parameters: { commands: ['echo'] },
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidDocument);
  });

  test('when a command names an instance SSM does not know, then SendCommand fails with InvalidInstanceId and sends nothing', async () => {
    const err = await failure(
      ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: ['i-0ffffffffffffffff'],
          Parameters: { commands: ['true'] },
        }),
      ),
    );
    expect(err).toBeInstanceOf(InvalidInstanceId);
    expect(err.message).toBe(
      `Instances [[i-0ffffffffffffffff]] not in a valid state for account ${endpoint.accountId}`,
    );
    expect(endpoint.commands.size).toBe(0);
  });

  test('when an operation is not implemented, then it fails as an unknown operation, not with a made-up answer', async () => {
    const err = await failure(ssm.send(new GetDocumentCommand({ Name: 'AWS-RunShellScript' })));
    expect(err.name).toBe('UnknownOperationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  // The SDK's standard retry strategy retries a 400 only for the error codes it knows as throttling.
  test('when an operation is throttled twice, then the SDK retries it as throttling and the third attempt succeeds', async () => {
    endpoint.parameters.set('/t', { value: 'v', type: 'String', version: 1, modified: Date.now() });
    const retrying = new SSMClient({
      endpoint: endpoint.url,
      region: 'eu-west-1',
      credentials,
      maxAttempts: 3,
    });
    try {
      endpoint.throttle.set('GetParameter', 2);
      const answer = await retrying.send(new GetParameterCommand({ Name: '/t' }));
      expect(answer.Parameter!.Value).toBe('v');
      expect(answer.$metadata.attempts).toBe(3);
    } finally {
      retrying.destroy();
    }
    endpoint.throttle.set('GetParameter', 1);
    const err = await failure(ssm.send(new GetParameterCommand({ Name: '/t' })));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

const netns = canUseNetns();
if (!netns && process.env.CI === 'true')
  throw new Error('the instance tests need root and iproute2 (CI=true)');
const withInstances = netns ? describe : describe.skip;

withInstances('instances and Run Command', () => {
  const ids = Array.from({ length: 6 }, (_, i) => `i-0aaaaaaaaaaaa000${i}`);
  let ec2: EC2Client;

  beforeAll(async () => {
    for (const [i, id] of ids.entries()) {
      await endpoint.addInstance(id, { Env: i < 5 ? 'staging' : 'prod', Name: `web-${i}` });
    }
    endpoint.instances.get(ids[4]!)!.registered = false;
    endpoint.instances.get(ids[3]!)!.pingStatus = 'ConnectionLost';
    ec2 = new EC2Client({ endpoint: endpoint.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
  });
  afterAll(() => ec2?.destroy());

  const send = async (commands: string[], instanceIds: string[], timeout?: string) =>
    (
      await ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: instanceIds,
          Parameters: { commands, ...(timeout ? { executionTimeout: [timeout] } : {}) },
        }),
      )
    ).Command!.CommandId!;

  /** GetCommandInvocation until the invocation leaves Pending/InProgress. */
  const settled = async (
    commandId: string,
    instanceId: string,
  ): Promise<GetCommandInvocationCommandOutput> => {
    for (;;) {
      const inv = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
      );
      if (!['Pending', 'InProgress', 'Delayed'].includes(inv.Status!)) return inv;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  test('when instances are described by tag over pages, then only the registered ones are listed with their ping status', async () => {
    const listed = [];
    for await (const page of paginateDescribeInstanceInformation(
      { client: ssm },
      { MaxResults: 2, Filters: [{ Key: 'tag:Env', Values: ['staging'] }] },
    ))
      listed.push(
        ...page.InstanceInformationList!.map((i) => `${i.InstanceId} ${i.PingStatus} ${i.PlatformType}`),
      );
    expect(listed).toEqual([
      `${ids[0]} Online Linux`,
      `${ids[1]} Online Linux`,
      `${ids[2]} Online Linux`,
      `${ids[3]} ConnectionLost Linux`,
    ]);
    const byId = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: [ids[5]!, ids[4]!] }],
      }),
    );
    expect(byId.InstanceInformationList!.map((i) => i.InstanceId)).toEqual([ids[5]]);
  });

  test('when EC2 is asked for running instances by tag, then it lists the unregistered one too, with its tags', async () => {
    const answer = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:Env', Values: ['staging'] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      }),
    );
    const instances = answer.Reservations!.flatMap((r) => r.Instances!);
    expect(instances.map((i) => i.InstanceId)).toEqual(ids.slice(0, 5));
    expect(instances[4]!.State!.Name).toBe('running');
    expect(instances[4]!.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Env', Value: 'staging' },
        { Key: 'Name', Value: 'web-4' },
      ]),
    );
    const none = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Env', Values: ['dev'] }] }),
    );
    expect(none.Reservations).toEqual([]);
  });

  test('when EC2 is asked for an action the stand-in does not serve, then the EC2 client parses an InvalidAction error', async () => {
    const { DescribeVpcsCommand } = await import('@aws-sdk/client-ec2');
    const err = await ec2.send(new DescribeVpcsCommand({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EC2ServiceException);
    expect((err as EC2ServiceException).name).toBe('InvalidAction');
  });

  test('when a command runs on an instance, then its output and exit decide the invocation, as GetCommandInvocation and ListCommandInvocations report', async () => {
    const ok = await send(['echo out-ok', 'echo err >&2'], [ids[0]!, ids[1]!]);
    const failed = await send(['echo before', 'exit 3'], [ids[2]!]);
    const first = await settled(ok, ids[0]!);
    expect(first).toMatchObject({
      Status: 'Success',
      StatusDetails: 'Success',
      StandardOutputContent: 'out-ok\n',
      StandardErrorContent: 'err\n',
      PluginName: 'aws:runShellScript',
    });
    await settled(ok, ids[1]!);
    expect(await settled(failed, ids[2]!)).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed' });

    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: ok, Details: true }));
    expect(listed.CommandInvocations!.map((i) => [i.InstanceId, i.Status])).toEqual([
      [ids[0], 'Success'],
      [ids[1], 'Success'],
    ]);
    const plugin = listed.CommandInvocations![0]!.CommandPlugins![0]!;
    expect(plugin.Name).toBe('aws:runShellScript');
    expect(plugin.Output).toContain('out-ok');
    expect(plugin.ResponseFinishDateTime).toBeInstanceOf(Date);
    const paged = await ssm.send(new ListCommandInvocationsCommand({ CommandId: ok, MaxResults: 1 }));
    expect(paged.CommandInvocations).toHaveLength(1);
    expect(paged.NextToken).toEqual(expect.any(String));
  });

  test('when a command outlives its executionTimeout, is cancelled, or targets an offline instance, then the invocation ends TimedOut, Cancelled or Undeliverable', async () => {
    const timedOut = await send(['sleep 30'], [ids[0]!], '1');
    const cancelled = await send(['sleep 30'], [ids[1]!]);
    const offline = await send(['true'], [ids[3]!]);
    await new Promise((r) => setTimeout(r, 200));
    await ssm.send(new CancelCommandCommand({ CommandId: cancelled }));
    expect(await settled(cancelled, ids[1]!)).toMatchObject({
      Status: 'Cancelled',
      StatusDetails: 'Cancelled',
    });
    expect(await settled(offline, ids[3]!)).toMatchObject({
      Status: 'Failed',
      StatusDetails: 'Undeliverable',
    });
    expect(await settled(timedOut, ids[0]!)).toMatchObject({
      Status: 'TimedOut',
      StatusDetails: 'ExecutionTimedOut',
    });
  });

  test('when a command names an instance whose agent never registered, then SendCommand fails with InvalidInstanceId', async () => {
    const before = endpoint.commands.size;
    const err = await failure(send(['true'], [ids[0]!, ids[4]!]));
    expect(err).toBeInstanceOf(InvalidInstanceId);
    expect(err.message).toContain(ids[4]);
    expect(endpoint.commands.size).toBe(before);
  });
});
