import { describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { auditEvent, bearer, createCase, expectProblem, patchCase, type NewMember } from './helpers/api.js';
import { pdf, storedFiles, uploadDocument } from './helpers/documents.js';
import { backends, cast, type TestUser } from './helpers/harness.js';

describe.each(await backends())('closed cases on %s', (backend) => {
  const { h, admin, admin2, attorney, attorney2, paralegal, client } = cast(backend, {
    admin: 'admin',
    admin2: 'admin',
    attorney: 'attorney',
    attorney2: 'attorney',
    paralegal: 'paralegal',
    client: 'client',
  });

  /** A case of `attorney` with `client` as client and `members` (by default `paralegal` and `attorney2`). */
  const newCase = (title: string, members: NewMember[] = [paralegal, attorney2]) =>
    createCase(h, attorney, { title, clientName: 'Client Ltd', clientId: client.id }, members);
  const patch = (who: TestUser, id: number, body: Record<string, unknown>) =>
    patchCase(h, who, id, body, admin);

  describe('closing', () => {
    test('when a case is closed, then status and closedAt change together; closing again is a 409', async () => {
      const c = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'Closing', clientName: 'C' });
      const closed = await h
        .http()
        .post(`/cases/${c.body.id}/close`)
        .set(bearer(attorney.token))
        .set('If-Match', c.headers.etag as string);
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
      expect(Date.parse(closed.body.closedAt)).toBeGreaterThan(0);
      expectProblem(await h.http().post(`/cases/${c.body.id}/close`).set(bearer(attorney.token)), 409);
      const reopened = await h
        .http()
        .patch(`/cases/${c.body.id}`)
        .set(bearer(attorney.token))
        .set('If-Match', closed.headers.etag as string)
        .send({ status: 'open' });
      expect(reopened.body).toMatchObject({ status: 'open', closedAt: null });
    });
  });

  describe('while closed', () => {
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
          () => patch(attorney, c.id, { title: 'New title' }),
        ],
        [
          'case.update',
          'changing it (other than reopening it)',
          () => patch(attorney, c.id, { status: 'open', title: 'Reopened and renamed' }),
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
        expect(await auditEvent(h, res)).toMatchObject({
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

    test('when a case is closed, then uploads, deletions and restores are refused with 409 and downloads still work', async () => {
      const c = await newCase('Closed documents', [paralegal]);
      const kept = (await uploadDocument(h, paralegal, c.id, pdf(3000), 'kept.pdf')).body as { id: number };
      const binned = (await uploadDocument(h, paralegal, c.id, pdf(3000), 'binned.pdf')).body as {
        id: number;
      };
      expect((await h.http().delete(`/documents/${binned.id}`).set(bearer(paralegal.token))).status).toBe(
        204,
      );
      expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(attorney.token))).status).toBe(200);
      const before = storedFiles(h);
      const refused: Response[] = [
        await uploadDocument(h, attorney, c.id, pdf(3000), 'after-close.pdf'),
        await h.http().delete(`/documents/${kept.id}`).set(bearer(attorney.token)),
        await h.http().post(`/documents/${binned.id}/restore`).set(bearer(admin.token)),
      ];
      for (const res of refused)
        expect(String(expectProblem(res, 409).detail)).toMatch(/^Case .* is closed: /);
      expect(storedFiles(h)).toEqual(before);
      expect((await h.http().get(`/documents/${kept.id}/download`).set(bearer(client.token))).status).toBe(
        200,
      );
    });
  });

  describe('reopening', () => {
    test('when a closed case is reopened, then only its responsible attorney or an administrator may, with the status alone', async () => {
      const c = await newCase('Reopen me');
      const newcomer = await h.createUser('paralegal');
      expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(attorney.token))).status).toBe(200);

      for (const who of [paralegal, attorney2]) {
        const res = await patch(who, c.id, { status: 'open' });
        expect(expectProblem(res, 403).errors).toEqual([
          { field: 'body.status', message: 'expected an administrator or the responsible attorney' },
        ]);
        expect(await auditEvent(h, res)).toMatchObject({
          action: 'case.update',
          outcome: 'denied',
          status: 403,
        });
      }
      expectProblem(await patch(client, c.id, { status: 'open' }), 403);

      const reopened = await patch(attorney, c.id, { status: 'pending' });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'pending', closedAt: null });
      // Open again: changes are back.
      expect((await patch(paralegal, c.id, { title: 'Reopened matter' })).status).toBe(200);
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
      const byAdmin = await patch(admin, c.id, { status: 'open' });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.status).toBe('open');
    });
  });
});
