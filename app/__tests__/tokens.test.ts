import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { decodeJwt, SignJWT } from 'jose';
import { AccessTokens } from '../src/components/auth/tokens.js';

const SESSION = '3f0c5a52-8f6e-4d7a-9c1b-2e4d6f8a0b1c';
const OTHER_SESSION = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const config = {
  secret: 's'.repeat(40),
  issuer: 'legal-service',
  audience: 'legal-api',
  accessTtlSeconds: 60,
  refreshTtlSeconds: 3600,
};

describe('access tokens', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('when a verified token is presented again after it expired, then it is refused as expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const tokens = new AccessTokens(config);
    const { token } = await tokens.issue(7, 'attorney', SESSION);
    expect(await tokens.verify(token)).toEqual({ userId: 7, sessionId: SESSION });
    expect(await tokens.verify(token)).toEqual({ userId: 7, sessionId: SESSION });
    expect(decodeJwt(token).exp).toBe(Date.parse('2026-11-29T12:01:00Z') / 1000);
    jest.setSystemTime(new Date('2026-11-29T12:01:00.500Z'));
    await expect(tokens.verify(token)).rejects.toThrow('The access token has expired');
  });

  test('when a verified token comes again, then its signature is not checked again', async () => {
    class Counting extends AccessTokens {
      checks = 0;
      protected override async verifySignature(token: string) {
        this.checks += 1;
        return super.verifySignature(token);
      }
    }
    const tokens = new Counting(config);
    const first = (await tokens.issue(7, 'attorney', SESSION)).token;
    const second = (await tokens.issue(8, 'client', OTHER_SESSION)).token;
    for (let i = 0; i < 3; i += 1) {
      expect(await tokens.verify(first)).toEqual({ userId: 7, sessionId: SESSION });
      expect(await tokens.verify(second)).toEqual({ userId: 8, sessionId: OTHER_SESSION });
    }
    expect(tokens.checks).toBe(2);
  });

  test('when a token differs from a verified one only in its signature, then it is still refused', async () => {
    const tokens = new AccessTokens(config);
    const { token } = await tokens.issue(7, 'attorney', SESSION);
    await tokens.verify(token);
    const [header, payload] = token.split('.');
    const forged = await new SignJWT(decodeJwt(token))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('another secret of at least 32 chars!!'));
    expect(forged.startsWith(`${header}.${payload}.`)).toBe(true);
    await expect(tokens.verify(forged)).rejects.toThrow('The access token signature is not valid.');
    expect(await tokens.verify(token)).toEqual({ userId: 7, sessionId: SESSION });
  });

  test('when a token carries no session id, or one that is not a UUID, then it is refused', async () => {
    const tokens = new AccessTokens(config);
    const key = new TextEncoder().encode(config.secret);
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject('7')
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(key);
    for (const claims of [{}, { sid: 'not-a-session' }, { sid: 42 }]) {
      await expect(tokens.verify(await signed(claims))).rejects.toThrow(
        'The access token names no session; log in again.',
      );
    }
    expect(await tokens.verify(await signed({ sid: SESSION }))).toEqual({ userId: 7, sessionId: SESSION });
  });
});
