import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { decodeJwt, SignJWT } from 'jose';
import { AccessTokens } from '../src/components/auth/tokens.js';

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
    const { token } = await tokens.issue(7, 'attorney');
    expect(await tokens.verify(token)).toEqual({ userId: 7 });
    expect(await tokens.verify(token)).toEqual({ userId: 7 });
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
    const first = (await tokens.issue(7, 'attorney')).token;
    const second = (await tokens.issue(8, 'client')).token;
    for (let i = 0; i < 3; i += 1) {
      expect(await tokens.verify(first)).toEqual({ userId: 7 });
      expect(await tokens.verify(second)).toEqual({ userId: 8 });
    }
    expect(tokens.checks).toBe(2);
  });

  test('when a token differs from a verified one only in its signature, then it is still refused', async () => {
    const tokens = new AccessTokens(config);
    const { token } = await tokens.issue(7, 'attorney');
    await tokens.verify(token);
    const [header, payload] = token.split('.');
    const forged = await new SignJWT(decodeJwt(token))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('another secret of at least 32 chars!!'));
    expect(forged.startsWith(`${header}.${payload}.`)).toBe(true);
    await expect(tokens.verify(forged)).rejects.toThrow('The access token signature is not valid.');
    expect(await tokens.verify(token)).toEqual({ userId: 7 });
  });
});
