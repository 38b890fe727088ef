import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelCommandCommand,
  DeleteParameterCommand,
  GetParameterCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, afterEach, expect, jest, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { post } from '../src/post.js';

const dir = mkdtempSync(join(tmpdir(), 'ssm-rollout-post-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  mockClient(SSMClient).restore();
  jest.restoreAllMocks();
});

/** The post step's environment: the step's inputs again, and the state main saved. */
function postEnv(state: Record<string, string>): NodeJS.ProcessEnv {
  const summary = join(dir, 'summary');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'local',
    GITHUB_STEP_SUMMARY: summary,
    INPUT_TARGETS: 'tag:Role=web',
    INPUT_IMAGE: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api@sha256:${'b'.repeat(64)}`,
    'INPUT_CONTAINER-NAME': 'legal-api',
    'INPUT_CONTAINER-PORT': '3000',
    'INPUT_RELEASE-PARAMETER': '/legal-api/prod/release',
  };
  for (const [key, value] of Object.entries(state)) env[`STATE_${key}`] = value;
  return env;
}

test('when the workflow is cancelled after the waves ended, then nothing is restored, the lock is released and the release record is said to be possibly stale', async () => {
  const ssm = mockClient(SSMClient);
  ssm
    .on(GetParameterCommand)
    .resolves({ Parameter: { Value: JSON.stringify({ owner: 'run-1', expires: '2099-01-01T00:00:00Z' }) } });
  ssm.on(DeleteParameterCommand).resolves({});
  const printed: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
    printed.push(String(text));
    return true;
  });
  await post(
    postEnv({
      'command-ids': 'cmd-1 cmd-2',
      instances: 'i-1 i-2 i-3',
      'lock-parameter': '/ssm-rollout/locks/legal-api',
      'lock-owner': 'run-1',
      'rollout-id': '42.1.x',
      'waves-done': 'succeeded',
      region: 'eu-west-1',
    }),
  );
  expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  expect(ssm.commandCalls(CancelCommandCommand)).toHaveLength(0);
  expect(ssm.commandCalls(DeleteParameterCommand)[0]!.args[0].input).toEqual({
    Name: '/ssm-rollout/locks/legal-api',
  });
  expect(printed.join('')).toContain(
    '::warning::ssm-rollout was stopped after its waves had ended (succeeded); nothing to restore, but /legal-api/prod/release may still name the previous release.',
  );
});

test('when main finished, then the post step does nothing at all', async () => {
  const ssm = mockClient(SSMClient);
  const env = postEnv({
    finished: 'true',
    'command-ids': 'cmd-1',
    'lock-parameter': '/l',
    'lock-owner': 'o',
  });
  await post(env);
  expect(ssm.calls()).toHaveLength(0);
  expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe('');
});
