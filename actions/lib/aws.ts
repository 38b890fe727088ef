/** Shared AWS SDK v3 conventions: one retry layer (ours), error classification, permission hints. */
import { InputError } from './inputs.js';
import { withRetry, type RetryOptions } from './retry.js';

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

/**
 * The SDK's own words when neither the client nor the environment gives a region, or when AWS_REGION
 * is set but empty (`AWS_REGION: ${{ vars.AWS_REGION }}` with the variable undefined).
 */
export function isRegionMissing(err: unknown): boolean {
  const message = (err as AwsErrorLike)?.message ?? '';
  return message === 'Region is missing' || message.startsWith('Region not accepted: region="" ');
}

/** The SDK's default credential chain found nothing (no variables, profile, web identity or instance role). */
export function isCredentialsMissing(err: unknown): boolean {
  const e = err as AwsErrorLike;
  return (
    e?.name === 'CredentialsProviderError' ||
    (e?.message ?? '').startsWith('Could not load credentials from any providers')
  );
}

/**
 * An AWS call's final error, named for the operation; `name`, `code` and `$metadata` stay the AWS
 * error's, so callers still tell RepositoryNotFoundException or ParameterNotFound apart.
 */
export class AwsCallError extends Error {
  readonly code?: string;
  readonly $metadata?: { httpStatusCode?: number };

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    const e = cause as AwsErrorLike & { code?: string };
    this.name = e?.name ?? 'Error';
    if (e?.code !== undefined) this.code = e.code;
    if (e?.$metadata !== undefined) this.$metadata = e.$metadata;
  }
}

/**
 * What to tell the workflow author once retries are over: the operation that failed (`ECR
 * GetAuthorizationToken`), how many attempts were made, and for the failures they fix themselves
 * (no region, no credentials, a missing IAM permission) what to set.
 */
export function awsFailure(err: unknown, operation: string, permission: string, attempts = 1): Error {
  if (isAccessDenied(err)) return explainAwsError(err, permission);
  const message = err instanceof Error ? err.message : String(err);
  if (isRegionMissing(err)) {
    return new AwsCallError(
      `${operation}: no AWS region is set. Set the 'region' input, or AWS_REGION in the job's environment ` +
        '(aws-actions/configure-aws-credentials sets it).',
      err,
    );
  }
  if (isCredentialsMissing(err)) {
    return new AwsCallError(
      `${operation}: no AWS credentials were found (${message}). Configure them in a step before this one: ` +
        'aws-actions/configure-aws-credentials with role-to-assume (the job needs permissions: id-token: write), ' +
        'or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from secrets.',
      err,
    );
  }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new AwsCallError(`${operation} failed${tries}: ${message}`, err);
}

export interface AwsCallOptions extends Omit<RetryOptions, 'label'> {
  /** The operation as the retry lines and the final error name it, e.g. "ECR GetAuthorizationToken". */
  operation: string;
  /** The IAM action it needs, e.g. "ecr:GetAuthorizationToken". */
  permission: string;
}

/** One AWS request through the shared retry helper, ending, when it fails for good, in `awsFailure`. */
export async function awsCall<T>(op: () => Promise<T>, options: AwsCallOptions): Promise<T> {
  const { operation, permission, ...retry } = options;
  let attempts = 0;
  try {
    return await withRetry(
      () => {
        attempts++;
        return op();
      },
      { ...retry, retryable: retry.retryable ?? isRetryableAwsError, label: operation },
    );
  } catch (err) {
    throw awsFailure(err, operation, permission, attempts);
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Checks a region input (empty means "from the environment"), naming the input when it is malformed. */
export function checkRegion(input: string, value: string): string | undefined {
  if (value && !REGION.test(value)) {
    throw new InputError(input, `expected an AWS region such as eu-west-1 or us-gov-west-1, got '${value}'.`);
  }
  return value || undefined;
}
