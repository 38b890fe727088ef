import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

/** Makes one limiter: `points` per `durationSeconds` for each key. */
export type LimiterFactory = (name: string, points: number, durationSeconds: number) => RateLimiterAbstract;

/**
 * Limiters in Redis, shared by every instance of the service, or in this process without Redis. While Redis
 * is not connected (or a command fails or times out), each Redis limiter answers from an in-memory limiter
 * of its own (rate-limiter-flexible's insurance limiter): limits then hold per instance.
 */
export function limiterFactory(redis: Redis | undefined, keyPrefix: string): LimiterFactory {
  return (name, points, duration) => {
    const memory = new RateLimiterMemory({ keyPrefix: name, points, duration });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:${name}`,
      points,
      duration,
      // Not connected: straight to the insurance limiter, without waiting for a connection.
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
}

function tooManyRequests(detail: string, seconds: number, reason: string): AppError {
  const err = new AppError(429, 'Too Many Requests', detail, undefined, { 'Retry-After': String(seconds) });
  err.reason = reason;
  return err;
}

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Consumes one point; a spent budget becomes `onLimit(seconds until the next point)`. */
async function consume(
  limiter: RateLimiterAbstract,
  key: string | number,
  onLimit: (seconds: number) => AppError,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw onLimit(secondsOf(err.msBeforeNext));
    throw err;
  }
}

/**
 * How long an account must wait, from one address, after its `failures`-th wrong password in a row from that
 * address: nothing for the first `free` ones, then 1 s, 2 s, 4 s, ... up to `max` seconds.
 */
export function loginDelaySeconds(failures: number, free: number, max: number): number {
  if (failures <= free) return 0;
  return Math.min(2 ** Math.min(failures - free - 1, 30), max);
}

/** A streak of wrong passwords is forgotten a day after it began (or at the next right one). */
const STREAK_SECONDS = 86_400;
/**
 * An address an account signed in from stays known for 14 days after its last sign-in from there (the
 * in-memory store's expiry timers cannot exceed 24.8 days).
 */
const KNOWN_SECONDS = 14 * 86_400;

/**
 * Guessing passwords is slowed per account and address, so that nobody can lock another person out:
 * - every address has a budget of attempts per window, whatever the accounts (`RATE_LIMIT_LOGIN_PER_IP`);
 * - after `LOGIN_FREE_FAILURES` wrong passwords in a row for one account from one address, each further
 *   attempt from there must wait 1 s, 2 s, 4 s, ... up to `LOGIN_MAX_DELAY_SECONDS` (429 + Retry-After
 *   before then, without checking the password); other addresses are not slowed;
 * - an address becomes known to an account when it signs in from there: the account-wide lock after
 *   `LOGIN_MAX_FAILURES` wrong passwords (the users table) does not apply to its known addresses.
 * Unknown e-mail addresses are treated exactly like known ones, so the answers do not tell them apart.
 */
export class LoginProtection {
  private readonly perIp: RateLimiterAbstract;
  private readonly streaks: RateLimiterAbstract;
  private readonly delays: RateLimiterAbstract;
  private readonly known: RateLimiterAbstract;

  constructor(
    private readonly config: Config['login'],
    make: LimiterFactory,
  ) {
    this.perIp = make('login:ip', config.perIp, config.windowSeconds);
    this.streaks = make('login:streak', Number.MAX_SAFE_INTEGER, STREAK_SECONDS);
    // Only block() writes here: a key is blocked until its delay is over.
    this.delays = make('login:delay', 1, config.maxDelaySeconds);
    this.known = make('login:known', 1, KNOWN_SECONDS);
  }

  /** Before the password is looked at: the address's budget, then the account's delay for this address. */
  async admit(ip: string, email: string): Promise<void> {
    await consume(this.perIp, ip, (seconds) =>
      tooManyRequests(
        `Too many login attempts from this address; retry in ${seconds} s.`,
        seconds,
        'rate-limit',
      ),
    );
    const delay = await this.delays.get(accountAddress(ip, email));
    if (delay !== null && delay.consumedPoints > this.delays.points) {
      const seconds = secondsOf(delay.msBeforeNext);
      throw tooManyRequests(
        `Too many wrong passwords for this account from this address; retry in ${seconds} s.`,
        seconds,
        'login-delay',
      );
    }
  }

  /** A wrong password (or an unknown, locked or deactivated account): the next attempt may have to wait. */
  async failed(ip: string, email: string): Promise<void> {
    const key = accountAddress(ip, email);
    const streak = await this.streaks.consume(key);
    const seconds = loginDelaySeconds(
      streak.consumedPoints,
      this.config.freeFailures,
      this.config.maxDelaySeconds,
    );
    if (seconds > 0) await this.delays.block(key, seconds);
  }

  /** The right password: the streak ends and the address becomes known to the account. */
  async succeeded(ip: string, email: string): Promise<void> {
    const key = accountAddress(ip, email);
    await Promise.all([
      this.streaks.delete(key),
      this.delays.delete(key),
      this.known.set(key, 1, KNOWN_SECONDS),
    ]);
  }

  /** Whether the account signed in from this address in the last 14 days (as far as the store remembers). */
  async isKnownAddress(ip: string, email: string): Promise<boolean> {
    return (await this.known.get(accountAddress(ip, email))) !== null;
  }
}

function accountAddress(ip: string, email: string): string {
  return `${email.toLowerCase()}|${ip}`;
}

/** Requests per authenticated user and minute (`RATE_LIMIT_USER_PER_MINUTE`), on every authenticated route. */
export class UserRequestLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    private readonly perMinute: number,
    make: LimiterFactory,
  ) {
    this.limiter = make('requests:user', perMinute, 60);
  }

  async consume(userId: number): Promise<void> {
    await consume(this.limiter, userId, (seconds) =>
      tooManyRequests(
        `Too many requests for this user (at most ${this.perMinute} a minute); retry in ${seconds} s.`,
        seconds,
        'rate-limit',
      ),
    );
  }
}
