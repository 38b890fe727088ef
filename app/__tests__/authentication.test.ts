import { describe, expect, test } from '@jest/globals';
import { bearer, claims, expectAudit, expectProblem, handMadeJwt } from './helpers/api.js';
import { backends, cast, JWT_SECRET } from './helpers/harness.js';

describe.each(await backends())('authentication on %s', (backend) => {
  const { h, admin } = cast(backend, { admin: 'admin' });

  describe('signing in', () => {
    test('when the login body is wrong, then 400 names the fields', async () => {
      const res = await h
        .http()
        .post('/auth/login')
        .send({ email: 'not-an-email', password: 5, remember: true });
      expect((expectProblem(res, 400).errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'body.email',
        'body.password',
        'body.remember',
      ]);
    });
  });

  describe('access tokens', () => {
    test.each([
      ['no Authorization header', () => ({}), 'Send an access token'],
      ['a non-Bearer scheme', () => ({ Authorization: 'Basic YTpi' }), "must be 'Bearer <token>'"],
      ['alg none', () => bearer(handMadeJwt({ alg: 'none', typ: 'JWT' }, claims(1), null)), 'HS256'],
      [
        'an HS512 token signed with the right secret',
        () => bearer(handMadeJwt({ alg: 'HS512', typ: 'JWT' }, claims(1), JWT_SECRET, 'sha512')),
        'HS256',
      ],
      [
        'a forged signature',
        () =>
          bearer(
            handMadeJwt({ alg: 'HS256', typ: 'JWT' }, claims(1), 'not-the-secret-of-this-service-at-all'),
          ),
        'signature',
      ],
      [
        'an expired token',
        () =>
          bearer(
            handMadeJwt(
              { alg: 'HS256', typ: 'JWT' },
              claims(1, { iat: 1_000_000, exp: 1_000_600 }),
              JWT_SECRET,
            ),
          ),
        'expired',
      ],
      [
        'a wrong audience',
        () => bearer(handMadeJwt({ alg: 'HS256', typ: 'JWT' }, claims(1, { aud: 'other-api' }), JWT_SECRET)),
        "'aud'",
      ],
      ['garbage', () => bearer('abc.def.ghi'), 'malformed'],
    ])(
      'when the request carries %s, then 401 problem and a denied audit event',
      async (_label, headers, detail) => {
        const res = await h.http().get('/cases').set(headers());
        const body = expectProblem(res, 401);
        expect(body.detail).toContain(detail);
        expect(res.headers['www-authenticate']).toBe('Bearer');
        await expectAudit(h, res, 'case.list', 'denied', null);
      },
    );

    test('when a hand-made HS256 token is valid, then it is accepted (the hand-made tokens above are well-formed)', async () => {
      // The session it names: the family of the admin's refresh tokens, read from the table.
      const session = await h.db.one<{ family: string }>(
        'SELECT family FROM refresh_tokens WHERE user_id = :id AND revoked_at IS NULL',
        { id: admin.id },
      );
      const res = await h
        .http()
        .get('/users/me')
        .set(
          bearer(
            handMadeJwt({ alg: 'HS256', typ: 'JWT' }, claims(admin.id, { sid: session!.family }), JWT_SECRET),
          ),
        );
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(admin.id);
      // the scheme is case-insensitive (RFC 9110)
      expect((await h.http().get('/users/me').set('Authorization', `bearer ${admin.token}`)).status).toBe(
        200,
      );
    });
  });

  describe('deactivated users', () => {
    test('when a user is deactivated, then their still-unexpired token, refresh token and password all stop working', async () => {
      const victim = await h.createUser('paralegal');
      expect((await h.http().get('/users/me').set(bearer(victim.token))).status).toBe(200);
      const off = await h
        .http()
        .patch(`/users/${victim.id}`)
        .set(bearer(admin.token))
        .send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const me = await h.http().get('/users/me').set(bearer(victim.token));
      expect(expectProblem(me, 401).detail).toContain('deactivated');
      await expectAudit(h, me, 'user.read', 'denied', null);
      expectProblem(await h.http().post('/auth/refresh').send({ refreshToken: victim.refreshToken }), 401);
      expectProblem(
        await h.http().post('/auth/login').send({ email: victim.email, password: victim.password }),
        401,
      );
      await h.http().patch(`/users/${victim.id}`).set(bearer(admin.token)).send({ active: true });
      expect(
        (await h.http().post('/auth/login').send({ email: victim.email, password: victim.password })).status,
      ).toBe(200);
    });
  });
});
