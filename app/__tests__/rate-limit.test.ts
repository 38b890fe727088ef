import { afterAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loginDelaySeconds } from '../src/components/auth/rate-limit.js';
import { createRedis } from '../src/redis.js';
import { backends, startHarness, type Harness } from './helpers/harness.js';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Addresses from documentation ranges (RFC 5737), sent through a proxy the service trusts (TRUST_PROXY). */
const FROM_A = { 'X-Forwarded-For': '203.0.113.10' };
const FROM_B = { 'X-Forwarded-For': '198.51.100.20' };
const FROM_C = { 'X-Forwarded-For': '192.0.2.30' };

async function start(backend: 'sqlite' | 'postgres', env: Record<string, string>): Promise<Harness> {
  const h = await startHarness(backend, { TRUST_PROXY: 'true', ...env });
  harnesses.push(h);
  return h;
}
const login = (h: Harness, from: Record<string, string>, email: string, password: string) =>
  h.http().post('/auth/login').set(from).send({ email, password });
const reasonOf = async (h: Harness, res: request.Response) =>
  JSON.parse(String((await h.auditOf(res.headers['x-request-id'] as string))[0]!.details)) as {
    reason?: string;
  };

describe('progressive login delays (pure)', () => {
  test.each([
    [0, 3, 900, 0],
    [3, 3, 900, 0],
    [4, 3, 900, 1],
    [5, 3, 900, 2],
    [6, 3, 900, 4],
    [13, 3, 900, 512],
    [14, 3, 900, 900],
    [1000, 3, 900, 900],
    [1, 0, 60, 1],
  ])(
    'when %i wrong passwords follow %i free ones (max %i s), then the wait is %i s',
    (n, free, max, want) => {
      expect(loginDelaySeconds(n, free, max)).toBe(want);
    },
  );
});

