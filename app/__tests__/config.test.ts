import { describe, expect, test } from '@jest/globals';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';

const secret = 'x'.repeat(40);

describe('configuration', () => {
  test('when nothing is set, then the defaults are SQLite under ./data, port 3000 and a safe argon2 cost', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ dialect: 'sqlite', storage: path.resolve('data', 'legal.sqlite') });
    expect(config.argon2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(config.demoData).toBe(true);
    expect(config.redis).toBeUndefined();
    expect(config.bodyLimit).toBe('100kb');
    // the defaults app/README.md documents for failing dependencies and sign-in protection
    expect(config.connectAttempts).toBe(10);
    expect(config.minFreeBytes).toBe(64 * 1024 * 1024);
    expect(config.login).toEqual({
      freeFailures: 3,
      maxDelaySeconds: 900,
      maxFailures: 50,
      lockoutSeconds: 900,
      perIp: 50,
      windowSeconds: 900,
    });
    expect(config.userRequestsPerMinute).toBe(600);
    expect(loadConfig({ REDIS_URL: 'redis://r:6379' }).redis).toEqual({
      url: 'redis://r:6379',
      keyPrefix: 'legal-service',
      timeoutMs: 500,
    });
  });

  test('when DATABASE_URL is set, then PostgreSQL is used with the pool from the environment', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/x',
      DATABASE_POOL_MAX: '20',
      DATABASE_POOL_ACQUIRE_MS: '3000',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
    });
    expect(config.database).toMatchObject({
      dialect: 'postgres',
      url: 'postgres://u@db/x',
      pool: { max: 20, min: 0, acquireMs: 3000, idleMs: 10000 },
      statementTimeoutMs: 0,
    });
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT:', "got 'eighty'"],
    [{ PORT: '70000' }, 'PORT:', "got '70000'"],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV:', 'production'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL:', "got 'loud'"],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL: expected a postgres:// or postgresql:// URL',
      "got 'mysql://x'",
    ],
    [{ DATABASE_SCHEMA: 'Bad-Name' }, 'DATABASE_SCHEMA: expected a lower-case SQL identifier', ''],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX:', "got '0'"],
    [
      { DATABASE_POOL_MIN: '5', DATABASE_POOL_MAX: '2' },
      'DATABASE_POOL_MIN: expected at most DATABASE_POOL_MAX (2)',
      '',
    ],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET: expected at least 32 characters', 'got a value that does not fit'],
    [{ ARGON2_MEMORY_KIB: '8' }, 'ARGON2_MEMORY_KIB:', "got '8'"],
    [{ ARGON2_TIME_COST: '1' }, 'ARGON2_TIME_COST:', "got '1'"],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL: expected a redis:// or rediss:// URL', ''],
    [{ REDIS_TIMEOUT_MS: '5' }, 'REDIS_TIMEOUT_MS: Too small: expected number to be >=10', "got '5'"],
    [
      { DATABASE_CONNECT_ATTEMPTS: '0' },
      'DATABASE_CONNECT_ATTEMPTS: Too small: expected number to be >=1',
      "got '0'",
    ],
    [
      { DATA_DIR_MIN_FREE_MB: '-1' },
      'DATA_DIR_MIN_FREE_MB: Too small: expected number to be >=0',
      "got '-1'",
    ],
    [{ LOGIN_FREE_FAILURES: 'three' }, 'LOGIN_FREE_FAILURES:', "got 'three'"],
    [
      { LOGIN_MAX_DELAY_SECONDS: '0' },
      'LOGIN_MAX_DELAY_SECONDS: Too small: expected number to be >=1',
      "got '0'",
    ],
    [{ RATE_LIMIT_USER_PER_MINUTE: '1.5' }, 'RATE_LIMIT_USER_PER_MINUTE:', "got '1.5'"],
    [{ BODY_LIMIT: 'huge' }, "BODY_LIMIT: expected a size such as '100kb' or '1mb'", ''],
    [{ ADMIN_EMAIL: 'not-mail', ADMIN_PASSWORD: 'long-enough-password' }, 'ADMIN_EMAIL:', ''],
    [{ ADMIN_EMAIL: 'a@b.legal' }, 'ADMIN_PASSWORD: required when ADMIN_EMAIL is set', ''],
    [
      { ADMIN_EMAIL: 'a@b.legal', ADMIN_PASSWORD: 'short' },
      'ADMIN_PASSWORD: expected at least 12 characters',
      '',
    ],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA:', "got 'maybe'"],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET: required when NODE_ENV=production', ''],
    [{ JWT_SECRET_FILE: '/nonexistent/secret' }, "JWT_SECRET_FILE: cannot read '/nonexistent/secret'", ''],
  ])('when the environment is %j, then loading fails naming the variable', (env, message, got) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    if (got) expect(() => loadConfig(env)).toThrow(got);
  });

  test('when JWT_SECRET is a secret, then its value never appears in the error', () => {
    expect(() => loadConfig({ JWT_SECRET: 'my-short-secret' })).not.toThrow(/my-short-secret/);
  });

  test('when production has JWT_SECRET_FILE, then the secret comes from the file and demo data is off', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cfg-')), 'jwt');
    writeFileSync(file, `${secret}\n`);
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET_FILE: file });
    expect(config.jwt.secret).toBe(secret);
    expect(config.demoData).toBe(false);
  });

  test('when a variable is set but empty, then it counts as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.dialect).toBe('sqlite');
  });
});
