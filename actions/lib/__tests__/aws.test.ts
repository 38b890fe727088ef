import { describe, expect, test } from '@jest/globals';
import {
  AWS_HTTP_TIMEOUTS,
  awsClientConfig,
  explainAwsError,
  isAccessDenied,
  isRetryableAwsError,
  isThrottling,
} from '../aws.js';

const awsError = (name: string, status?: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('AWS error classification', () => {
  test.each([
    ['ThrottlingException', 400, true],
    ['TooManyRequestsException', 429, true],
    ['ServiceUnavailable', 503, true],
    ['InternalServerError', 500, true],
    ['SomethingNew', 502, true],
    ['RepositoryNotFoundException', 400, false],
    ['AccessDeniedException', 403, false],
    ['ValidationException', 400, false],
  ])('when the SDK throws %s (HTTP %d), then retryable is %s', (name, status, expected) => {
    expect(isRetryableAwsError(awsError(name, status))).toBe(expected);
  });

  test('when the connection is reset, then it is retryable', () => {
    expect(isRetryableAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
  });

  test('throttling and access denied are recognised by name', () => {
    expect(isThrottling(awsError('ThrottlingException'))).toBe(true);
    expect(isAccessDenied(awsError('AccessDeniedException'))).toBe(true);
    expect(isAccessDenied(awsError('ThrottlingException'))).toBe(false);
  });
});

describe('explainAwsError', () => {
  test('when access is denied, then the message names the IAM permission', () => {
    const err = explainAwsError(awsError('AccessDeniedException', 403), 'ecr:GetAuthorizationToken');
    expect(err.message).toBe(
      "AWS refused ecr:GetAuthorizationToken (AccessDeniedException): the role used by this job needs the IAM permission 'ecr:GetAuthorizationToken'. AccessDeniedException happened",
    );
  });
  test('when the error is something else, then it passes through unchanged', () => {
    const original = awsError('ValidationException', 400);
    expect(explainAwsError(original, 'ssm:SendCommand')).toBe(original);
  });
});

test('the SDK retry layer is switched off so withRetry is the only one, and sockets time out', () => {
  const timeouts = { connectionTimeout: 5_000, requestTimeout: 60_000, throwOnRequestTimeout: true };
  expect(awsClientConfig('eu-west-1')).toEqual({
    region: 'eu-west-1',
    maxAttempts: 1,
    requestHandler: timeouts,
  });
  expect(awsClientConfig(undefined)).toEqual({ maxAttempts: 1, requestHandler: timeouts });
});

test('a client built from the config times out a request that never answers', async () => {
  const { createServer } = await import('node:http');
  const { SSMClient, DescribeInstanceInformationCommand } = await import('@aws-sdk/client-ssm');
  const server = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = new SSMClient({
    ...awsClientConfig('eu-west-1'),
    requestHandler: { ...AWS_HTTP_TIMEOUTS, requestTimeout: 300 },
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  try {
    const err = await client.send(new DescribeInstanceInformationCommand({})).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(isRetryableAwsError(err)).toBe(true);
  } finally {
    client.destroy();
    server.closeAllConnections();
    server.close();
  }
});
