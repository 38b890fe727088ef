import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer } from './helpers/api.js';
import { backends, cast, type TestUser } from './helpers/harness.js';

/** Test titles: the payload as JSON with long strings and arrays cut short. */
const abridge = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 20
      ? `${v.slice(0, 8)}…(${v.length} chars)`
      : Array.isArray(v) && v.length > 5
        ? [`…${v.length} items`]
        : v,
  );
const titled = <T extends unknown[]>(rows: [Record<string, unknown>, ...T][]) =>
  rows.map(
    ([payload, ...rest]) =>
      [`${abridge(payload)}, then 400 names ${String(rest[0])}`, payload, ...rest] as [
        string,
        Record<string, unknown>,
        ...T,
      ],
  );

function expectProblem(res: Response, status: number, field?: string, message?: string | RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (field !== undefined) {
    const errors = res.body.errors as { field: string; message: string }[];
    const hit = errors.find((e) => e.field === field);
    expect(hit).toBeDefined();
    if (message !== undefined) expect(hit!.message).toMatch(message);
  }
}

describe.each(await backends())('parties and conflict checks on %s', (backend) => {
  const { h, admin, attorney, walled, outsider, paralegal, client } = cast(backend, {
    admin: 'admin',
    attorney: 'attorney',
    walled: ['attorney', 'Walled Attorney'],
    outsider: ['attorney', 'Outside Attorney'],
    paralegal: 'paralegal',
    client: 'client',
  });
  let caseX: { id: number; number: string; title: string };
  let caseY: { id: number; number: string };

  const openCase = async (u: TestUser, title: string, clientName: string) => {
    const res = await h.http().post('/cases').set(bearer(u.token)).send({ title, clientName });
    expect(res.status).toBe(201);
    return res.body as { id: number; number: string; title: string };
  };
  const addParty = async (u: TestUser, caseId: number, party: Record<string, unknown>) => {
    const res = await h.http().post(`/cases/${caseId}/parties`).set(bearer(u.token)).send(party);
    expect(res.status).toBe(201);
    return res.body as { id: number };
  };
  const check = (u: TestUser, names: unknown) =>
    h.http().post('/conflicts/check').set(bearer(u.token)).send({ names });

  beforeAll(async () => {
    caseX = await openCase(attorney, 'Stark v. Globex', 'Stark Industries');
    caseY = await openCase(outsider, 'Initech matter', 'Initech LLC');
    await addParty(attorney, caseX.id, {
      role: 'opposing_party',
      kind: 'organisation',
      name: 'Globex Corporation',
    });
    await addParty(attorney, caseX.id, { role: 'witness', name: 'Hank Scorpio' });
    for (const u of [paralegal, client]) {
      const res = await h
        .http()
        .post(`/cases/${caseX.id}/members`)
        .set(bearer(attorney.token))
        .send({ userId: u.id });
      expect(res.status).toBe(201);
    }
    const wall = await h
      .http()
      .post(`/cases/${caseX.id}/walls`)
      .set(bearer(admin.token))
      .send({ userId: walled.id, reason: 'previously acted for Globex' });
    expect(wall.status).toBe(201);
  });

  describe('parties', () => {
    test('when the responsible attorney adds, reads, changes and removes a party, then each step answers and is audited', async () => {
      const created = await h.http().post(`/cases/${caseX.id}/parties`).set(bearer(attorney.token)).send({
        role: 'opposing_counsel',
        name: '  Lionel Hutz ',
        email: 'hutz@example.com',
        phone: '+1 (555) 010-2030',
        address: '123 Fake Street',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        caseId: caseX.id,
        role: 'opposing_counsel',
        kind: 'person',
        name: 'Lionel Hutz',
        email: 'hutz@example.com',
        notes: null,
        createdBy: attorney.id,
      });
      const pid = created.body.id as number;
      expect(created.headers.location).toBe(`/cases/${caseX.id}/parties/${pid}`);
      const audit = await h.auditOf(created.headers['x-request-id'] as string);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'party.create',
        entity: 'case',
        entity_id: String(caseX.id),
        outcome: 'success',
      });

      const list = await h.http().get(`/cases/${caseX.id}/parties`).set(bearer(client.token));
      expect(list.status).toBe(200);
      expect((list.body.data as { name: string }[]).map((p) => p.name)).toEqual([
        'Globex Corporation',
        'Hank Scorpio',
        'Lionel Hutz',
      ]);
      const one = await h.http().get(`/cases/${caseX.id}/parties/${pid}`).set(bearer(paralegal.token));
      expect(one.body).toEqual(created.body);

      const patched = await h
        .http()
        .patch(`/cases/${caseX.id}/parties/${pid}`)
        .set(bearer(paralegal.token))
        .send({ notes: 'Prefers fax', email: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ notes: 'Prefers fax', email: null, name: 'Lionel Hutz' });

      const removed = await h.http().delete(`/cases/${caseX.id}/parties/${pid}`).set(bearer(attorney.token));
      expect(removed.status).toBe(204);
      expectProblem(await h.http().get(`/cases/${caseX.id}/parties/${pid}`).set(bearer(attorney.token)), 404);
      expectProblem(
        await h.http().delete(`/cases/${caseX.id}/parties/${pid}`).set(bearer(attorney.token)),
        404,
      );
    });

    test('when callers outside the case, behind its wall or with a read-only role act on parties, then the case rules apply', async () => {
      for (const u of [outsider, walled]) {
        const res = await h.http().get(`/cases/${caseX.id}/parties`).set(bearer(u.token));
        expectProblem(res, 404);
        const audit = await h.auditOf(res.headers['x-request-id'] as string);
        expect(audit[0]).toMatchObject({ action: 'party.list', outcome: 'denied' });
      }
      const wallRes = await h.http().get(`/cases/${caseX.id}/parties`).set(bearer(walled.token));
      expect(
        JSON.parse(String((await h.auditOf(wallRes.headers['x-request-id'] as string))[0]!.details)),
      ).toEqual({
        reason: 'ethical-wall',
      });
      expectProblem(
        await h
          .http()
          .post(`/cases/${caseX.id}/parties`)
          .set(bearer(client.token))
          .send({ role: 'witness', name: 'X' }),
        403,
      );
      expectProblem(await h.http().get(`/cases/${caseX.id}/parties`), 401);
      // a party id of another case is not found through this case
      const other = await addParty(outsider, caseY.id, { role: 'witness', name: 'Milton Waddams' });
      expectProblem(
        await h.http().get(`/cases/${caseX.id}/parties/${other.id}`).set(bearer(admin.token)),
        404,
      );
      expectProblem(await h.http().get(`/cases/${caseX.id}/parties/abc`).set(bearer(admin.token)), 404);
    });

    test.each(
      titled<[string, RegExp]>([
        [{ role: 'witness', name: '' }, 'body.name', /non-empty/],
        [{ role: 'witness', name: '   ' }, 'body.name', /non-empty/],
        [{ role: 'witness', name: 'x'.repeat(301) }, 'body.name', /at most 300 characters/],
        [
          { role: 'judge', name: 'Judge Dredd' },
          'body.role',
          /client, opposing_party, opposing_counsel, witness/,
        ],
        [{ name: 'No Role' }, 'body.role', /client, opposing_party/],
        [{ role: 'witness', name: 'A', kind: 'robot' }, 'body.kind', /person, organisation/],
        [{ role: 'witness', name: 'A', email: 'not-an-email' }, 'body.email', /e-mail/],
        [{ role: 'witness', name: 'A', phone: 'call me' }, 'body.phone', /telephone number/],
        [{ role: 'witness', name: 'A', notes: 'x'.repeat(10_001) }, 'body.notes', /at most 10000/],
        [{ role: 'witness', name: 42 }, 'body.name', /string/],
        [{ role: 'witness', name: 'A', caseId: 9 }, 'body.caseId', /unknown field/],
      ]),
    )('when a party is posted as %s', async (_title, payload, field, message) => {
      const res = await h.http().post(`/cases/${caseX.id}/parties`).set(bearer(attorney.token)).send(payload);
      expectProblem(res, 400, field, message);
    });

    test('when a party is patched with nothing or a too-long name, then 400 names the body or the field', async () => {
      const p = await addParty(attorney, caseX.id, { role: 'witness', name: 'Patch Target' });
      const url = `/cases/${caseX.id}/parties/${p.id}`;
      expectProblem(
        await h.http().patch(url).set(bearer(attorney.token)).send({}),
        400,
        'body',
        /at least one field/,
      );
      expectProblem(
        await h
          .http()
          .patch(url)
          .set(bearer(attorney.token))
          .send({ name: 'y'.repeat(301) }),
        400,
        'body.name',
        /at most 300/,
      );
      await h.http().delete(url).set(bearer(attorney.token));
    });
  });

  describe('conflict checks', () => {
    test('when the responsible attorney checks a near spelling, then the hit shows the party, its case and a score, and the check is recorded', async () => {
      const res = await check(attorney, ['GLOBEX Corp.', 'Nobody Atall']);
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/conflicts/${res.body.id}`);
      expect(res.body).toMatchObject({
        requestedBy: attorney.id,
        names: ['GLOBEX Corp.', 'Nobody Atall'],
        status: 'pending',
        restrictedHits: 0,
        threshold: 0.85,
      });
      expect(res.body.hits).toEqual([
        {
          query: 'GLOBEX Corp.',
          score: 1,
          restricted: false,
          caseId: caseX.id,
          caseNumber: caseX.number,
          caseTitle: 'Stark v. Globex',
          caseStatus: 'open',
          partyId: expect.any(Number),
          partyName: 'Globex Corporation',
          role: 'opposing_party',
          kind: 'organisation',
        },
      ]);
      const row = await h.db.one<Record<string, unknown>>('SELECT * FROM conflict_checks WHERE id = :id', {
        id: res.body.id,
      });
      expect(row).toMatchObject({ status: 'pending', requested_by: attorney.id, hit_count: 1 });
      expect(JSON.parse(String(row!.names))).toEqual(['GLOBEX Corp.', 'Nobody Atall']);
      const audit = await h.auditOf(res.headers['x-request-id'] as string);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'conflict.check',
        entity: 'conflict_check',
        entity_id: String(res.body.id),
        outcome: 'success',
        status: 201,
      });
    });

    test('when a name is a near spelling of a party, then it is a hit with a score below 1 but at least the threshold', async () => {
      const res = await check(attorney, ['Hank Scorpion']);
      expect(res.body.hits).toHaveLength(1);
      expect(res.body.hits[0]).toMatchObject({
        partyName: 'Hank Scorpio',
        role: 'witness',
        caseId: caseX.id,
      });
      expect(res.body.hits[0].score).toBeGreaterThanOrEqual(0.85);
      expect(res.body.hits[0].score).toBeLessThan(1);
    });

    test("when a case's own client name matches, then the hit has the client role and no party id", async () => {
      const res = await check(attorney, ['stark industries inc']);
      expect(res.body.hits).toContainEqual(
        expect.objectContaining({
          caseId: caseX.id,
          partyId: null,
          partyName: 'Stark Industries',
          role: 'client',
          score: 1,
        }),
      );
    });

    test('when the same client is both the case client name and a client party, then the check lists one hit, the party', async () => {
      const c = await openCase(attorney, 'Duplicate client', 'Umbrella Corporation');
      const party = await addParty(attorney, c.id, {
        role: 'client',
        kind: 'organisation',
        name: 'Umbrella Corp.',
      });
      const res = await check(attorney, ['umbrella corporation']);
      const onCase = (res.body.hits as { caseId: number; partyId: number | null }[]).filter(
        (x) => x.caseId === c.id,
      );
      expect(onCase).toEqual([expect.objectContaining({ partyId: party.id, role: 'client', score: 1 })]);
    });

    test('when a caller walled off from the case (or without access) checks, then the hit is there without its details', async () => {
      for (const u of [walled, outsider]) {
        const res = await check(u, ['Globex Corporation']);
        expect(res.status).toBe(201);
        expect(res.body.hitCount).toBe(1);
        expect(res.body.restrictedHits).toBe(1);
        expect(res.body.hits).toEqual([{ query: 'Globex Corporation', restricted: true }]);
        const text = JSON.stringify(res.body);
        expect(text).not.toContain(caseX.number);
        expect(text).not.toContain('Stark');
        expect(text).not.toContain('opposing_party');
        // the record keeps the full hit, for whoever may see it
        const full = await h.http().get(`/conflicts/${res.body.id}`).set(bearer(admin.token));
        expect(full.body.hits[0]).toMatchObject({
          restricted: false,
          caseId: caseX.id,
          partyName: 'Globex Corporation',
        });
      }
      const adminView = await check(admin, ['Globex Corporation']);
      expect(adminView.body.hits[0]).toMatchObject({ restricted: false, caseId: caseX.id });
    });

    test('when a caller checks an exact and a near spelling of a name on a case they may not see, then both answers are alike: one restricted entry per name, no score, after the visible hits', async () => {
      // Two parties whose names normalise alike: two hits of score 1 for the exact name.
      await addParty(attorney, caseX.id, { role: 'witness', name: 'Walled Witness' });
      await addParty(attorney, caseX.id, { role: 'opposing_party', name: 'Witness, Walled' });
      const exact = await check(outsider, ['Walled Witness']);
      const near = await check(outsider, ['Walled Witnes']);
      for (const [res, query] of [
        [exact, 'Walled Witness'],
        [near, 'Walled Witnes'],
      ] as const) {
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ hitCount: 1, restrictedHits: 1 });
        expect(res.body.hits).toEqual([{ query, restricted: true }]);
        expect(JSON.stringify(res.body)).not.toContain('score');
      }
      // The record keeps both hits and their scores, for an administrator.
      const full = await h.http().get(`/conflicts/${exact.body.id}`).set(bearer(admin.token));
      expect(full.body.hits).toEqual([
        expect.objectContaining({ score: 1, restricted: false, partyName: 'Walled Witness' }),
        expect.objectContaining({ score: 1, restricted: false, partyName: 'Witness, Walled' }),
      ]);
      // Listed first and scoring 1, the restricted name still comes after the caller's own, lower hit.
      const mixed = await check(outsider, ['Walled Witness', 'Initeck Inc.']);
      expect(mixed.body.hits).toEqual([
        expect.objectContaining({ query: 'Initeck Inc.', restricted: false, caseId: caseY.id }),
        { query: 'Walled Witness', restricted: true },
      ]);
      expect(mixed.body.hits[0].score).toBeLessThan(1);
    });

    test('when a check has hits the caller may not see, then only an administrator may decide it', async () => {
      const res = await check(walled, ['Hank Scorpio']);
      expect(res.body.restrictedHits).toBe(1);
      const denied = await h
        .http()
        .post(`/conflicts/${res.body.id}/decision`)
        .set(bearer(walled.token))
        .send({ decision: 'cleared', reason: 'not the same person' });
      expectProblem(denied, 403);
      expect(denied.body.detail).toMatch(/administrator/);
      const decided = await h
        .http()
        .post(`/conflicts/${res.body.id}/decision`)
        .set(bearer(admin.token))
        .send({ decision: 'waived', reason: 'informed consent of both clients on file' });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({
        status: 'waived',
        reason: 'informed consent of both clients on file',
        decidedBy: admin.id,
        decidedAt: expect.any(String),
      });
    });

    test('when a check is decided, then the decision is recorded once, audited, and a second decision is refused', async () => {
      const created = await check(attorney, ['Brand New Client GmbH']);
      expect(created.body.hits).toEqual([]);
      const url = `/conflicts/${created.body.id}/decision`;
      const res = await h
        .http()
        .post(url)
        .set(bearer(attorney.token))
        .send({ decision: 'cleared', reason: 'no hits' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cleared', reason: 'no hits', decidedBy: attorney.id });
      const row = await h.db.one<Record<string, unknown>>(
        'SELECT status, reason, decided_by FROM conflict_checks WHERE id = :id',
        {
          id: created.body.id,
        },
      );
      expect(row).toMatchObject({ status: 'cleared', reason: 'no hits', decided_by: attorney.id });
      const audit = await h.auditOf(res.headers['x-request-id'] as string);
      expect(audit[0]).toMatchObject({
        action: 'conflict.decide',
        entity_id: String(created.body.id),
        outcome: 'success',
      });
      expect(JSON.parse(String(audit[0]!.details))).toEqual({ decision: 'cleared' });
      const again = await h
        .http()
        .post(url)
        .set(bearer(attorney.token))
        .send({ decision: 'waived', reason: 'changed mind' });
      expectProblem(again, 409);
      expect(again.body.detail).toContain('already decided: cleared');
      // someone else's check is hidden from another attorney
      expectProblem(await h.http().get(`/conflicts/${created.body.id}`).set(bearer(outsider.token)), 404);
      expectProblem(
        await h.http().post(url).set(bearer(outsider.token)).send({ decision: 'cleared', reason: 'x' }),
        404,
      );
      expectProblem(await h.http().get('/conflicts/999999').set(bearer(admin.token)), 404);
    });

    test('when two decisions race, then exactly one is recorded and the other gets 409', async () => {
      const created = await check(attorney, ['Race Condition Ltd']);
      const url = `/conflicts/${created.body.id}/decision`;
      const results = await Promise.all(
        (['cleared', 'waived'] as const).map((decision) =>
          h
            .http()
            .post(url)
            .set(bearer(attorney.token))
            .send({ decision, reason: `race ${decision}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const row = await h.db.one<{ status: string }>('SELECT status FROM conflict_checks WHERE id = :id', {
        id: created.body.id,
      });
      expect(row!.status).toBe(winner.body.status);
    });

    test('when roles that may not open cases run a check, then 403', async () => {
      expectProblem(await check(paralegal, ['Globex']), 403);
      expectProblem(await check(client, ['Globex']), 403);
      expectProblem(
        await h
          .http()
          .post('/conflicts/check')
          .send({ names: ['Globex'] }),
        401,
      );
    });

    test.each(
      titled<[string, RegExp]>([
        [{ names: [] }, 'body.names', /at least one name/],
        [{ names: [''] }, 'body.names.0', /non-empty/],
        [{ names: ['Acme', '   '] }, 'body.names.1', /non-empty/],
        [{ names: ['n'.repeat(301)] }, 'body.names.0', /at most 300 characters/],
        [{ names: ['ok', 'n'.repeat(100_000)] }, 'body.names.1', /at most 300 characters/],
        [{ names: Array.from({ length: 51 }, (_, i) => `Name ${i}`) }, 'body.names', /at most 50 names/],
        [{ names: ['Acme', '...'] }, 'body.names.1', /letter or digit/],
        [{ names: 'Acme' }, 'body.names', /array of names/],
        [{ names: [42] }, 'body.names.0', /string/],
        [{}, 'body.names', /array of names/],
        [{ names: ['Acme'], threshold: 0.1 }, 'body.threshold', /unknown field/],
      ]),
    )('when a check is posted as %s (nothing is recorded)', async (_title, payload, field, message) => {
      const before = await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM conflict_checks');
      const res = await h.http().post('/conflicts/check').set(bearer(attorney.token)).send(payload);
      expectProblem(res, 400, field, message);
      const after = await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM conflict_checks');
      expect(Number(after!.n)).toBe(Number(before!.n));
    });

    test.each(
      titled<[string, RegExp]>([
        [{ decision: 'maybe', reason: 'x' }, 'body.decision', /cleared, waived/],
        [{ decision: 'cleared', reason: '' }, 'body.reason', /non-empty/],
        [{ decision: 'cleared', reason: 'r'.repeat(2001) }, 'body.reason', /at most 2000/],
        [{ decision: 'cleared' }, 'body.reason', /string/],
      ]),
    )('when a decision is posted as %s', async (_title, payload, field, message) => {
      const created = await check(attorney, ['Decision Input Test']);
      const res = await h
        .http()
        .post(`/conflicts/${created.body.id}/decision`)
        .set(bearer(attorney.token))
        .send(payload);
      expectProblem(res, 400, field, message);
    });
  });
});

