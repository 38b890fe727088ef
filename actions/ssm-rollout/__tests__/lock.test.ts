import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { acquireLock, markInterrupted, releaseLock } from '../src/lock.js';

const NAME = '/ssm-rollout/locks/legal-api';
const T0 = Date.parse('2026-11-29T10:00:00.000Z');
const awsError = (name: string) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } });

/** A Parameter Store double with the one rule the lock relies on: Overwrite false fails on an existing name. */
function store(initial?: { owner: string; expires: string; interrupted?: unknown }) {
  const mock = mockClient(SSMClient);
  const values = new Map<string, string>();
  if (initial) values.set(NAME, JSON.stringify(initial));
  mock.on(PutParameterCommand).callsFake(async (input) => {
    if (values.has(input.Name) && !input.Overwrite) throw awsError('ParameterAlreadyExists');
    values.set(input.Name, input.Value);
    return { Version: 1 };
  });
  mock.on(GetParameterCommand).callsFake(async (input) => {
    if (!values.has(input.Name)) throw awsError('ParameterNotFound');
    return { Parameter: { Name: input.Name, Value: values.get(input.Name) } };
  });
  mock.on(DeleteParameterCommand).callsFake(async (input) => {
    values.delete(input.Name);
    return {};
  });
  return { mock, values };
}

const deps = (now = T0) => ({
  ssm: new SSMClient({ region: 'eu-west-1' }),
  now: () => now,
  sleep: async () => {},
});
afterEach(() => mockClient(SSMClient).restore());

test('when no rollout holds the lock, then it is created with overwrite off and an expiry', async () => {
  const { mock, values } = store();
  expect(await acquireLock(deps(), NAME, 'run-1', 3_600_000)).toEqual({
    owner: 'run-1',
    expires: '2026-11-29T11:00:00.000Z',
  });
  expect(mock.commandCalls(PutParameterCommand)[0]!.args[0].input).toMatchObject({
    Name: NAME,
    Overwrite: false,
  });
  expect(JSON.parse(values.get(NAME)!)).toEqual({ owner: 'run-1', expires: '2026-11-29T11:00:00.000Z' });
});

test('when another rollout holds an unexpired lock, then acquiring fails naming the owner and the expiry', async () => {
  store({ owner: 'run-0', expires: '2026-11-29T10:30:00.000Z' });
  await expect(acquireLock(deps(), NAME, 'run-1', 3_600_000)).rejects.toThrow(
    "Another rollout holds the lock '/ssm-rollout/locks/legal-api' (owner run-0, until 2026-11-29T10:30:00.000Z), so nothing was changed.",
  );
});

test('when the lock left behind has expired, then it is taken over', async () => {
  const { values } = store({ owner: 'run-0', expires: '2026-11-29T09:59:59.000Z' });
  await acquireLock(deps(), NAME, 'run-1', 60_000);
  expect(JSON.parse(values.get(NAME)!).owner).toBe('run-1');
});

test('when releasing, then only the owner deletes the lock', async () => {
  const { mock, values } = store({ owner: 'run-0', expires: '2026-11-29T10:30:00.000Z' });
  expect(await releaseLock(deps(), NAME, 'run-1')).toBe(false);
  expect(mock.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  expect(await releaseLock(deps(), NAME, 'run-0')).toBe(true);
  expect(values.has(NAME)).toBe(false);
  expect(await releaseLock(deps(), NAME, 'run-0')).toBe(false);
});

test('when the role may not write the lock, then the error names ssm:PutParameter', async () => {
  mockClient(SSMClient).on(PutParameterCommand).rejects(awsError('AccessDeniedException'));
  await expect(acquireLock(deps(), NAME, 'run-1', 1000)).rejects.toThrow(/IAM permission 'ssm:PutParameter'/);
});

test('when our PutParameter went through but its response was lost, then the retry finds our own lock and keeps it', async () => {
  const { mock, values } = store();
  let first = true;
  mock.on(PutParameterCommand).callsFake(async (input) => {
    if (values.has(input.Name) && !input.Overwrite) throw awsError('ParameterAlreadyExists');
    values.set(input.Name, input.Value);
    if (first) {
      first = false;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    return { Version: 1 };
  });
  const lock = await acquireLock(deps(), NAME, 'run-1', 3_600_000);
  expect(lock.owner).toBe('run-1');
  expect(JSON.parse(values.get(NAME)!).owner).toBe('run-1');
});

describe('a lock left by an interrupted rollout', () => {
  const interrupted = { rolloutId: '41.1.abc', instances: ['i-1', 'i-2'], at: '2026-11-29T09:58:00.000Z' };

  test('when the post step could not restore everything, then its lock is marked with the rollout and its instances', async () => {
    const { values } = store({ owner: 'run-0', expires: '2026-11-29T12:00:00.000Z' });
    expect(await markInterrupted(deps(), NAME, 'run-1', interrupted)).toBe(false);
    expect(await markInterrupted(deps(), NAME, 'run-0', interrupted)).toBe(true);
    expect(JSON.parse(values.get(NAME)!)).toEqual({
      owner: 'run-0',
      expires: '2026-11-29T12:00:00.000Z',
      interrupted,
    });
  });

  test('when the next rollout finds it, then it repairs first and then takes the lock over, expiry or not', async () => {
    const { values } = store({ owner: 'run-0', expires: '2026-11-29T12:00:00.000Z', interrupted });
    const repaired: unknown[] = [];
    const lock = await acquireLock(deps(), NAME, 'run-1', 60_000, async (found, held) => {
      repaired.push([found, held.owner]);
    });
    expect(repaired).toEqual([[interrupted, 'run-0']]);
    expect(lock.owner).toBe('run-1');
    expect(JSON.parse(values.get(NAME)!)).toEqual({ owner: 'run-1', expires: '2026-11-29T10:01:00.000Z' });
  });

  test('when the repair fails, then the lock stays as it was and the failure comes through', async () => {
    const { values } = store({ owner: 'run-0', expires: '2026-11-29T12:00:00.000Z', interrupted });
    const before = values.get(NAME);
    await expect(
      acquireLock(deps(), NAME, 'run-1', 60_000, async () => {
        throw new Error('i-2 could not be put back');
      }),
    ).rejects.toThrow('i-2 could not be put back');
    expect(values.get(NAME)).toBe(before);
  });
});
