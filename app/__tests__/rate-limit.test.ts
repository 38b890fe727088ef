import { afterAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { startHarness, type Harness } from './helpers/harness.js';

async function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(6379, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
const haveRedis = await redisReachable();
if (!haveRedis && process.env.CI === 'true') throw new Error('Redis at 127.0.0.1:6379 is required in CI');
if (!haveRedis) console.warn('skipping the Redis rate-limit test: 127.0.0.1:6379 is not reachable');

const harnesses: Harness[] = [];
const redises: Redis[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
  for (const r of redises) r.disconnect();
});

describe('login rate limit', () => {
  test('when one e-mail exceeds RATE_LIMIT_LOGIN_PER_EMAIL, then 429 with Retry-After, audited as denied', async () => {
    const h = await startHarness('sqlite', {
      RATE_LIMIT_LOGIN_PER_EMAIL: '3',
      RATE_LIMIT_LOGIN_PER_IP: '100',
    });
    harnesses.push(h);
    const u = await h.createUser('client'); // one attempt spent by the harness login
    for (let i = 0; i < 2; i += 1)
      expect(
        (await h.http().post('/auth/login').send({ email: u.email, password: 'nope-nope' })).status,
      ).toBe(401);
    const limited = await h.http().post('/auth/login').send({ email: u.email, password: u.password });
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.detail).toContain('this account');
    const rows = await h.auditOf(limited.headers['x-request-id'] as string);
    expect(rows[0]).toMatchObject({ action: 'auth.login', outcome: 'denied', status: 429 });
    // another account from the same address is not affected
    const other = await h.createUser('client');
    expect(other.token).toBeTruthy();
  });

  test('when one address exceeds RATE_LIMIT_LOGIN_PER_IP, then it is limited whatever the e-mail', async () => {
    const h = await startHarness('sqlite', { RATE_LIMIT_LOGIN_PER_IP: '4' });
    harnesses.push(h);
    for (let i = 0; i < 4; i += 1)
      expect(
        (
          await h
            .http()
            .post('/auth/login')
            .send({ email: `x${i}@test.legal`, password: 'whatever' })
        ).status,
      ).toBe(401);
    const limited = await h
      .http()
      .post('/auth/login')
      .send({ email: 'fresh@test.legal', password: 'whatever' });
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toContain('this address');
  });

  (haveRedis ? test : test.skip)('when REDIS_URL is set, then two instances share one budget', async () => {
    const prefix = `legal-test-${randomBytes(4).toString('hex')}`;
    const h = await startHarness('sqlite', {
      RATE_LIMIT_LOGIN_PER_IP: '3',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: prefix,
    });
    harnesses.push(h);
    const mk = () => {
      const r = new Redis('redis://127.0.0.1:6379');
      redises.push(r);
      return createApp({ config: h.config, db: h.database, logger: h.services.logger, redis: r });
    };
    const a = mk();
    const b = mk();
    expect(
      (await request(a).post('/auth/login').send({ email: 'a@test.legal', password: 'whatever' })).status,
    ).toBe(401);
    expect(
      (await request(b).post('/auth/login').send({ email: 'b@test.legal', password: 'whatever' })).status,
    ).toBe(401);
    expect(
      (await request(a).post('/auth/login').send({ email: 'c@test.legal', password: 'whatever' })).status,
    ).toBe(401);
    expect(
      (await request(b).post('/auth/login').send({ email: 'd@test.legal', password: 'whatever' })).status,
    ).toBe(429);
    const keys = await redises[0]!.keys(`${prefix}:login:ip*`);
    expect(keys.length).toBeGreaterThan(0);
    await redises[0]!.del(...(await redises[0]!.keys(`${prefix}:*`)));
  });
});

describe('login rate limit without Redis', () => {
  test('when REDIS_URL points at a dead server, then logins still work and are limited in memory', async () => {
    const h = await startHarness('sqlite', { RATE_LIMIT_LOGIN_PER_IP: '3' });
    harnesses.push(h);
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    redises.push(dead);
    const app = createApp({
      config: { ...h.config, redis: { url: 'redis://127.0.0.1:1', keyPrefix: 'dead' } },
      db: h.database,
      logger: h.services.logger,
      redis: dead,
    });
    const u = await h.createUser('client');
    const ok = await request(app).post('/auth/login').send({ email: u.email, password: u.password });
    expect(ok.status).toBe(200);
    for (let i = 0; i < 2; i += 1)
      await request(app).post('/auth/login').send({ email: u.email, password: 'wrong-password' });
    expect(
      (await request(app).post('/auth/login').send({ email: u.email, password: u.password })).status,
    ).toBe(429);
  });
});
