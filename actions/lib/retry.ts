/**
 * Retry with exponential backoff and full jitter (sleep = random(0, min(cap, base * 2^attempt))), as
 * recommended by AWS's "Exponential Backoff And Jitter". Every retry logs one labelled line.
 */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** Names the operation on every retry line, e.g. "ECR GetAuthorizationToken". */
  label: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Decides whether an error is worth another attempt; defaults to "always". */
  retryable?: (err: unknown) => boolean;
  sleep?: Sleep;
  random?: () => number;
  log?: (line: string) => void;
}

/**
 * fetch's own failures — refused or reset connections, DNS, TLS, a timeout signal — as opposed to an answer
 * (an HTTP status) or a bug in the caller. Node's fetch reports them as `TypeError: fetch failed` before the
 * response, and as `TypeError: terminated` when the connection drops while the body is read.
 */
export function isNetworkFailure(err: unknown): boolean {
  // By name, not instanceof: the error comes from fetch's realm, which need not be the caller's.
  const { name, message } = (err ?? {}) as { name?: unknown; message?: unknown };
  return (
    name === 'TimeoutError' ||
    (name === 'TypeError' && (message === 'fetch failed' || message === 'terminated'))
  );
}

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const {
    label,
    maxAttempts = 5,
    baseDelayMs = 500,
    maxDelayMs = 20_000,
    retryable = () => true,
    sleep = realSleep,
    random = Math.random,
    log = (line: string) => process.stdout.write(`${line}\n`),
  } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (err) {
      if (attempt >= maxAttempts || !retryable(err)) throw err;
      const delay = backoffDelay(attempt - 1, baseDelayMs, maxDelayMs, random);
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      log(`[retry] ${label}: attempt ${attempt}/${maxAttempts} failed (${reason}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}
