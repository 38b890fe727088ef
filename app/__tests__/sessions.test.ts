import { describe, expect, test } from '@jest/globals';
import { auditEvent, bearer, expectAudit, expectProblem } from './helpers/api.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('sessions on %s', (backend) => {
  const { h } = cast(backend, {});

  describe('refresh tokens', () => {
    test('when a refresh token is used, then it rotates; using the old one again revokes the whole family', async () => {
      const u = await h.createUser('client');
      const first = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body.refreshToken).not.toBe(u.refreshToken);
      expect((await h.http().get('/users/me').set(bearer(first.body.accessToken))).status).toBe(200);
      const reuse = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      expectProblem(reuse, 401);
      await expectAudit(h, reuse, 'auth.refresh', 'denied', u.id);
      expect(
        JSON.parse(String((await h.auditOf(reuse.headers['x-request-id'] as string))[0]!.details)),
      ).toEqual({ reason: 'reuse' });
      // the thief's rotated token is dead too
      expectProblem(
        await h.http().post('/auth/refresh').send({ refreshToken: first.body.refreshToken }),
        401,
      );
    });

    test('when logging out, then the refresh token no longer works', async () => {
      const u = await h.createUser('client');
      const out = await h.http().post('/auth/logout').send({ refreshToken: u.refreshToken });
      expect(out.status).toBe(204);
      await expectAudit(h, out, 'auth.logout', 'success', u.id);
      expectProblem(await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken }), 401);
    });
  });

  describe('an access token dies with its session', () => {
    test('when the user logs out, then the access token of that session is refused at once and another session goes on', async () => {
      const u = await h.createUser('paralegal');
      const other = await h.login(u.email, u.password);
      expect((await h.http().get('/users/me').set(bearer(u.token))).status).toBe(200);
      expect((await h.http().post('/auth/logout').send({ refreshToken: u.refreshToken })).status).toBe(204);

      const me = await h.http().get('/users/me').set(bearer(u.token));
      expect(expectProblem(me, 401).detail).toBe('The session of this access token has ended; log in again.');
      expect(me.headers['www-authenticate']).toBe('Bearer');
      expect(await auditEvent(h, me)).toMatchObject({
        action: 'user.read',
        outcome: 'denied',
        status: 401,
        details: { reason: 'session-ended' },
      });
      expect((await h.http().get('/users/me').set(bearer(other.token))).status).toBe(200);
    });

    test('when a spent refresh token is presented again, then every access token of its family is refused at once', async () => {
      const u = await h.createUser('attorney');
      const other = await h.login(u.email, u.password);
      const rotated = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      expect(rotated.status).toBe(200);
      const fresh = rotated.body.accessToken as string;
      expect((await h.http().get('/cases').set(bearer(fresh))).status).toBe(200);

      const reuse = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      expect(reuse.status).toBe(401);
      for (const token of [u.token, fresh])
        expectProblem(await h.http().get('/cases').set(bearer(token)), 401);
      // The family is revoked in the table; the user's other session is not.
      const open = await h.db.all(
        'SELECT DISTINCT family FROM refresh_tokens WHERE user_id = :id AND revoked_at IS NULL',
        { id: u.id },
      );
      expect(open).toHaveLength(1);
      expect((await h.http().get('/cases').set(bearer(other.token))).status).toBe(200);
    });
  });
});
