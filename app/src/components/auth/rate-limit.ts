import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

/**
 * Login attempts limited per client IP and per e-mail address. With Redis the counters are shared by
 * every instance of the service; without it they live in this process.
 */
export class LoginRateLimiter {
  private readonly perIp: RateLimiterAbstract;
  private readonly perEmail: RateLimiterAbstract;

  constructor(config: Config['login'], redis: Redis | undefined, keyPrefix: string) {
    const make = (name: string, points: number) =>
      redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `${keyPrefix}:login:${name}`,
            points,
            duration: config.windowSeconds,
            // While Redis is unreachable this process keeps limiting on its own instead of failing logins.
            insuranceLimiter: new RateLimiterMemory({
              keyPrefix: `login:${name}`,
              points,
              duration: config.windowSeconds,
            }),
          })
        : new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration: config.windowSeconds });
    this.perIp = make('ip', config.perIp);
    this.perEmail = make('email', config.perEmail);
  }

  /** Consumes one attempt for the IP and one for the e-mail; throws 429 with Retry-After when either is spent. */
  async consume(ip: string, email: string): Promise<void> {
    for (const [limiter, key, what] of [
      [this.perIp, ip, 'this address'],
      [this.perEmail, email.toLowerCase(), 'this account'],
    ] as const) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
          throw new AppError(
            429,
            'Too Many Requests',
            `Too many login attempts for ${what}; retry in ${seconds} s.`,
            undefined,
            {
              'Retry-After': String(seconds),
            },
          );
        }
        throw err;
      }
    }
  }
}
