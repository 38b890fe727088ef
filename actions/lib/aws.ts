/** Shared AWS SDK v3 conventions: one retry layer (ours), error classification, permission hints. */
import { InputError } from './inputs.js';

interface AwsErrorLike {
  name?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'SlowDown',
]);
const TRANSIENT = new Set([
  'ServiceUnavailable',
  'InternalServerError',
  'InternalFailure',
  'RequestTimeout',
  'TimeoutError',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** The SDK sets no socket timeouts by default: a stalled connection would hang the step until the job dies. */
export const AWS_HTTP_TIMEOUTS = {
  connectionTimeout: 5_000,
  requestTimeout: 60_000,
  throwOnRequestTimeout: true,
} as const;

export interface AwsClientConfig {
  region?: string;
  maxAttempts: number;
  requestHandler: typeof AWS_HTTP_TIMEOUTS;
}

/**
 * Client settings: the SDK's own retries are switched off (maxAttempts 1) so that `withRetry` is the
 * only retry layer and every retry is logged with its label; connections and requests time out (and are
 * retried as transient). Endpoints come from the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export function awsClientConfig(region: string | undefined): AwsClientConfig {
  const base = { maxAttempts: 1, requestHandler: AWS_HTTP_TIMEOUTS };
  return region ? { region, ...base } : base;
}

export function isThrottling(err: unknown): boolean {
  return THROTTLING.has((err as AwsErrorLike)?.name ?? '');
}

export function isAccessDenied(err: unknown): boolean {
  return ACCESS_DENIED.has((err as AwsErrorLike)?.name ?? '');
}

/** Throttling, 5xx and dropped connections are worth retrying; client errors are not. */
export function isRetryableAwsError(err: unknown): boolean {
  const e = err as AwsErrorLike & { code?: string };
  if (isThrottling(err) || TRANSIENT.has(e?.name ?? '')) return true;
  if (NETWORK_CODES.has(e?.code ?? '')) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || status === 429;
}

/** Rewrites an access-denied error so it names the IAM permission the role is missing. */
export function explainAwsError(err: unknown, permission: string): Error {
  const e = err as AwsErrorLike;
  if (isAccessDenied(err)) {
    return new Error(
      `AWS refused ${permission} (${e.name}): the role used by this job needs the IAM permission '${permission}'. ${e.message ?? ''}`.trim(),
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Checks a region input (empty means "from the environment"), naming the input when it is malformed. */
export function checkRegion(input: string, value: string): string | undefined {
  if (value && !REGION.test(value)) {
    throw new InputError(input, `expected an AWS region such as eu-west-1 or us-gov-west-1, got '${value}'.`);
  }
  return value || undefined;
}
