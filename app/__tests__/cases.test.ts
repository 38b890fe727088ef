import { beforeAll, describe, expect, test } from '@jest/globals';
import {
  bearer,
  createCase,
  etagOf,
  expectAudit,
  expectProblem,
  patchCase,
  smithVJones,
  type CreatedCase,
} from './helpers/api.js';
import { backends, cast, type TestUser } from './helpers/harness.js';

describe.each(await backends())('cases on %s', (backend) => {
  const { h, admin, attorney, paralegal, client } = cast(backend, {
    admin: 'admin',
    attorney: 'attorney',
    paralegal: 'paralegal',
    client: 'client',
  });
  let caseA: CreatedCase;
  beforeAll(async () => {
    caseA = await smithVJones(h, attorney, client, [paralegal]);
  });

  /** A new case of `attorney` with `client` as client and `paralegal` as member. */
  const newCase = async () =>
    (
      await createCase(
        h,
        attorney,
        { title: 'Review v. Fixes', clientName: 'Client Ltd', clientId: client.id },
        [{ user: paralegal, role: 'paralegal' }],
      )
    ).id;
  const patch = (who: TestUser, id: number, body: Record<string, unknown>) =>
    patchCase(h, who, id, body, admin);
  /** Members read straight from the table, not through the API. */
  const membersInDb = async (id: number) =>
    (
      await h.db.all('SELECT user_id, role FROM case_members WHERE case_id = :id ORDER BY user_id', { id })
    ).map((r) => ({ userId: Number(r.user_id), role: r.role }));

  describe('opening a case', () => {
    test('when a case is created, then it gets a server-generated YYYY-NNNNN number and an ETag; the number cannot be set', async () => {
      const res = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'Numbered', clientName: 'N' });
      expect(res.status).toBe(201);
      expect(res.body.number).toMatch(new RegExp(`^${new Date().getUTCFullYear()}-\\d{5}$`));
      expect(res.headers.etag).toBe(`"case-${res.body.id}-v1"`);
      expect(res.headers.location).toBe(`/cases/${res.body.id}`);
      expect(res.body).toMatchObject({
        status: 'open',
        version: 1,
        responsibleAttorneyId: attorney.id,
        closedAt: null,
      });
      const next = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'Numbered 2', clientName: 'N' });
      expect(Number(next.body.number.slice(5))).toBe(Number(res.body.number.slice(5)) + 1);
      const withNumber = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'x', clientName: 'y', number: '1999-00001' });
      expect(expectProblem(withNumber, 400).errors).toEqual([
        { field: 'body.number', message: 'unknown field' },
      ]);
      const row = await h.db.one('SELECT number FROM cases WHERE id = :id', { id: res.body.id });
      expect(row).toEqual({ number: res.body.number });
    });
  });

  describe('conditional requests', () => {
    test('when PATCH has no If-Match, a stale one or a current one, then 428, 412 and 200 with a new ETag', async () => {
      const etag = await etagOf(h, admin, caseA.id);
      const missing = await h
        .http()
        .patch(`/cases/${caseA.id}`)
        .set(bearer(attorney.token))
        .send({ title: 'Renamed' });
      expect(expectProblem(missing, 428).detail).toContain(etag);
      await expectAudit(h, missing, 'case.update', 'failure', attorney.id);
      const ok = await h
        .http()
        .patch(`/cases/${caseA.id}`)
        .set(bearer(attorney.token))
        .set('If-Match', etag)
        .send({ title: 'Renamed', status: 'pending' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ title: 'Renamed', status: 'pending' });
      expect(ok.headers.etag).not.toBe(etag);
      const stale = await h
        .http()
        .patch(`/cases/${caseA.id}`)
        .set(bearer(attorney.token))
        .set('If-Match', etag)
        .send({ title: 'Lost update' });
      expectProblem(stale, 412);
      expect((await h.http().get(`/cases/${caseA.id}`).set(bearer(attorney.token))).body.title).toBe(
        'Renamed',
      );
    });

    test('when If-None-Match carries the current ETag, then GET answers 304 (audited as a read)', async () => {
      const first = await h.http().get(`/cases/${caseA.id}`).set(bearer(client.token));
      const again = await h
        .http()
        .get(`/cases/${caseA.id}`)
        .set(bearer(client.token))
        .set('If-None-Match', first.headers.etag as string);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      await expectAudit(h, again, 'case.read', 'success', client.id);
      const changed = await h
        .http()
        .get(`/cases/${caseA.id}`)
        .set(bearer(client.token))
        .set('If-None-Match', '"case-0-v0"');
      expect(changed.status).toBe(200);
    });
  });

  describe('the responsible attorney and the client', () => {
    test('when a paralegal or a non-responsible attorney member changes either field, then 403 names the field', async () => {
      const id = await newCase();
      const other = await h.createUser('attorney', 'Other Attorney');
      const add = await h
        .http()
        .post(`/cases/${id}/members`)
        .set(bearer(attorney.token))
        .send({ userId: other.id, role: 'attorney' });
      expect(add.status).toBe(201);
      const otherClient = await h.createUser('client');
      for (const who of [paralegal, other]) {
        const ra = await patch(who, id, { responsibleAttorneyId: who === other ? other.id : attorney.id });
        expectProblem(ra, 403, 'body.responsibleAttorneyId');
        expectProblem(await patch(who, id, { clientId: otherClient.id }), 403, 'body.clientId');
        expectProblem(await patch(who, id, { clientId: null }), 403, 'body.clientId');
      }
      const stored = await h.db.one('SELECT responsible_attorney_id, client_id FROM cases WHERE id = :id', {
        id,
      });
      expect([Number(stored!.responsible_attorney_id), Number(stored!.client_id)]).toEqual([
        attorney.id,
        client.id,
      ]);
      // Other fields stay open to them.
      expect((await patch(paralegal, id, { title: 'Renamed by the paralegal' })).status).toBe(200);
    });

    test('when the responsible attorney changes the client, then the client membership moves with it', async () => {
      const id = await newCase();
      const newClient = await h.createUser('client');
      const res = await patch(attorney, id, { clientId: newClient.id });
      expect(res.status).toBe(200);
      expect(res.body.clientId).toBe(newClient.id);
      expect(await membersInDb(id)).toEqual(
        [
          { userId: paralegal.id, role: 'paralegal' },
          { userId: newClient.id, role: 'client' },
        ].sort((a, b) => a.userId - b.userId),
      );
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(client.token)), 404);
      expect((await h.http().get(`/cases/${id}`).set(bearer(newClient.token))).status).toBe(200);

      const cleared = await patch(attorney, id, { clientId: null });
      expect(cleared.status).toBe(200);
      expect(await membersInDb(id)).toEqual([{ userId: paralegal.id, role: 'paralegal' }]);
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(newClient.token)), 404);
    });

    test('when the client moves while other writes run, then every request succeeds', async () => {
      const id = await newCase();
      const newClient = await h.createUser('client');
      const etag = await etagOf(h, admin, id);
      const [moved, ...created] = await Promise.all([
        h
          .http()
          .patch(`/cases/${id}`)
          .set(bearer(attorney.token))
          .set('If-Match', etag)
          .send({ clientId: newClient.id }),
        ...[1, 2, 3, 4, 5, 6].map((n) =>
          h
            .http()
            .post('/cases')
            .set(bearer(attorney.token))
            .send({ title: `Busy ${n}`, clientName: 'B' }),
        ),
      ]);
      expect(moved!.status).toBe(200);
      expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect((await membersInDb(id)).find((m) => m.role === 'client')).toEqual({
        userId: newClient.id,
        role: 'client',
      });
    });

    test('when the new client is walled off, then 409 on body.clientId and nothing changes', async () => {
      const id = await newCase();
      const walled = await h.createUser('client');
      await h
        .http()
        .post(`/cases/${id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: walled.id, reason: 'x' });
      const before = await etagOf(h, admin, id);
      expectProblem(await patch(attorney, id, { clientId: walled.id }), 409, 'body.clientId');
      expect(await etagOf(h, admin, id)).toBe(before);
      expect((await membersInDb(id)).map((m) => m.userId)).not.toContain(walled.id);
    });

    test('when an admin hands the case to another attorney, then the former one loses it', async () => {
      const id = await newCase();
      const successor = await h.createUser('attorney');
      const res = await patch(admin, id, { responsibleAttorneyId: successor.id });
      expect(res.status).toBe(200);
      expect((await h.http().get(`/cases/${id}`).set(bearer(successor.token))).status).toBe(200);
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(attorney.token)), 404);
    });
  });
});
