import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { createLogger } from '../src/logger.js';
import { backends, startHarness, type Harness, type TestUser } from './helpers/harness.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Cursors built by hand (base64url JSON `[value, id]`), independently of the service's encoder. */
const cursorOf = (value: unknown, id: number) =>
  Buffer.from(JSON.stringify([value, id])).toString('base64url');

function expectProblem(res: Response, status: number, field?: string, message?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.any(String) });
  if (field !== undefined)
    expect(res.body.errors).toContainEqual(
      message === undefined ? expect.objectContaining({ field }) : { field, message },
    );
}

describe.each(await backends())('review fixes on %s', (backend) => {
  let h: Harness;
  let admin: TestUser, admin2: TestUser, attorney: TestUser, paralegal: TestUser, client: TestUser;

  beforeAll(async () => {
    h = await startHarness(backend);
    admin = await h.createUser('admin');
    admin2 = await h.createUser('admin');
    attorney = await h.createUser('attorney');
    paralegal = await h.createUser('paralegal');
    client = await h.createUser('client');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A new case of `owner` with `client` as client and `paralegal` as member. */
  async function newCase(owner: TestUser, title = 'Review v. Fixes'): Promise<number> {
    const res = await h
      .http()
      .post('/cases')
      .set(bearer(owner.token))
      .send({ title, clientName: 'Client Ltd', clientId: client.id });
    expect(res.status).toBe(201);
    const id = res.body.id as number;
    const member = await h
      .http()
      .post(`/cases/${id}/members`)
      .set(bearer(owner.token))
      .send({ userId: paralegal.id, role: 'paralegal' });
    expect(member.status).toBe(201);
    return id;
  }
  const etagOf = async (id: number) =>
    (await h.http().get(`/cases/${id}`).set(bearer(admin.token))).headers.etag as string;
  const patch = async (who: TestUser, id: number, body: Record<string, unknown>) =>
    h
      .http()
      .patch(`/cases/${id}`)
      .set(bearer(who.token))
      .set('If-Match', await etagOf(id))
      .send(body);
  /** Members read straight from the table, not through the API. */
  const membersInDb = async (id: number) =>
    (
      await h.db.all('SELECT user_id, role FROM case_members WHERE case_id = :id ORDER BY user_id', { id })
    ).map((r) => ({ userId: Number(r.user_id), role: r.role }));

  describe('A6: the audit trail behind a wall', () => {
    test('when an admin is walled off a case, then /audit leaves out the events of that case and its documents', async () => {
      const id = await newCase(attorney, 'Walled audit');
      const other = await newCase(attorney, 'Open audit');
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

  describe('A1: a walled administrator and the wall endpoints', () => {
    test('when an admin is walled off, then every wall endpoint answers the hidden 404 and the case stays hidden', async () => {
      const id = await newCase(attorney);
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
  });

  describe('A2/A3: a demoted responsible attorney', () => {
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

  describe('A4/A5: changing the responsible attorney or the client', () => {
    test('when a paralegal or a non-responsible attorney member changes either field, then 403 names the field', async () => {
      const id = await newCase(attorney);
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
      const id = await newCase(attorney);
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
      const id = await newCase(attorney);
      const newClient = await h.createUser('client');
      const etag = await etagOf(id);
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
      const id = await newCase(attorney);
      const walled = await h.createUser('client');
      await h
        .http()
        .post(`/cases/${id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: walled.id, reason: 'x' });
      const before = await etagOf(id);
      expectProblem(await patch(attorney, id, { clientId: walled.id }), 409, 'body.clientId');
      expect(await etagOf(id)).toBe(before);
      expect((await membersInDb(id)).map((m) => m.userId)).not.toContain(walled.id);
    });

    test('when an admin hands the case to another attorney, then the former one loses it', async () => {
      const id = await newCase(attorney);
      const successor = await h.createUser('attorney');
      const res = await patch(admin, id, { responsibleAttorneyId: successor.id });
      expect(res.status).toBe(200);
      expect((await h.http().get(`/cases/${id}`).set(bearer(successor.token))).status).toBe(200);
      expectProblem(await h.http().get(`/cases/${id}`).set(bearer(attorney.token)), 404);
    });
  });

  describe('N1: NUL characters', () => {
    const NUL = 'expected no NUL characters';
    test('when a body string holds a NUL, then 400 names the field', async () => {
      const id = await newCase(attorney);
      expectProblem(
        await h
          .http()
          .post('/cases')
          .set(bearer(attorney.token))
          .send({ title: 'a\u0000b', clientName: 'C' }),
        400,
        'body.title',
        NUL,
      );
      expectProblem(
        await h
          .http()
          .post('/cases')
          .set(bearer(attorney.token))
          .send({ title: 'ok', clientName: 'C', description: 'x\u0000' }),
        400,
        'body.description',
        NUL,
      );
      expectProblem(await patch(attorney, id, { clientName: '\u0000' }), 400, 'body.clientName', NUL);
      expectProblem(
        await h.http().post('/users').set(bearer(admin.token)).send({
          email: 'nul@test.legal',
          name: 'N\u0000',
          role: 'client',
          password: 'long-enough-password',
        }),
        400,
        'body.name',
        NUL,
      );
      expectProblem(
        await h
          .http()
          .post(`/cases/${id}/parties`)
          .set(bearer(attorney.token))
          .send({ role: 'witness', name: 'W\u0000' }),
        400,
        'body.name',
        NUL,
      );
      expectProblem(
        await h
          .http()
          .post(`/cases/${id}/parties`)
          .set(bearer(attorney.token))
          .send({ role: 'witness', name: 'W', notes: '\u0000' }),
        400,
        'body.notes',
        NUL,
      );
      expectProblem(
        await h
          .http()
          .post('/conflicts/check')
          .set(bearer(attorney.token))
          .send({ names: ['A\u0000B'] }),
        400,
        'body.names.0',
        NUL,
      );
    });

    test('when a query string holds a NUL, then 400 names it', async () => {
      expectProblem(await h.http().get('/cases?q=a%00b').set(bearer(attorney.token)), 400, 'query.q', NUL);
      expectProblem(
        await h.http().get('/cases?cursor=%00').set(bearer(attorney.token)),
        400,
        'query.cursor',
        'expected a cursor returned in page.nextCursor',
      );
      expectProblem(
        await h.http().get('/audit?entity=%00').set(bearer(admin.token)),
        400,
        'query.entity',
        NUL,
      );
      const hidden = cursorOf('a\u0000', 1);
      expectProblem(
        await h.http().get('/cases').query({ sort: 'title', cursor: hidden }).set(bearer(attorney.token)),
        400,
        'query.cursor',
      );
    });
  });

  describe('S1: duplicate e-mail races and error logs', () => {
    test('when four requests create one e-mail at once, then one 201, three 409 on body.email, and no hash in the logs', async () => {
      const email = `race-${backend}@test.legal`;
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          h
            .http()
            .post('/users')
            .set(bearer(admin.token))
            .send({ email, name: `Racer ${n}`, role: 'client', password: `racing-password-${n}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409))
        expectProblem(r, 409, 'body.email', 'already in use');
      const rows = await h.db.all('SELECT id FROM users WHERE email = :email', { email });
      expect(rows).toHaveLength(1);
      expect(h.logs.join('')).not.toContain('$argon2');
    });

    test('when a database error is logged, then only name, message and stack are kept', async () => {
      const err = await h.db
        .all("SELECT * FROM no_such_table WHERE secret = '$argon2id$v=19$m=1024$leak'")
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      // The raw error carries more than name, message and stack (its SQLSTATE or SQLite result code at least).
      expect(Object.keys(err as object)).toContain('code');
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      createLogger('info', sink).error({ err }, 'failed');
      const logged = JSON.parse(lines.join('')) as { err: Record<string, unknown> };
      expect(Object.keys(logged.err).sort()).toEqual(['message', 'name', 'stack', 'type']);
      expect(lines.join('')).not.toContain('$argon2');
    });
  });

  describe('N2: body-parser client errors', () => {
    test('when a gzip body does not decompress, then 400 on body, not 500', async () => {
      const res = await h
        .http()
        .post('/cases')
        .set(bearer(attorney.token))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('x');
      expectProblem(res, 400, 'body');
      // A well-formed gzip body is still accepted (sent with fetch: supertest mangles binary bodies).
      const server = h.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const ok = await fetch(`http://127.0.0.1:${port}/cases`, {
          method: 'POST',
          headers: {
            ...bearer(attorney.token),
            'Content-Type': 'application/json',
            'Content-Encoding': 'gzip',
          },
          body: gzipSync(JSON.stringify({ title: 'Zipped', clientName: 'Z' })),
        });
        expect(ok.status).toBe(201);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('N3: cursor values checked against the sort', () => {
    test('when a cursor value does not fit the sort field, then 400 on query.cursor', async () => {
      const bad: [string, unknown][] = [
        ['updated_at', 'not a date'],
        ['-created_at', 12345],
        ['created_at', null],
        ['title', 42],
        ['number', null],
      ];
      for (const [sort, value] of bad) {
        const res = await h
          .http()
          .get('/cases')
          .query({ sort, cursor: cursorOf(value, 1) })
          .set(bearer(admin.token));
        expectProblem(res, 400, 'query.cursor', 'expected a cursor returned in page.nextCursor');
      }
      const good = await h
        .http()
        .get('/cases')
        .query({ sort: 'updated_at', cursor: cursorOf('2000-01-01T00:00:00.000Z', 0) })
        .set(bearer(admin.token));
      expect(good.status).toBe(200);
      expect(good.body.data.length).toBeGreaterThan(0);
    });
  });
});
