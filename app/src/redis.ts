import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/**
 * A Redis client that never makes a request wait for Redis: no offline queue (a command sent while
 * disconnected fails at once), no resending after a reconnect, and connect and command timeouts of
 * REDIS_TIMEOUT_MS. It reconnects in the background, every 2 s at most, for as long as the service runs.
 */
export function createRedis(config: NonNullable<Config['redis']>): Redis {
  return new Redis(config.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: config.timeoutMs,
    commandTimeout: config.timeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/**
 * Follows the connection of a Redis client: logs once when it is lost (with the first error) and once when it
 * is back, however many reconnection attempts fail in between, and adds up the time spent without it (the
 * rate limiters then count per instance, in memory).
 */
export class RedisMonitor {
  /** undefined until the first connection attempt has succeeded or failed. */
  private up: boolean | undefined;
  private downSince: number | undefined;
  private downMs = 0;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (redis.status === 'ready') this.up = true;
    redis.on('ready', () => this.connected());
    redis.on('error', (err: Error) => this.lost(err.message));
    redis.on('close', () => this.lost('connection closed'));
  }

  get isUp(): boolean {
    return this.up === true;
  }

  /** Seconds spent without Redis since the start, the current outage included. */
  degradedSeconds(): number {
    const current = this.downSince === undefined ? 0 : this.now() - this.downSince;
    return (this.downMs + current) / 1000;
  }

  /** Stops logging: the service is closing the connection itself. */
  stop(): void {
    this.stopped = true;
  }

  private connected(): void {
    if (this.stopped || this.up === true) return;
    if (this.downSince !== undefined) {
      const outageMs = this.now() - this.downSince;
      this.downMs += outageMs;
      this.downSince = undefined;
      this.logger.info(
        { outageSeconds: Math.round(outageMs / 100) / 10 },
        'redis is reachable again: rate limits are shared by every instance again',
      );
    } else {
      this.logger.info('redis connected: rate limits are shared by every instance');
    }
    this.up = true;
  }

  private lost(reason: string): void {
    if (this.stopped || this.up === false) return;
    this.up = false;
    this.downSince = this.now();
    this.logger.warn(
      { err: reason },
      'redis is unreachable: rate limits are kept in memory by this instance until it is back',
    );
  }
}
