import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, etagOf, expectAudit, expectProblem, smithVJones, type CreatedCase } from './helpers/api.js';
import { backends, cast, type TestUser } from './helpers/harness.js';

describe.each(await backends())('roles and permissions on %s', (backend) => {
  const { h, admin, attorney, paralegal, client, auditor, outsider } = cast(backend, {
    admin: 'admin',
    attorney: 'attorney',
    paralegal: 'paralegal',
    client: 'client',
    auditor: 'auditor',
    outsider: ['attorney', 'Outside Attorney'],
  });
  let caseA: CreatedCase;
  beforeAll(async () => {
    caseA = await smithVJones(h, attorney, client, [paralegal]);
  });

  describe('role × endpoint matrix', () => {
    type Who = 'admin' | 'attorney' | 'paralegal' | 'client' | 'auditor' | 'outsider';
    const who = (w: Who): TestUser => ({ admin, attorney, paralegal, client, auditor, outsider })[w];
    const cases: {
      name: string;
      action: string;
      call: (u: TestUser) => Promise<Response>;
      expected: Record<Who, number>;
    }[] = [
      {
        name: 'GET /users/me',
        action: 'user.read',
        call: (u) => h.http().get('/users/me').set(bearer(u.token)),
        expected: { admin: 200, attorney: 200, paralegal: 200, client: 200, auditor: 200, outsider: 200 },
      },
      {
        name: 'GET /users',
        action: 'user.list',
        call: (u) => h.http().get('/users').set(bearer(u.token)),
        expected: { admin: 200, attorney: 403, paralegal: 403, client: 403, auditor: 403, outsider: 403 },
      },
      {
        name: 'POST /users',
        action: 'user.create',
        call: (u) =>
          h
            .http()
            .post('/users')
            .set(bearer(u.token))
            .send({
              email: `new-${u.role}-${Date.now()}-${Math.random()}@x.legal`,
              name: 'New',
              role: 'client',
              password: 'a-long-password-1',
            }),
        expected: { admin: 201, attorney: 403, paralegal: 403, client: 403, auditor: 403, outsider: 403 },
      },
      {
        name: 'GET /cases',
        action: 'case.list',
        call: (u) => h.http().get('/cases').set(bearer(u.token)),
        expected: { admin: 200, attorney: 200, paralegal: 200, client: 200, auditor: 200, outsider: 200 },
      },
      {
        name: 'POST /cases',
        action: 'case.create',
        call: (u) =>
          h
            .http()
            .post('/cases')
            .set(bearer(u.token))
            .send({ title: `Matrix ${u.role}`, clientName: 'Matrix client' }),
        expected: { admin: 201, attorney: 201, paralegal: 403, client: 403, auditor: 403, outsider: 201 },
      },
      {
        name: 'GET /cases/:id',
        action: 'case.read',
        call: (u) => h.http().get(`/cases/${caseA.id}`).set(bearer(u.token)),
        expected: { admin: 200, attorney: 200, paralegal: 200, client: 200, auditor: 404, outsider: 404 },
      },
      {
        name: 'PATCH /cases/:id',
        action: 'case.update',
        call: async (u) =>
          h
            .http()
            .patch(`/cases/${caseA.id}`)
            .set(bearer(u.token))
            .set('If-Match', await etagOf(h, admin, caseA.id))
            .send({ description: `edited by ${u.role}` }),
        expected: { admin: 200, attorney: 200, paralegal: 200, client: 403, auditor: 404, outsider: 404 },
      },
      {
        name: 'POST /cases/:id/close',
        action: 'case.close',
        call: async (u) => {
          const fresh = await h
            .http()
            .post('/cases')
            .set(bearer(attorney.token))
            .send({ title: 'To close', clientName: 'C', clientId: client.id });
          await h
            .http()
            .post(`/cases/${fresh.body.id}/members`)
            .set(bearer(attorney.token))
            .send({ userId: paralegal.id });
          return h.http().post(`/cases/${fresh.body.id}/close`).set(bearer(u.token));
        },
        expected: { admin: 200, attorney: 200, paralegal: 200, client: 403, auditor: 404, outsider: 404 },
      },
      {
        name: 'GET /cases/:id/members',
        action: 'member.list',
        call: (u) => h.http().get(`/cases/${caseA.id}/members`).set(bearer(u.token)),
        expected: { admin: 200, attorney: 200, paralegal: 200, client: 200, auditor: 404, outsider: 404 },
      },
      {
        name: 'POST + DELETE /cases/:id/members',
        action: 'member.add',
        call: async (u) => {
          const extra = await h.createUser('client');
          const res = await h
            .http()
            .post(`/cases/${caseA.id}/members`)
            .set(bearer(u.token))
            .send({ userId: extra.id });
          if (res.status === 201) {
            const del = await h.http().delete(`/cases/${caseA.id}/members/${extra.id}`).set(bearer(u.token));
            expect(del.status).toBe(204);
            await expectAudit(h, del, 'member.remove', 'success', u.id);
          }
          return res;
        },
        expected: { admin: 201, attorney: 201, paralegal: 403, client: 403, auditor: 404, outsider: 404 },
      },
      {
        name: 'GET /cases/:id/walls',
        action: 'wall.list',
        call: (u) => h.http().get(`/cases/${caseA.id}/walls`).set(bearer(u.token)),
        expected: { admin: 200, attorney: 403, paralegal: 403, client: 403, auditor: 403, outsider: 403 },
      },
      {
        name: 'POST /cases/:id/walls',
        action: 'wall.add',
        call: async (u) => {
          const extra = await h.createUser('paralegal');
          return h
            .http()
            .post(`/cases/${caseA.id}/walls`)
            .set(bearer(u.token))
            .send({ userId: extra.id, reason: 'conflict' });
        },
        expected: { admin: 201, attorney: 403, paralegal: 403, client: 403, auditor: 403, outsider: 403 },
      },
      {
        name: 'DELETE /cases/:id/walls/:userId',
        action: 'wall.remove',
        call: async (u) => {
          const extra = await h.createUser('paralegal');
          await h
            .http()
            .post(`/cases/${caseA.id}/walls`)
            .set(bearer(admin.token))
            .send({ userId: extra.id, reason: 'r' });
          return h.http().delete(`/cases/${caseA.id}/walls/${extra.id}`).set(bearer(u.token));
        },
        expected: { admin: 204, attorney: 403, paralegal: 403, client: 403, auditor: 403, outsider: 403 },
      },
      {
        name: 'PATCH /users/:id',
        action: 'user.update',
        call: async (u) => {
          const extra = await h.createUser('client');
          return h.http().patch(`/users/${extra.id}`).set(bearer(u.token)).send({ name: 'Renamed' });
        },
        expected: { admin: 200, attorney: 403, paralegal: 403, client: 403, auditor: 403, outsider: 403 },
      },
      {
        name: 'GET /audit',
        action: 'audit.read',
        call: (u) => h.http().get('/audit').set(bearer(u.token)),
        expected: { admin: 200, attorney: 403, paralegal: 403, client: 403, auditor: 200, outsider: 403 },
      },
    ];
    const rows = cases.flatMap((c) =>
      (Object.keys(c.expected) as Who[]).map((w) => [c.name, w, c.expected[w], c] as const),
    );
    test.each(rows)(
      'when %s is called by %s, then the status is %i and the audit trail records it',
      async (_name, w, status, spec) => {
        const user = who(w);
        const res = await spec.call(user);
        expect(res.status).toBe(status);
        if (status >= 400) expectProblem(res, status);
        await expectAudit(h, res, spec.action, status < 400 ? 'success' : 'denied', user.id);
      },
    );
  });
});
