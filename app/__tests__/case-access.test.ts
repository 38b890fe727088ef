import { beforeAll, describe, expect, test } from '@jest/globals';
import {
  bearer,
  createCase,
  expectAudit,
  expectProblem,
  patchCase,
  smithVJones,
  type CreatedCase,
} from './helpers/api.js';
import { backends, cast, type TestUser } from './helpers/harness.js';

describe.each(await backends())('who may see and change a case on %s', (backend) => {
  const { h, admin, attorney, paralegal, client, outsider } = cast(backend, {
    admin: 'admin',
    attorney: 'attorney',
    paralegal: 'paralegal',
    client: 'client',
    outsider: ['attorney', 'Outside Attorney'],
  });
  let caseA: CreatedCase;
  beforeAll(async () => {
    caseA = await smithVJones(h, attorney, client, [paralegal]);
  });

  /** A new case of `owner` with `client` as client and `paralegal` as member. */
  const newCase = async (owner: TestUser, title: string) =>
    (
      await createCase(h, owner, { title, clientName: 'Client Ltd', clientId: client.id }, [
        { user: paralegal, role: 'paralegal' },
      ])
    ).id;
  const patch = (who: TestUser, id: number, body: Record<string, unknown>) =>
    patchCase(h, who, id, body, admin);

  describe('cases hidden from who is not on them', () => {
    test('when a case is hidden, then reading it is a 404 indistinguishable from a missing case, audited as denied', async () => {
      const hidden = await h.http().get(`/cases/${caseA.id}`).set(bearer(outsider.token));
      const missing = await h.http().get('/cases/999999').set(bearer(outsider.token));
      expectProblem(hidden, 404);
      expectProblem(missing, 404);
      expect(hidden.body.title).toBe(missing.body.title);
      expect(hidden.body.detail).toBe(`No case with id '${caseA.id}'.`);
      await expectAudit(h, hidden, 'case.read', 'denied', outsider.id);
      await expectAudit(h, missing, 'case.read', 'failure', outsider.id);
      const list = await h.http().get('/cases').set(bearer(outsider.token));
      expect(list.body.data.map((c: { id: number }) => c.id)).not.toContain(caseA.id);
    });
  });

  describe('members', () => {
    test('when a member is added above their own role, or twice, then 400 and 409', async () => {
      const c = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'Members', clientName: 'M' });
      const tooHigh = await h
        .http()
        .post(`/cases/${c.body.id}/members`)
        .set(bearer(attorney.token))
        .send({ userId: client.id, role: 'attorney' });
      expect((expectProblem(tooHigh, 400).errors as { field: string }[])[0]!.field).toBe('body.role');
      expect(
        (
          await h
            .http()
            .post(`/cases/${c.body.id}/members`)
            .set(bearer(attorney.token))
            .send({ userId: client.id })
        ).status,
      ).toBe(201);
      expectProblem(
        await h
          .http()
          .post(`/cases/${c.body.id}/members`)
          .set(bearer(attorney.token))
          .send({ userId: client.id }),
        409,
      );
      const members = await h.http().get(`/cases/${c.body.id}/members`).set(bearer(client.token));
      expect(members.body.data).toEqual([
        expect.objectContaining({ userId: client.id, role: 'client', addedBy: attorney.id }),
      ]);
      // a client member can read but not write
      expectProblem(
        await h
          .http()
          .patch(`/cases/${c.body.id}`)
          .set(bearer(client.token))
          .set('If-Match', '*')
          .send({ title: 'x' }),
        403,
      );
    });
  });

  describe('demoted users', () => {
    test('when a member is demoted, then their case role is capped by their new role; as auditor they lose the case', async () => {
      const member = await h.createUser('attorney');
      const c = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'Demotion', clientName: 'D' });
      const id = c.body.id as number;
      expect(
        (
          await h
            .http()
            .post(`/cases/${id}/members`)
            .set(bearer(attorney.token))
            .send({ userId: member.id, role: 'attorney' })
        ).status,
      ).toBe(201);
      const extra = await h.createUser('client');
      expect(
        (await h.http().post(`/cases/${id}/members`).set(bearer(member.token)).send({ userId: extra.id }))
          .status,
      ).toBe(201);
      await h.http().patch(`/users/${member.id}`).set(bearer(admin.token)).send({ role: 'paralegal' });
      expectProblem(await h.http().delete(`/cases/${id}/members/${extra.id}`).set(bearer(member.token)), 403);
      expect(
        (
          await h
            .http()
            .patch(`/cases/${id}`)
            .set(bearer(member.token))
            .set('If-Match', '*')
            .send({ title: 'Still writable' })
        ).status,
      ).toBe(200);
      await h.http().patch(`/users/${member.id}`).set(bearer(admin.token)).send({ role: 'auditor' });
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(member.token)), 404);
      const list = await h.http().get('/cases?limit=200').set(bearer(member.token));
      expect(list.body.data).toEqual([]);
    });

    test('when the responsible attorney is demoted to client, then the case is hidden, unlisted and read-only like for any non-member', async () => {
      const former = await h.createUser('attorney', 'Former Attorney');
      const id = await newCase(former, 'Demotion matter');
      const listed = async (u: TestUser) =>
        (
          (await h.http().get('/cases').query({ limit: 200 }).set(bearer(u.token))).body.data as {
            id: number;
          }[]
        ).map((c) => c.id);
      expect(await listed(former)).toContain(id);
      const demote = await h
        .http()
        .patch(`/users/${former.id}`)
        .set(bearer(admin.token))
        .send({ role: 'client' });
      expect(demote.status).toBe(200);

      expectProblem(await patch(former, id, { title: 'Taken over' }), 404);
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(former.token)), 404);
      expect(await listed(former)).not.toContain(id);
      expect((await h.http().get(`/cases/${id}`).set(bearer(admin.token))).body.title).toBe(
        'Demotion matter',
      );
    });

    test('when the demoted responsible attorney is also a member, then they act with their capped member role', async () => {
      const former = await h.createUser('attorney', 'Member Attorney');
      const id = await newCase(former, 'Member demotion');
      await h.db.run(
        "INSERT INTO case_members (case_id, user_id, role, added_by, added_at) VALUES (:id, :uid, 'attorney', :uid, :now)",
        { id, uid: former.id, now: new Date() },
      );
      await h.http().patch(`/users/${former.id}`).set(bearer(admin.token)).send({ role: 'client' });
      expect((await h.http().get(`/cases/${id}`).set(bearer(former.token))).status).toBe(200);
      expectProblem(await patch(former, id, { title: 'Changed' }), 403);
      const list = await h.http().get('/cases').query({ limit: 200 }).set(bearer(former.token));
      expect(list.body.data.map((c: { id: number }) => c.id)).toEqual([id]);
    });
  });
});
