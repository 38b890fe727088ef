import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { backends, JWT_SECRET, startHarness, type Harness, type TestUser } from './helpers/harness.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** JWTs built by hand with node:crypto, independently of the jose library the service uses. */
function handMadeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | null,
  hash = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (secret === null) return `${input}.`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}
const claims = (sub: number, extra: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return { sub: String(sub), iss: 'legal-service', aud: 'legal-api', iat: now, exp: now + 600, ...extra };
};
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function expectProblem(res: Response, status: number): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.stringContaining('/problems/'),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  return res.body as Record<string, unknown>;
}

describe.each(await backends())('legal API on %s', (backend) => {
  let h: Harness;
  let admin: TestUser,
    attorney: TestUser,
    paralegal: TestUser,
    client: TestUser,
    auditor: TestUser,
    outsider: TestUser;
  let caseA: { id: number; number: string };

  beforeAll(async () => {
    h = await startHarness(backend);
    admin = await h.createUser('admin');
    attorney = await h.createUser('attorney');
    paralegal = await h.createUser('paralegal');
    client = await h.createUser('client');
    auditor = await h.createUser('auditor');
    outsider = await h.createUser('attorney', 'Outside Attorney');
    const res = await h.http().post('/cases').set(bearer(attorney.token)).send({
      title: 'Smith v. Jones',
      clientName: 'Smith Ltd',
      clientId: client.id,
      practiceArea: 'Litigation',
    });
    expect(res.status).toBe(201);
    caseA = res.body;
    expect(
      (
        await h
          .http()
          .post(`/cases/${caseA.id}/members`)
          .set(bearer(attorney.token))
          .send({ userId: paralegal.id })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
  });

  const etagOf = async (id: number) =>
    (await h.http().get(`/cases/${id}`).set(bearer(admin.token))).headers.etag as string;

  async function expectAudit(
    res: Response,
    action: string,
    outcome: 'success' | 'denied' | 'failure',
    actorId: number | null,
  ) {
    const rows = await h.auditOf(res.headers['x-request-id'] as string);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action, outcome, status: res.status });
    expect(rows[0]!.actor_id === null ? null : Number(rows[0]!.actor_id)).toBe(actorId);
    expect(rows[0]!.ip).toBeTruthy();
  }

  describe('health', () => {
    test('when asked for liveness and readiness, then both answer with status and version', async () => {
      const live = await h.http().get('/health');
      expect(live.status).toBe(200);
      expect(live.body).toMatchObject({ status: 'ok', version: '0.0.0-test', uptime: expect.any(Number) });
      const ready = await h.http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({
        status: 'ready',
        database: backend,
        checks: { database: { status: 'up', ms: expect.any(Number) } },
      });
    });
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
            .set('If-Match', await etagOf(caseA.id))
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
            await expectAudit(del, 'member.remove', 'success', u.id);
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
        await expectAudit(res, spec.action, status < 400 ? 'success' : 'denied', user.id);
      },
    );
  });

  describe('visibility and ethical walls', () => {
    test('when a case is hidden, then reading it is a 404 indistinguishable from a missing case, audited as denied', async () => {
      const hidden = await h.http().get(`/cases/${caseA.id}`).set(bearer(outsider.token));
      const missing = await h.http().get('/cases/999999').set(bearer(outsider.token));
      expectProblem(hidden, 404);
      expectProblem(missing, 404);
      expect(hidden.body.title).toBe(missing.body.title);
      expect(hidden.body.detail).toBe(`No case with id '${caseA.id}'.`);
      await expectAudit(hidden, 'case.read', 'denied', outsider.id);
      await expectAudit(missing, 'case.read', 'failure', outsider.id);
      const list = await h.http().get('/cases').set(bearer(outsider.token));
      expect(list.body.data.map((c: { id: number }) => c.id)).not.toContain(caseA.id);
    });

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
        await expectAudit(denied, 'case.read', 'denied', u.id);
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
      await expectAudit(removed, 'wall.remove', 'success', admin.id);
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
  });

  describe('cases', () => {
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

    test('when PATCH has no If-Match, a stale one or a current one, then 428, 412 and 200 with a new ETag', async () => {
      const etag = await etagOf(caseA.id);
      const missing = await h
        .http()
        .patch(`/cases/${caseA.id}`)
        .set(bearer(attorney.token))
        .send({ title: 'Renamed' });
      expect(expectProblem(missing, 428).detail).toContain(etag);
      await expectAudit(missing, 'case.update', 'failure', attorney.id);
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
      await expectAudit(again, 'case.read', 'success', client.id);
      const changed = await h
        .http()
        .get(`/cases/${caseA.id}`)
        .set(bearer(client.token))
        .set('If-None-Match', '"case-0-v0"');
      expect(changed.status).toBe(200);
    });

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

    test('when listing, then cursor pagination walks every visible case exactly once in the requested order, with filters', async () => {
      const lister = await h.createUser('attorney');
      const titles: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const title = `Paging ${String.fromCharCode(71 - i)} ${i}`;
        titles.push(title);
        await h
          .http()
          .post('/cases')
          .set(bearer(lister.token))
          .send({ title, clientName: i % 2 ? 'Odd Client' : 'Even Client' });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await h
          .http()
          .get('/cases')
          .query({ limit: 3, sort: 'title', ...(cursor ? { cursor } : {}) })
          .set(bearer(lister.token));
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.data.map((c: { title: string }) => c.title));
        cursor = res.body.page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...titles].sort());
      const desc = await h
        .http()
        .get('/cases')
        .query({ sort: '-updated_at', limit: 200 })
        .set(bearer(lister.token));
      expect(desc.body.data.map((c: { title: string }) => c.title)).toEqual([...titles].reverse());
      const odd = await h.http().get('/cases').query({ q: 'odd client' }).set(bearer(lister.token));
      expect(odd.body.data).toHaveLength(3);
      const byNumber = await h
        .http()
        .get('/cases')
        .query({ q: desc.body.data[0].number })
        .set(bearer(lister.token));
      expect(byNumber.body.data.map((c: { id: number }) => c.id)).toEqual([desc.body.data[0].id]);
      const future = await h
        .http()
        .get('/cases')
        .query({ updated_since: '2999-01-01T00:00:00Z' })
        .set(bearer(lister.token));
      expect(future.body.data).toEqual([]);
      const past = await h
        .http()
        .get('/cases')
        .query({ updated_since: '2000-01-01T00:00:00Z', status: 'open,pending' })
        .set(bearer(lister.token));
      expect(past.body.data).toHaveLength(7);
      const closedOnly = await h.http().get('/cases').query({ status: 'closed' }).set(bearer(lister.token));
      expect(closedOnly.body.data).toEqual([]);
      const wildcard = await h.http().get('/cases').query({ q: '%' }).set(bearer(lister.token));
      expect(wildcard.body.data).toEqual([]);
    });

    test('when query parameters are wrong, then 400 names each parameter and what was expected', async () => {
      const res = await h
        .http()
        .get('/cases')
        .query({
          limit: 500,
          sort: 'sideways',
          status: 'archived',
          updated_since: 'yesterday',
          cursor: 'garbage',
          extra: '1',
        })
        .set(bearer(attorney.token));
      const body = expectProblem(res, 400);
      const fields = (body.errors as { field: string; message: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual([
        'query.extra',
        'query.limit',
        'query.sort',
        'query.status.0',
        'query.updated_since',
      ]);
      expect(body.errors).toContainEqual({
        field: 'query.limit',
        message: 'expected an integer between 1 and 200',
      });
      const badCursor = await h.http().get('/cases').query({ cursor: 'garbage' }).set(bearer(attorney.token));
      expect(expectProblem(badCursor, 400).errors).toEqual([
        { field: 'query.cursor', message: 'expected a cursor returned in page.nextCursor' },
      ]);
    });

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

  describe('bad input', () => {
    test('when the JSON is malformed, then 400 problem with a body field error', async () => {
      const res = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .set('Content-Type', 'application/json')
        .send('{"title": "x",');
      expect(expectProblem(res, 400).errors).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    });

    test('when fields have wrong types or are unknown, then 400 lists every field', async () => {
      const res = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 42, clientName: '', clientId: 'seven', admin: true });
      const body = expectProblem(res, 400);
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { field: 'body.title', message: expect.stringContaining('string') },
          { field: 'body.clientName', message: 'expected a non-empty string' },
          { field: 'body.clientId', message: expect.stringContaining('integer') },
          { field: 'body.admin', message: 'unknown field' },
        ]),
      );
      await expectAudit(res, 'case.create', 'failure', attorney.id);
      const notObject = await h.http().post('/cases').set(bearer(attorney.token)).send([1, 2]);
      expect(expectProblem(notObject, 400).errors).toEqual([
        { field: 'body', message: 'expected a JSON object' },
      ]);
    });

    test('when a path id is long or holds control characters, then 404 and the audit row keeps a printable, bounded id', async () => {
      const raw = `${'9'.repeat(80)}%00%0A`;
      const res = await h.http().get(`/cases/${raw}`).set(bearer(attorney.token));
      expectProblem(res, 404);
      const rows = await h.auditOf(res.headers['x-request-id'] as string);
      expect(rows[0]).toMatchObject({ action: 'case.read', outcome: 'failure', entity_id: '9'.repeat(64) });
    });

    test('when the body is larger than BODY_LIMIT, then 413', async () => {
      const res = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .send({ title: 'big', clientName: 'c', description: 'x'.repeat(200 * 1024) });
      expect(expectProblem(res, 413).errors).toEqual([{ field: 'body', message: 'expected at most 100kb' }]);
    });

    test('when text holds SQL injection, then it is stored and returned verbatim and the tables are intact', async () => {
      const evil = ["Robert'); DROP TABLE cases;--", "' OR '1'='1", '1; DELETE FROM audit_events', '%_\\'];
      for (const text of evil) {
        const res = await h
          .http()
          .post('/cases')
          .set(bearer(attorney.token))
          .send({ title: text, clientName: text, description: text });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ title: text, clientName: text, description: text });
        const back = await h.http().get(`/cases/${res.body.id}`).set(bearer(attorney.token));
        expect(back.body.title).toBe(text);
        const raw = await h.db.one<{ title: string }>('SELECT title FROM cases WHERE id = :id', {
          id: res.body.id,
        });
        expect(raw?.title).toBe(text);
        const search = await h.http().get('/cases').query({ q: text }).set(bearer(attorney.token));
        expect(search.body.data.map((c: { id: number }) => c.id)).toContain(res.body.id);
      }
      const count = await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases');
      expect(Number(count?.n)).toBeGreaterThan(0);
      const login = await h
        .http()
        .post('/auth/login')
        .send({ email: "admin'--@x.legal", password: "' OR 1=1 --" });
      expectProblem(login, 401);
    });

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
        await expectAudit(res, 'case.list', 'denied', null);
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
      await expectAudit(me, 'user.read', 'denied', null);
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

  describe('authentication', () => {
    test('when a refresh token is used, then it rotates; using the old one again revokes the whole family', async () => {
      const u = await h.createUser('client');
      const first = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body.refreshToken).not.toBe(u.refreshToken);
      expect((await h.http().get('/users/me').set(bearer(first.body.accessToken))).status).toBe(200);
      const reuse = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      expectProblem(reuse, 401);
      await expectAudit(reuse, 'auth.refresh', 'denied', u.id);
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
      await expectAudit(out, 'auth.logout', 'success', u.id);
      expectProblem(await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken }), 401);
    });

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

  describe('users', () => {
    test('when an admin creates, lists and changes users, then duplicates are 409 and roles apply at once', async () => {
      const email = `Mixed.Case-${Date.now()}@Example.legal`;
      const created = await h
        .http()
        .post('/users')
        .set(bearer(admin.token))
        .send({ email, name: 'Pat', role: 'paralegal', password: 'correct horse battery' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: email.toLowerCase(), role: 'paralegal', active: true });
      expect(created.body).not.toHaveProperty('passwordHash');
      const hash = await h.db.one<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = :id',
        { id: created.body.id },
      );
      expect(hash?.password_hash).toMatch(/^\$argon2id\$v=19\$/);
      expect(hash?.password_hash).toContain('m=1024');
      expect(hash?.password_hash).toContain('t=2');
      expectProblem(
        await h.http().post('/users').set(bearer(admin.token)).send({
          email: email.toUpperCase(),
          name: 'Dup',
          role: 'client',
          password: 'correct horse battery',
        }),
        409,
      );
      const short = await h
        .http()
        .post('/users')
        .set(bearer(admin.token))
        .send({ email: 'x@y.legal', name: 'S', role: 'boss', password: 'short' });
      expect(expectProblem(short, 400).errors).toEqual(
        expect.arrayContaining([
          { field: 'body.role', message: 'expected one of admin, attorney, paralegal, client, auditor' },
          { field: 'body.password', message: 'expected at least 12 characters' },
        ]),
      );
      const { token } = await h.login(email, 'correct horse battery');
      expect(
        (await h.http().post('/cases').set(bearer(token)).send({ title: 't', clientName: 'c' })).status,
      ).toBe(403);
      await h.http().patch(`/users/${created.body.id}`).set(bearer(admin.token)).send({ role: 'attorney' });
      expect(
        (await h.http().post('/cases').set(bearer(token)).send({ title: 't', clientName: 'c' })).status,
      ).toBe(201);
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await h
          .http()
          .get('/users')
          .query({ limit: 4, ...(cursor ? { cursor } : {}) })
          .set(bearer(admin.token));
        ids.push(...page.body.data.map((u: { id: number }) => u.id));
        cursor = page.body.page.nextCursor;
      } while (cursor);
      const count = await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM users');
      expect(ids).toHaveLength(Number(count?.n));
      expectProblem(
        await h.http().patch(`/users/${admin.id}`).set(bearer(admin.token)).send({ active: false }),
        409,
      );
      expectProblem(
        await h.http().patch('/users/999999').set(bearer(admin.token)).send({ active: false }),
        404,
      );
      expect(
        expectProblem(
          await h.http().patch(`/users/${created.body.id}`).set(bearer(admin.token)).send({}),
          400,
        ).errors,
      ).toEqual([{ field: 'body', message: 'expected at least one of name, role, active' }]);
    });
  });

  describe('audit trail', () => {
    test('when filtering the audit trail, then only matching events come back, newest first', async () => {
      const res = await h
        .http()
        .get('/audit')
        .query({ actor: String(outsider.id), action: 'case.read', outcome: 'denied' })
        .set(bearer(auditor.token));
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThan(0);
      for (const e of res.body.data)
        expect(e).toMatchObject({ actorId: outsider.id, action: 'case.read', outcome: 'denied' });
      const ids = res.body.data.map((e: { id: number }) => e.id);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
      const range = await h
        .http()
        .get('/audit')
        .query({ from: '2999-01-01T00:00:00Z' })
        .set(bearer(auditor.token));
      expect(range.body.data).toEqual([]);
      const byEntity = await h
        .http()
        .get('/audit')
        .query({ entity: 'case', entity_id: String(caseA.id), limit: 200 })
        .set(bearer(admin.token));
      expect(byEntity.body.data.every((e: { entityId: string }) => e.entityId === String(caseA.id))).toBe(
        true,
      );
      expectProblem(await h.http().get('/audit').query({ from: 'last week' }).set(bearer(admin.token)), 400);
    });

    test('when many requests run at once, then each gets exactly its own audit event (group commit)', async () => {
      const responses = await Promise.all(
        Array.from({ length: 30 }, () => h.http().get('/cases?limit=5').set(bearer(paralegal.token))),
      );
      for (const res of responses) {
        expect(res.status).toBe(200);
        await expectAudit(res, 'case.list', 'success', paralegal.id);
      }
    });

    test('when one event of a batch is refused by the database, then the others are still written', async () => {
      const base = {
        actorId: admin.id,
        action: 'test.batch',
        entity: 'case',
        entityId: null,
        status: 200,
        ip: '127.0.0.1',
      };
      const results = await Promise.allSettled([
        h.services.audit.record({ ...base, outcome: 'success', requestId: 'batch-ok-1' }),
        h.services.audit.record({ ...base, outcome: 'bogus' as 'success', requestId: 'batch-bad' }),
        h.services.audit.record({ ...base, outcome: 'denied', requestId: 'batch-ok-2' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await h.auditOf('batch-ok-1')).toHaveLength(1);
      expect(await h.auditOf('batch-ok-2')).toHaveLength(1);
      expect(await h.auditOf('batch-bad')).toHaveLength(0);
    });

    test('when anyone tries to UPDATE or DELETE audit events, then the database refuses', async () => {
      const refusal = (sql: string, params = {}) =>
        h.db.run(sql, params).then(
          () => 'accepted',
          (err: { original?: Error; message: string }) => (err.original ?? err).message,
        );
      expect(await refusal('UPDATE audit_events SET outcome = :o', { o: 'success' })).toMatch(
        /append-only: UPDATE refused/,
      );
      expect(await refusal('DELETE FROM audit_events')).toMatch(/append-only: DELETE refused/);
      if (backend === 'postgres')
        expect(await refusal('TRUNCATE audit_events')).toMatch(/append-only: TRUNCATE refused/);
      const n = await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_events');
      expect(Number(n?.n)).toBeGreaterThan(0);
    });

    test('when rows break a foreign key or a unique constraint, then the database refuses them', async () => {
      const now = new Date();
      await expect(
        h.db.run(
          'INSERT INTO case_members (case_id, user_id, role, added_by, added_at) VALUES (:c, 999999, :r, :a, :now)',
          { c: caseA.id, r: 'client', a: admin.id, now },
        ),
      ).rejects.toThrow();
      await expect(
        h.db.run(
          "INSERT INTO users (email, name, password_hash, role, active, failed_logins, created_at, updated_at) VALUES (:e, 'n', 'h', 'client', :t, 0, :now, :now)",
          { e: admin.email, t: true, now },
        ),
      ).rejects.toThrow();
      await expect(
        h.db.run("UPDATE cases SET status = 'archived' WHERE id = :id", { id: caseA.id }),
      ).rejects.toThrow();
    });
  });

  describe('documentation, headers and logs', () => {
    test('when the database is unreachable, then /health/ready answers 503 while /health stays 200', async () => {
      const other = await startHarness(backend);
      await other.db.close();
      const ready = await other.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 503,
        detail: 'Not ready: database (database-unavailable).',
        checks: { database: { status: 'down', problem: 'database-unavailable' } },
      });
      expect((await other.http().get('/health')).status).toBe(200);
      await other.close();
    });

    test('when /openapi.json is read, then it is OpenAPI 3.1 and lists exactly the routes Express serves', async () => {
      const doc = (await h.http().get('/openapi.json')).body as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(doc.openapi).toBe('3.1.0');
      const documented = Object.entries(doc.paths)
        .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
        .sort();
      const served: string[] = [];
      const walk = (stack: unknown[]) => {
        for (const layer of stack as {
          route?: { path: string; methods: Record<string, boolean> };
          handle?: { stack?: unknown[] };
        }[]) {
          if (layer.route) {
            // `_all`: the 405 answers for methods no route serves on a known path.
            for (const m of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
              served.push(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
          } else if (layer.handle?.stack) walk(layer.handle.stack);
        }
      };
      walk((h.app as unknown as { router: { stack: unknown[] } }).router.stack);
      expect(documented).toEqual(served.sort());
      const docs = await h.http().get('/docs/');
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('swagger-ui');
    });

    test('when any response is sent, then helmet headers and a request id are set; a sane incoming id is kept', async () => {
      const res = await h.http().get('/health').set('X-Request-Id', 'trace-abc_123');
      expect(res.headers['x-request-id']).toBe('trace-abc_123');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
      const weird = await h.http().get('/health').set('X-Request-Id', 'bad id with spaces');
      expect(weird.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expectProblem(await h.http().get('/nowhere'), 404);
    });

    test('when requests carry passwords and tokens, then none of them reaches the logs', async () => {
      const u = await h.createUser('client');
      const refreshed = await h.http().post('/auth/refresh').send({ refreshToken: u.refreshToken });
      await h.http().get('/users/me').set(bearer(refreshed.body.accessToken));
      await h.http().post('/auth/login').send({ email: u.email, password: 'wrong-but-secret-password' });
      const all = h.logs.join('');
      expect(all).toContain('request completed');
      for (const secret of [
        u.password,
        u.token,
        u.refreshToken,
        refreshed.body.accessToken,
        refreshed.body.refreshToken,
        'wrong-but-secret-password',
        JWT_SECRET,
      ]) {
        expect(all).not.toContain(secret);
      }
      expect(all.toLowerCase()).not.toContain('bearer ');
    });
  });
});