describe.each(await backends())('REQUIRE_CONFLICT_CHECK on %s', (backend) => {
  const { h, attorney, other } = cast(
    backend,
    { attorney: 'attorney', other: 'attorney' },
    { REQUIRE_CONFLICT_CHECK: 'true' },
  );
  const post = (u: TestUser, body: Record<string, unknown>) =>
    h.http().post('/cases').set(bearer(u.token)).send(body);
  const decidedCheck = async (u: TestUser, names: string[], decision: 'cleared' | 'waived' | null) => {
    const res = await h.http().post('/conflicts/check').set(bearer(u.token)).send({ names });
    expect(res.status).toBe(201);
    if (decision !== null) {
      const d = await h
        .http()
        .post(`/conflicts/${res.body.id}/decision`)
        .set(bearer(u.token))
        .send({ decision, reason: 'checked' });
      expect(d.status).toBe(200);
    }
    return res.body.id as number;
  };

  test('when a case is opened without a check id, then 400 names body.conflictCheckId', async () => {
    const res = await post(attorney, { title: 'T', clientName: 'Wayne Enterprises' });
    expectProblem(res, 400, 'body.conflictCheckId', /cleared or waived conflict check/);
    expect(Number((await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases'))!.n)).toBe(0);
  });

  test('when the check is pending, unknown, not the caller’s, or did not cover the client, then the case is refused', async () => {
    const pending = await decidedCheck(attorney, ['Wayne Enterprises'], null);
    expectProblem(
      await post(attorney, { title: 'T', clientName: 'Wayne Enterprises', conflictCheckId: pending }),
      409,
    );
    expectProblem(
      await post(attorney, { title: 'T', clientName: 'Wayne Enterprises', conflictCheckId: 999_999 }),
      400,
      'body.conflictCheckId',
    );
    const others = await decidedCheck(other, ['Wayne Enterprises'], 'cleared');
    expectProblem(
      await post(attorney, { title: 'T', clientName: 'Wayne Enterprises', conflictCheckId: others }),
      400,
      'body.conflictCheckId',
    );
    const unrelated = await decidedCheck(attorney, ['Oscorp'], 'cleared');
    expectProblem(
      await post(attorney, { title: 'T', clientName: 'Wayne Enterprises', conflictCheckId: unrelated }),
      400,
      'body.conflictCheckId',
      /include the client name/,
    );
    expectProblem(
      await post(attorney, { title: 'T', clientName: 'Wayne Enterprises', conflictCheckId: 'abc' }),
      400,
      'body.conflictCheckId',
      /integer conflict check id/,
    );
    expect(Number((await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases'))!.n)).toBe(0);
  });

  test('when a cleared (or waived) check covers the client, then the case opens, is linked to the check, and the check cannot open a second case', async () => {
    const id = await decidedCheck(attorney, ['Wayne Enterprises, Inc.', 'Bruce Wayne'], 'cleared');
    const res = await post(attorney, {
      title: 'Wayne matter',
      clientName: 'Wayne Enterprises',
      conflictCheckId: id,
    });
    expect(res.status).toBe(201);
    const row = await h.db.one<Record<string, unknown>>(
      'SELECT case_id FROM conflict_checks WHERE id = :id',
      { id },
    );
    expect(Number(row!.case_id)).toBe(res.body.id);
    const audit = await h.auditOf(res.headers['x-request-id'] as string);
    expect(JSON.parse(String(audit[0]!.details))).toMatchObject({ conflictCheckId: id });
    const reuse = await post(attorney, { title: 'Again', clientName: 'Bruce Wayne', conflictCheckId: id });
    expectProblem(reuse, 409);
    expect(reuse.body.detail).toContain('already used');
    const waived = await decidedCheck(attorney, ['Oscorp'], 'waived');
    expect(
      (await post(attorney, { title: 'Oscorp', clientName: 'OSCORP', conflictCheckId: waived })).status,
    ).toBe(201);
  });

  test('when two cases race for one check, then exactly one opens', async () => {
    const id = await decidedCheck(attorney, ['Race Client'], 'cleared');
    const results = await Promise.all(
      [1, 2].map((n) =>
        post(attorney, { title: `Race ${n}`, clientName: 'Race Client', conflictCheckId: id }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await h.db.all('SELECT id FROM cases WHERE client_name = :c', { c: 'Race Client' });
    expect(rows).toHaveLength(1);
  });

  test('when opening the case fails after the check was reserved, then the check is released for a retry', async () => {
    const id = await decidedCheck(attorney, ['Retry Client'], 'cleared');
    const bad = await post(attorney, {
      title: 'T',
      clientName: 'Retry Client',
      conflictCheckId: id,
      responsibleAttorneyId: 999_999,
    });
    expectProblem(bad, 400, 'body.responsibleAttorneyId');
    expect(
      (await post(attorney, { title: 'T', clientName: 'Retry Client', conflictCheckId: id })).status,
    ).toBe(201);
  });
});

describe.each(await backends())('CONFLICT_MATCH_THRESHOLD on %s', (backend) => {
  const { h, attorney } = cast(backend, { attorney: 'attorney' }, { CONFLICT_MATCH_THRESHOLD: '0.97' });
  beforeAll(async () => {
    const res = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'T', clientName: 'Hank Scorpio' });
    expect(res.status).toBe(201);
  });

  test('when the threshold is raised, then a near spelling is no longer a hit while an equal name still is', async () => {
    const res = await h
      .http()
      .post('/conflicts/check')
      .set(bearer(attorney.token))
      .send({ names: ['Henk Skorpio', 'SCORPIO, Hank'] });
    expect(res.body.threshold).toBe(0.97);
    expect(res.body.hits.map((x: { query: string; score: number }) => [x.query, x.score])).toEqual([
      ['SCORPIO, Hank', 1],
    ]);
  });
});
