import { describe, expect, test } from '@jest/globals';
import {
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

test('the SDK retry layer is switched off so withRetry is the only one', () => {
  expect(awsClientConfig('eu-west-1')).toEqual({ region: 'eu-west-1', maxAttempts: 1 });
  expect(awsClientConfig(undefined)).toEqual({ maxAttempts: 1 });
});
