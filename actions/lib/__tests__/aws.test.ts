import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  AWS_HTTP_TIMEOUTS,
  awsCall,
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

/**
 * awsCall with the real SDK client failing for real (no mock): no region, no credentials, nothing
 * listening at the endpoint. The environment the SDK reads is set per test and restored.
 */
describe('awsCall: the final error names the operation and the fix', () => {
  const SDK_ENV = [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_ENDPOINT_URL_ECR',
  ];
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(SDK_ENV.map((k) => [k, process.env[k]]));
    for (const k of SDK_ENV) delete process.env[k];
    // nothing from this machine's ~/.aws or an instance role
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const token = (region?: string) =>
    awsCall(() => new ECRClient(awsClientConfig(region)).send(new GetAuthorizationTokenCommand({})), {
      operation: 'ECR GetAuthorizationToken',
      permission: 'ecr:GetAuthorizationToken',
      maxAttempts: 3,
      sleep: async () => undefined,
      log: () => undefined,
    });

  test('when no region is set anywhere, then the error names the input and AWS_REGION', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-secret';
    await expect(token()).rejects.toThrow(
      "ECR GetAuthorizationToken: no AWS region is set. Set the 'region' input, or AWS_REGION in the job's environment (aws-actions/configure-aws-credentials sets it).",
    );
  });

  test('when no credentials are found, then the error names the ways to give them', async () => {
    await expect(token('eu-west-1')).rejects.toThrow(
      /^ECR GetAuthorizationToken: no AWS credentials were found \(Could not load credentials from any providers\)\. Configure them in a step before this one: aws-actions\/configure-aws-credentials with role-to-assume \(the job needs permissions: id-token: write\), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from secrets\.$/,
    );
  });

  test('when nothing listens at the endpoint, then after the retries the error names the operation', async () => {
    // What the SDK throws in a plain node process for a refused connection (inside jest's VM it wraps the
    // error, so the bundle-level test in action-tests/ecr-push.test.ts covers the real one end to end).
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        errno: -111,
        code: 'ECONNREFUSED',
        syscall: 'connect',
        address: '127.0.0.1',
        port: 9,
        $metadata: { attempts: 1, totalRetryDelay: 0 },
      });
    const lines: string[] = [];
    const failure = awsCall(() => Promise.reject(refused()), {
      operation: 'SSM SendCommand (wave 1/2)',
      permission: 'ssm:SendCommand',
      maxAttempts: 3,
      sleep: async () => undefined,
      log: (line) => lines.push(line),
    });
    await expect(failure).rejects.toThrow(
      'SSM SendCommand (wave 1/2) failed after 3 attempts: connect ECONNREFUSED 127.0.0.1:9',
    );
    await expect(failure).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(lines).toHaveLength(2);
  });

  test('when AWS answers with an error the caller handles, then its name is kept', async () => {
    const notFound = Object.assign(new Error('no such repository'), {
      name: 'RepositoryNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    const failure = awsCall(() => Promise.reject(notFound), {
      operation: 'ECR DescribeRepositories',
      permission: 'ecr:DescribeRepositories',
    });
    await expect(failure).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: 'ECR DescribeRepositories failed: no such repository',
      $metadata: { httpStatusCode: 400 },
      cause: notFound,
    });
  });
});
