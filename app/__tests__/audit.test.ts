import { beforeAll, describe, expect, test } from '@jest/globals';
import { bearer, createCase, expectAudit, expectProblem, type CreatedCase } from './helpers/api.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('the audit trail on %s', (backend) => {
  const { h, admin, attorney, paralegal, auditor, outsider } = cast(backend, {
    admin: 'admin',
    attorney: 'attorney',
    paralegal: 'paralegal',
    auditor: 'auditor',
    outsider: ['attorney', 'Outside Attorney'],
  });
  let caseA: CreatedCase;
  beforeAll(async () => {
    caseA = await createCase(h, attorney, { title: 'Smith v. Jones', clientName: 'Smith Ltd' }, [paralegal]);
    // A denied read for the filters to find: the outsider is not on the case.
    expect((await h.http().get(`/cases/${caseA.id}`).set(bearer(outsider.token))).status).toBe(404);
  });

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
    expect(byEntity.body.data.every((e: { entityId: string }) => e.entityId === String(caseA.id))).toBe(true);
    expectProblem(await h.http().get('/audit').query({ from: 'last week' }).set(bearer(admin.token)), 400);
  });

  test('when many requests run at once, then each gets exactly its own audit event (group commit)', async () => {
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => h.http().get('/cases?limit=5').set(bearer(paralegal.token))),
    );
    for (const res of responses) {
      expect(res.status).toBe(200);
      await expectAudit(h, res, 'case.list', 'success', paralegal.id);
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
});
