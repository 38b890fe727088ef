import { describe, expect, test } from '@jest/globals';
import { auditEvent, bearer, createCase, expectAudit, expectProblem, type NewMember } from './helpers/api.js';
import { backends, cast, type TestUser } from './helpers/harness.js';

describe.each(await backends())('ethical walls on %s', (backend) => {
  // Each walled off cases of their own: `admin2` by the tests of a walled administrator, `walledAdmin` by
  // those of walls following the person (whose accounts inherit every wall of their maker).
  const { h, admin, admin2, walledAdmin, attorney, attorney2, paralegal, client } = cast(backend, {
    admin: 'admin',
    admin2: 'admin',
    walledAdmin: 'admin',
    attorney: 'attorney',
    attorney2: 'attorney',
    paralegal: 'paralegal',
    client: 'client',
  });

  /** A new case of `owner` with `client` as client and `members` (by default `paralegal`). */
  const newCase = (
    owner: TestUser,
    title: string,
    members: NewMember[] = [{ user: paralegal, role: 'paralegal' }],
  ) => createCase(h, owner, { title, clientName: 'Client Ltd', clientId: client.id }, members);

  describe('a wall bars whoever it names', () => {
    test('when a wall bars the responsible attorney, a member and another admin, then each loses the case whatever their role, until it is removed', async () => {
      const otherAdmin = await h.createUser('admin');
      const created = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'Walled matter', clientName: 'W' });
      const id = created.body.id as number;
      await h.http().post(`/cases/${id}/members`).set(bearer(attorney.token)).send({ userId: paralegal.id });
      for (const u of [attorney, paralegal, otherAdmin]) {
        expect((await h.http().get(`/cases/${id}`).set(bearer(u.token))).status).toBe(200);
        const wall = await h
          .http()
          .post(`/cases/${id}/walls`)
          .set(bearer(admin.token))
          .send({ userId: u.id, reason: 'former counsel of the other side' });
        expect(wall.status).toBe(201);
        expect(wall.body).toMatchObject({
          userId: u.id,
          reason: 'former counsel of the other side',
          createdBy: admin.id,
        });
        const denied = await h.http().get(`/cases/${id}`).set(bearer(u.token));
        expectProblem(denied, 404);
        await expectAudit(h, denied, 'case.read', 'denied', u.id);
        const rows = await h.auditOf(denied.headers['x-request-id'] as string);
        expect(JSON.parse(String(rows[0]!.details))).toEqual({ reason: 'ethical-wall' });
        const list = await h.http().get('/cases?limit=200').set(bearer(u.token));
        expect(list.body.data.map((c: { id: number }) => c.id)).not.toContain(id);
        expectProblem(
          await h.http().patch(`/cases/${id}`).set(bearer(u.token)).set('If-Match', '*').send({ title: 'x' }),
          404,
        );
        expectProblem(await h.http().get(`/cases/${id}/members`).set(bearer(u.token)), 404);
      }
      // a walled user cannot be (re)added as a member
      const add = await h
        .http()
        .post(`/cases/${id}/members`)
        .set(bearer(admin.token))
        .send({ userId: otherAdmin.id, role: 'attorney' });
      expectProblem(add, 409);
      const walls = await h.http().get(`/cases/${id}/walls`).set(bearer(admin.token));
      expect(
        walls.body.data.map((w: { userId: number }) => w.userId).sort((a: number, b: number) => a - b),
      ).toEqual([attorney.id, paralegal.id, otherAdmin.id].sort((a, b) => a - b));
      const removed = await h.http().delete(`/cases/${id}/walls/${paralegal.id}`).set(bearer(admin.token));
      expect(removed.status).toBe(204);
      await expectAudit(h, removed, 'wall.remove', 'success', admin.id);
      expect((await h.http().get(`/cases/${id}`).set(bearer(paralegal.token))).status).toBe(200);
      expectProblem(
        await h
          .http()
          .post(`/cases/${id}/walls`)
          .set(bearer(admin.token))
          .send({ userId: admin.id, reason: 'self' }),
        409,
      );
    });
  });

  describe('a walled administrator', () => {
    test('when an admin is walled off, then every wall endpoint answers the hidden 404 and the case stays hidden', async () => {
      const { id } = await newCase(attorney, 'Review v. Fixes');
      const wall = await h
        .http()
        .post(`/cases/${id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: admin2.id, reason: 'conflict' });
      expect(wall.status).toBe(201);

      const list = await h.http().get(`/cases/${id}/walls`).set(bearer(admin2.token));
      expectProblem(list, 404);
      expect(JSON.stringify(list.body)).not.toContain('conflict');
      const rows = await h.auditOf(list.headers['x-request-id'] as string);
      expect(rows[0]).toMatchObject({ action: 'wall.list', outcome: 'denied' });
      expectProblem(await h.http().delete(`/cases/${id}/walls/${admin2.id}`).set(bearer(admin2.token)), 404);
      expectProblem(
        await h
          .http()
          .post(`/cases/${id}/walls`)
          .set(bearer(admin2.token))
          .send({ userId: paralegal.id, reason: 'x' }),
        404,
      );
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(admin2.token)), 404);
      // The wall is still there, read from the table.
      const walls = await h.db.all('SELECT user_id FROM ethical_walls WHERE case_id = :id', { id });
      expect(walls.map((w) => Number(w.user_id))).toEqual([admin2.id]);

      // Another administrator still manages it.
      const seen = await h.http().get(`/cases/${id}/walls`).set(bearer(admin.token));
      expect(seen.status).toBe(200);
      expect(seen.body.data.map((w: { userId: number }) => w.userId)).toEqual([admin2.id]);
      expectProblem(await h.http().delete(`/cases/${id}/walls/${admin.id}`).set(bearer(admin.token)), 409);
      expect((await h.http().delete(`/cases/${id}/walls/${admin2.id}`).set(bearer(admin.token))).status).toBe(
        204,
      );
      expect((await h.http().get(`/cases/${id}`).set(bearer(admin2.token))).status).toBe(200);
    });

    test('when an admin is walled off a case, then /audit leaves out the events of that case and its documents', async () => {
      const { id } = await newCase(attorney, 'Walled audit');
      const { id: other } = await newCase(attorney, 'Open audit');
      const wall = await h
        .http()
        .post(`/cases/${id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: admin2.id, reason: 'former counsel of the other side' });
      expect(wall.status).toBe(201);
      const countInDb = async (caseId: number) =>
        Number(
          (
            await h.db.all(
              "SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'case' AND entity_id = :id",
              { id: String(caseId) },
            )
          )[0]!.n,
        );
      expect(await countInDb(id)).toBeGreaterThan(0);
      const seenBy = async (who: TestUser, caseId: number) => {
        const res = await h
          .http()
          .get(`/audit?entity=case&entity_id=${caseId}&limit=200`)
          .set(bearer(who.token));
        expect(res.status).toBe(200);
        return (res.body.data as unknown[]).length;
      };
      expect(await seenBy(admin2, id)).toBe(0);
      expect(await seenBy(admin, id)).toBe(await countInDb(id));
      expect(await seenBy(admin2, other)).toBe(await countInDb(other));
    });
  });

  describe('walls follow the person', () => {
    test('when a walled administrator creates accounts, then each inherits the walls (and their accounts too), audited with the user.create', async () => {
      const c = await newCase(attorney, 'Walled creation', [paralegal, attorney2]);
      const wall = await h
        .http()
        .post(`/cases/${c.id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: walledAdmin.id, reason: 'advised the other side' });
      expect(wall.status).toBe(201);

      const password = 'a-long-enough-password';
      const made = await h
        .http()
        .post('/users')
        .set(bearer(walledAdmin.token))
        .send({ email: `proxy-${backend}@test.legal`, name: 'Proxy Admin', role: 'admin', password });
      expect(made.status).toBe(201);
      expect((await auditEvent(h, made)).details).toMatchObject({ inheritedWalls: [c.id] });
      const proxy = await h.login(`proxy-${backend}@test.legal`, password);
      const seen = await h.http().get(`/cases/${c.id}`).set(bearer(proxy.token));
      expect(expectProblem(seen, 404).detail).toBe(`No case with id '${c.id}'.`);
      expect((await auditEvent(h, seen)).details).toEqual({ reason: 'ethical-wall' });
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
        [walledAdmin.id, admin.id],
        [made.body.id, admin.id],
        [second.body.id, admin.id],
      ]);
      expect(walls[1]!.reason).toBe(
        `Inherited from user ${walledAdmin.id}, who created this account: advised the other side`,
      );

      // An administrator without walls passes none on.
      const plain = await h
        .http()
        .post('/users')
        .set(bearer(admin.token))
        .send({ email: `plain-${backend}@test.legal`, name: 'Plain', role: 'paralegal', password });
      expect(plain.status).toBe(201);
      expect((await auditEvent(h, plain)).details).toEqual({
        email: `plain-${backend}@test.legal`,
        role: 'paralegal',
      });
    });

    test('when a walled user changes the role or state of who walled them, then 403, audited as a denial, and nothing changes', async () => {
      const placer = await h.createUser('admin');
      const walled = await h.createUser('admin');
      const c = await newCase(attorney, 'Walled demotion', [paralegal, attorney2]);
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
        expect(await auditEvent(h, res)).toMatchObject({
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
});