describe.each(await backends())('login protection on %s', (backend) => {
  test('when one address keeps guessing an account, then it must wait 1 s, 2 s, ... while other addresses are not slowed', async () => {
    const h = await start(backend, { LOGIN_FREE_FAILURES: '2' });
    const u = await h.createUser('client');
    for (let i = 0; i < 3; i += 1)
      expect((await login(h, FROM_A, u.email, 'wrong-password')).status).toBe(401);
    // the third wrong password in a row started a wait of 1 s: even the right one is refused, unchecked
    const waiting = await login(h, FROM_A, u.email, u.password);
    expect(waiting.status).toBe(429);
    expect(waiting.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(waiting.headers['retry-after']).toBe('1');
    expect(waiting.body.detail).toBe(
      'Too many wrong passwords for this account from this address; retry in 1 s.',
    );
    const rows = await h.auditOf(waiting.headers['x-request-id'] as string);
    expect(rows[0]).toMatchObject({
      action: 'auth.login',
      outcome: 'denied',
      status: 429,
      ip: '203.0.113.10',
    });
    expect(await reasonOf(h, waiting)).toMatchObject({ reason: 'login-delay' });
    // the account's owner, elsewhere, signs in at once
    expect((await login(h, FROM_B, u.email, u.password)).status).toBe(200);
    // the next wrong password from A doubles the wait
    await sleep(1100);
    expect((await login(h, FROM_A, u.email, 'wrong-password')).status).toBe(401);
    const longer = await login(h, FROM_A, u.email, u.password);
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
    // once the wait is over the right password works, and the streak starts again from nothing
    await sleep(2100);
    expect((await login(h, FROM_A, u.email, u.password)).status).toBe(200);
    expect((await login(h, FROM_A, u.email, 'wrong-password')).status).toBe(401);
    expect((await login(h, FROM_A, u.email, u.password)).status).toBe(200);
  }, 30_000);

  test('when an unknown e-mail is guessed, then the answers are those of a known account', async () => {
    const h = await start(backend, { LOGIN_FREE_FAILURES: '1' });
    const u = await h.createUser('client');
    const ghost = `nobody-${randomBytes(3).toString('hex')}@test.legal`;
    for (const email of [u.email, ghost]) {
      expect((await login(h, FROM_C, email, 'wrong-password')).status).toBe(401);
      expect((await login(h, FROM_C, email, 'wrong-password')).status).toBe(401);
      const res = await login(h, FROM_C, email, 'wrong-password');
      expect(res.status).toBe(429);
      expect(res.body.detail).toBe(
        'Too many wrong passwords for this account from this address; retry in 1 s.',
      );
    }
  });

  test('when LOGIN_MAX_FAILURES wrong passwords come from anywhere, then the account locks for new addresses only', async () => {
    const h = await start(backend, { LOGIN_MAX_FAILURES: '4' });
    const u = await h.createUser('client');
    expect((await login(h, FROM_A, u.email, u.password)).status).toBe(200); // A is now known to the account
    for (let i = 0; i < 4; i += 1)
      expect((await login(h, FROM_B, u.email, 'wrong-password')).status).toBe(401);
    const row = await h.db.one<{ failed_logins: unknown; locked_until: unknown }>(
      'SELECT failed_logins, locked_until FROM users WHERE id = :id',
      { id: u.id },
    );
    expect(Number(row?.failed_logins)).toBe(4);
    expect(row?.locked_until).not.toBeNull();
    // a new address is refused even with the right password, and the refusal says why in the audit trail
    const locked = await login(h, FROM_C, u.email, u.password);
    expect(locked.status).toBe(401);
    expect(await reasonOf(h, locked)).toMatchObject({ reason: 'locked' });
    // the owner, from an address they signed in from, is not locked out; signing in lifts the lock
    expect((await login(h, FROM_A, u.email, u.password)).status).toBe(200);
    expect((await login(h, FROM_C, u.email, u.password)).status).toBe(200);
  });

  test('when an administrator reactivates a locked account, then it signs in from anywhere again', async () => {
    const h = await start(backend, { LOGIN_MAX_FAILURES: '2' });
    const admin = await h.createUser('admin');
    const u = await h.createUser('client');
    for (let i = 0; i < 2; i += 1)
      expect((await login(h, FROM_B, u.email, 'wrong-password')).status).toBe(401);
    expect((await login(h, FROM_C, u.email, u.password)).status).toBe(401);
    await h
      .http()
      .patch(`/users/${u.id}`)
      .set({ Authorization: `Bearer ${admin.token}` })
      .send({ active: true });
    expect((await login(h, FROM_C, u.email, u.password)).status).toBe(200);
  });

  test('when one address exceeds RATE_LIMIT_LOGIN_PER_IP, then it is limited whatever the e-mail', async () => {
    const h = await start(backend, { RATE_LIMIT_LOGIN_PER_IP: '4' });
    for (let i = 0; i < 4; i += 1)
      expect((await login(h, FROM_A, `x${i}@test.legal`, 'whatever')).status).toBe(401);
    const limited = await login(h, FROM_A, 'fresh@test.legal', 'whatever');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.detail).toMatch(/^Too many login attempts from this address; retry in \d+ s\.$/);
    expect((await login(h, FROM_B, 'fresh@test.legal', 'whatever')).status).toBe(401);
  });

  test('when a user exceeds RATE_LIMIT_USER_PER_MINUTE, then 429 with Retry-After, audited; other users go on', async () => {
    const h = await start(backend, { RATE_LIMIT_USER_PER_MINUTE: '5' });
    const u = await h.createUser('client');
    const other = await h.createUser('client');
    const me = (token: string) =>
      h
        .http()
        .get('/users/me')
        .set({ Authorization: `Bearer ${token}` });
    for (let i = 0; i < 5; i += 1) expect((await me(u.token)).status).toBe(200);
    const limited = await me(u.token);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    const seconds = Number(limited.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(limited.body.detail).toBe(
      `Too many requests for this user (at most 5 a minute); retry in ${seconds} s.`,
    );
    const rows = await h.auditOf(limited.headers['x-request-id'] as string);
    expect(rows[0]).toMatchObject({ action: 'user.read', outcome: 'denied', status: 429, actor_id: u.id });
    expect((await me(other.token)).status).toBe(200);
  });
});

describe('rate limits in Redis', () => {
  (haveRedis ? test : test.skip)('when REDIS_URL is set, then two instances share one budget', async () => {
    const prefix = `legal-test-${randomBytes(4).toString('hex')}`;
    const h = await start('sqlite', {
      RATE_LIMIT_LOGIN_PER_IP: '3',
      RATE_LIMIT_USER_PER_MINUTE: '3',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: prefix,
    });
    const u = await h.createUser('client');
    const mk = () => {
      const r = createRedis(h.config.redis!);
      redises.push(r);
      return createApp({ config: h.config, db: h.database, logger: h.services.logger, redis: r });
    };
    const a = mk();
    const b = mk();
    await Promise.all(redises.map((r) => new Promise((resolve) => r.once('ready', resolve))));
    const attempt = (app: typeof a, email: string) =>
      request(app).post('/auth/login').set(FROM_A).send({ email, password: 'whatever' });
    expect((await attempt(a, 'a@test.legal')).status).toBe(401);
    expect((await attempt(b, 'b@test.legal')).status).toBe(401);
    expect((await attempt(a, 'c@test.legal')).status).toBe(401);
    expect((await attempt(b, 'd@test.legal')).status).toBe(429);
    const me = (app: typeof a) =>
      request(app)
        .get('/users/me')
        .set({ Authorization: `Bearer ${u.token}` });
    expect([(await me(a)).status, (await me(b)).status, (await me(a)).status, (await me(b)).status]).toEqual([
      200, 200, 200, 429,
    ]);
    const keys = await redises[0]!.keys(`${prefix}:*`);
    expect(keys.some((k) => k.startsWith(`${prefix}:login:ip`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:requests:user`))).toBe(true);
    await redises[0]!.del(...keys);
  });

  test('when REDIS_URL points at a dead server, then logins answer at once and are limited in memory', async () => {
    const h = await start('sqlite', { RATE_LIMIT_LOGIN_PER_IP: '3' });
    const config = { ...h.config, redis: { url: 'redis://127.0.0.1:1', keyPrefix: 'dead', timeoutMs: 500 } };
    const dead = createRedis(config.redis);
    redises.push(dead);
    const app = createApp({ config, db: h.database, logger: h.services.logger, redis: dead });
    const u = await h.createUser('client');
    const started = performance.now();
    const ok = await request(app)
      .post('/auth/login')
      .set(FROM_A)
      .send({ email: u.email, password: u.password });
    expect(ok.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    for (let i = 0; i < 2; i += 1)
      await request(app).post('/auth/login').set(FROM_A).send({ email: u.email, password: 'wrong-password' });
    expect(
      (await request(app).post('/auth/login').set(FROM_A).send({ email: u.email, password: u.password }))
        .status,
    ).toBe(429);
  });
});
