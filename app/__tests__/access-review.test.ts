import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { backends, startHarness, type Harness, type TestUser } from './helpers/harness.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function expectProblem(res: Response, status: number): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.any(String) });
  return res.body as Record<string, unknown>;
}

describe.each(await backends())('access control after the security review on %s', (backend) => {
  let h: Harness;
  let admin: TestUser, admin2: TestUser, attorney: TestUser, attorney2: TestUser;
  let paralegal: TestUser, client: TestUser;

  beforeAll(async () => {
    h = await startHarness(backend);
    admin = await h.createUser('admin');
    admin2 = await h.createUser('admin');
    attorney = await h.createUser('attorney');
    attorney2 = await h.createUser('attorney');
    paralegal = await h.createUser('paralegal');
    client = await h.createUser('client');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The one audit event of a request, read from the table, with its details parsed. */
  async function auditOf(res: Response) {
    const rows = await h.auditOf(res.headers['x-request-id'] as string);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    return { ...row, details: row.details === null ? null : JSON.parse(String(row.details)) };
  }
  /** A case of `attorney` with `client` as client and `paralegal` and `attorney2` as members. */
  async function newCase(title: string): Promise<{ id: number; number: string }> {
    const res = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title, clientName: 'Client Ltd', clientId: client.id });
    expect(res.status).toBe(201);
    for (const u of [paralegal, attorney2]) {
      const m = await h
        .http()
        .post(`/cases/${res.body.id}/members`)
        .set(bearer(attorney.token))
        .send({ userId: u.id });
      expect(m.status).toBe(201);
    }
    return res.body as { id: number; number: string };
  }
  const etagOf = async (id: number) =>
    (await h.http().get(`/cases/${id}`).set(bearer(admin.token))).headers.etag as string;
  const patchCase = async (who: TestUser, id: number, body: Record<string, unknown>) =>
    h
      .http()
      .patch(`/cases/${id}`)
      .set(bearer(who.token))
      .set('If-Match', await etagOf(id))
      .send(body);

  describe('item 8: an access token dies with its session', () => {
    test('when the user logs out, then the access token of that session is refused at once and another session goes on', async () => {
      const u = await h.createUser('paralegal');
      const other = await h.login(u.email, u.password);
      expect((await h.http().get('/users/me').set(bearer(u.token))).status).toBe(200);
      expect((await h.http().post('/auth/logout').send({ refreshToken: u.refreshToken })).status).toBe(204);

      const me = await h.http().get('/users/me').set(bearer(u.token));
      expect(expectProblem(me, 401).detail).toBe('The session of this access token has ended; log in again.');
      expect(me.headers['www-authenticate']).toBe('Bearer');
      expect(await auditOf(me)).toMatchObject({
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

  describe('item 10: secrets in the query string', () => {
    test('when a request carries a token or password in its query, then the request log has the parameter without its value', async () => {
      const res = await h
        .http()
        .get(`/cases?access_token=${attorney.token}&limit=5&password=hunter2-hunter2`)
        .set(bearer(attorney.token));
      expect(res.status).toBe(400); // unknown query parameters are refused, and still logged
      const id = res.headers['x-request-id'] as string;
      const lines = h.logs
        .flatMap((chunk) => chunk.split('\n'))
        .filter((l) => l.includes(id))
        .map((l) => JSON.parse(l) as { req?: { url?: string } });
      expect(lines.map((l) => l.req?.url)).toContain(
        '/cases?access_token=[redacted]&limit=5&password=[redacted]',
      );
      const all = h.logs.join('');
      expect(all).not.toContain(attorney.token);
      expect(all).not.toContain('hunter2-hunter2');
    });
  });

  describe('item 2: walls follow the person', () => {
    test('when a walled administrator creates accounts, then each inherits the walls (and their accounts too), audited with the user.create', async () => {
      const c = await newCase('Walled creation');
      const wall = await h
        .http()
        .post(`/cases/${c.id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: admin2.id, reason: 'advised the other side' });
      expect(wall.status).toBe(201);

      const password = 'a-long-enough-password';
      const made = await h
        .http()
        .post('/users')
        .set(bearer(admin2.token))
        .send({ email: `proxy-${backend}@test.legal`, name: 'Proxy Admin', role: 'admin', password });
      expect(made.status).toBe(201);
      expect((await auditOf(made)).details).toMatchObject({ inheritedWalls: [c.id] });
      const proxy = await h.login(`proxy-${backend}@test.legal`, password);
      const seen = await h.http().get(`/cases/${c.id}`).set(bearer(proxy.token));
      expect(expectProblem(seen, 404).detail).toBe(`No case with id '${c.id}'.`);
      expect((await auditOf(seen)).details).toEqual({ reason: 'ethical-wall' });
      const listed = await h.http().get('/cases?limit=200').set(bearer(proxy.token));
      expect((listed.body.data as { id: number }[]).map((x) => x.id)).not.toContain(c.id);

      // The account made by the new account inherits them as well.
      const second = await h
        .http()
        .post('/users')
        .set(bearer(proxy.token))
        .send({ email: `proxy2-${backend}@test.legal`, name: 'Second Proxy', role: 'attorney', password });
      expect(second.status).toBe(201);
      const walls = await h.db.all<{ user_id: unknown; created_by: unknown; reason: string }>(
        'SELECT user_id, created_by, reason FROM ethical_walls WHERE case_id = :id ORDER BY user_id',
        { id: c.id },
      );
      expect(walls.map((w) => [Number(w.user_id), Number(w.created_by)])).toEqual([
        [admin2.id, admin.id],
        [made.body.id, admin.id],
        [second.body.id, admin.id],
      ]);
      expect(walls[1]!.reason).toBe(
        `Inherited from user ${admin2.id}, who created this account: advised the other side`,
      );

      // An administrator without walls passes none on.
      const plain = await h
        .http()
        .post('/users')
        .set(bearer(admin.token))
        .send({ email: `plain-${backend}@test.legal`, name: 'Plain', role: 'paralegal', password });
      expect(plain.status).toBe(201);
      expect((await auditOf(plain)).details).toEqual({
        email: `plain-${backend}@test.legal`,
        role: 'paralegal',
      });
    });

    test('when a walled user changes the role or state of who walled them, then 403, audited as a denial, and nothing changes', async () => {
      const placer = await h.createUser('admin');
      const walled = await h.createUser('admin');
      const c = await newCase('Walled demotion');
      const wall = await h
        .http()
        .post(`/cases/${c.id}/walls`)
        .set(bearer(placer.token))
        .send({ userId: walled.id, reason: 'conflict of interest' });
      expect(wall.status).toBe(201);

      const placerRow = () =>
        h.db.one('SELECT role, active, name, updated_at FROM users WHERE id = :id', { id: placer.id });
      const before = await placerRow();
      for (const change of [{ role: 'attorney' }, { active: false }, { role: 'admin', name: 'Same Role' }]) {
        const res = await h.http().patch(`/users/${placer.id}`).set(bearer(walled.token)).send(change);
        expect(expectProblem(res, 403).detail).toBe(
          `You may not change the role or the state of user ${placer.id}; ask another administrator.`,
        );
        expect(await auditOf(res)).toMatchObject({
          action: 'user.update',
          outcome: 'denied',
          status: 403,
          actor_id: walled.id,
          details: { changes: change, reason: 'ethical-wall' },
        });
      }
      expect(await placerRow()).toEqual(before);
      expect((await h.http().get('/users/me').set(bearer(placer.token))).status).toBe(200);

      // A name is not a role or a state; and an administrator the wall does not bar may demote.
      expect(
        (
          await h
            .http()
            .patch(`/users/${placer.id}`)
            .set(bearer(walled.token))
            .send({ name: 'Renamed Placer' })
        ).status,
      ).toBe(200);
      const demoted = await h
        .http()
        .patch(`/users/${placer.id}`)
        .set(bearer(admin.token))
        .send({ role: 'attorney' });
      expect(demoted.status).toBe(200);
      expect(demoted.body.role).toBe('attorney');
    });
  });

  describe('item 13: closed cases', () => {
    test('when a case is closed, then reading works and every change of it, its members and parties is a 409 naming the state', async () => {
      const c = await newCase('Closed for good');
      const newcomer = await h.createUser('paralegal');
      const party = await h
        .http()
        .post(`/cases/${c.id}/parties`)
        .set(bearer(attorney.token))
        .send({ role: 'witness', name: 'Early Witness' });
      expect(party.status).toBe(201);
      const closed = await h.http().post(`/cases/${c.id}/close`).set(bearer(paralegal.token));
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');

      const closedDetail = (what: string) =>
        `Case ${c.number} is closed: ${what} is not allowed until its responsible attorney or an administrator reopens it (PATCH /cases/${c.id} with {"status": "open"}).`;
      const refusals: [string, string, () => Promise<Response>][] = [
        [
          'case.update',
          'changing it (other than reopening it)',
          () => patchCase(attorney, c.id, { title: 'New title' }),
        ],
        [
          'case.update',
          'changing it (other than reopening it)',
          () => patchCase(attorney, c.id, { status: 'open', title: 'Reopened and renamed' }),
        ],
        [
          'member.add',
          'adding members',
          () =>
            h.http().post(`/cases/${c.id}/members`).set(bearer(admin.token)).send({ userId: newcomer.id }),
        ],
        [
          'member.remove',
          'removing members',
          () => h.http().delete(`/cases/${c.id}/members/${paralegal.id}`).set(bearer(attorney.token)),
        ],
        [
          'party.create',
          'adding parties',
          () =>
            h
              .http()
              .post(`/cases/${c.id}/parties`)
              .set(bearer(paralegal.token))
              .send({ role: 'witness', name: 'Late Witness' }),
        ],
        [
          'party.update',
          'changing parties',
          () =>
            h
              .http()
              .patch(`/cases/${c.id}/parties/${party.body.id}`)
              .set(bearer(paralegal.token))
              .send({ name: 'Renamed' }),
        ],
        [
          'party.delete',
          'removing parties',
          () => h.http().delete(`/cases/${c.id}/parties/${party.body.id}`).set(bearer(admin.token)),
        ],
      ];
      for (const [action, what, call] of refusals) {
        const res = await call();
        expect(expectProblem(res, 409).detail).toBe(closedDetail(what));
        expect(await auditOf(res)).toMatchObject({
          action,
          outcome: 'failure',
          status: 409,
          details: expect.objectContaining({ reason: 'case-closed' }),
        });
      }
      // Nothing changed in the tables.
      const row = await h.db.one<{ title: string; status: string }>(
        'SELECT title, status FROM cases WHERE id = :id',
        {
          id: c.id,
        },
      );
      expect(row).toEqual({ title: 'Closed for good', status: 'closed' });
      const parties = await h.db.all<{ name: string }>('SELECT name FROM case_parties WHERE case_id = :id', {
        id: c.id,
      });
      expect(parties.map((p) => p.name)).toEqual(['Early Witness']);
      const members = await h.db.all<{ user_id: unknown }>(
        'SELECT user_id FROM case_members WHERE case_id = :id ORDER BY user_id',
        { id: c.id },
      );
      expect(members.map((m) => Number(m.user_id))).toEqual(
        [client.id, paralegal.id, attorney2.id].sort((a, b) => a - b),
      );

      // Reads go on for everyone on the case.
      for (const who of [client, paralegal, attorney, admin]) {
        expect((await h.http().get(`/cases/${c.id}`).set(bearer(who.token))).status).toBe(200);
        expect((await h.http().get(`/cases/${c.id}/members`).set(bearer(who.token))).status).toBe(200);
        expect((await h.http().get(`/cases/${c.id}/parties`).set(bearer(who.token))).status).toBe(200);
        expect((await h.http().get(`/cases/${c.id}/documents`).set(bearer(who.token))).status).toBe(200);
      }
      // Preservation and screening go on too: a legal hold and a wall may still be placed.
      expect(
        (
          await h
            .http()
            .post(`/cases/${c.id}/legal-hold`)
            .set(bearer(attorney.token))
            .send({ reason: 'Subpoena' })
        ).status,
      ).toBe(201);
      expect(
        (
          await h
            .http()
            .post(`/cases/${c.id}/walls`)
            .set(bearer(admin.token))
            .send({ userId: admin2.id, reason: 'joined from the other side' })
        ).status,
      ).toBe(201);
    });

    test('when a closed case is reopened, then only its responsible attorney or an administrator may, with the status alone', async () => {
      const c = await newCase('Reopen me');
      const newcomer = await h.createUser('paralegal');
      expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(attorney.token))).status).toBe(200);

      for (const who of [paralegal, attorney2]) {
        const res = await patchCase(who, c.id, { status: 'open' });
        expect(expectProblem(res, 403).errors).toEqual([
          { field: 'body.status', message: 'expected an administrator or the responsible attorney' },
        ]);
        expect(await auditOf(res)).toMatchObject({ action: 'case.update', outcome: 'denied', status: 403 });
      }
      expectProblem(await patchCase(client, c.id, { status: 'open' }), 403);

      const reopened = await patchCase(attorney, c.id, { status: 'pending' });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'pending', closedAt: null });
      // Open again: changes are back.
      expect((await patchCase(paralegal, c.id, { title: 'Reopened matter' })).status).toBe(200);
      expect(
        (
          await h
            .http()
            .post(`/cases/${c.id}/members`)
            .set(bearer(attorney.token))
            .send({ userId: newcomer.id })
        ).status,
      ).toBe(201);

      // An administrator may reopen too.
      expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(paralegal.token))).status).toBe(200);
      const byAdmin = await patchCase(admin, c.id, { status: 'open' });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.status).toBe('open');
    });
  });
});
