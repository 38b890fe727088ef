import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, cursorOf, handMadeJwt, HS256 } from './helpers/api.js';
import { backends, cast, JWT_SECRET } from './helpers/harness.js';

/** One past the largest INTEGER PostgreSQL stores (2^31 - 1), written out, not taken from the service. */
const TOO_BIG = 2_147_483_648;

function expectField(res: Response, status: number, field: string): string {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const error = (res.body.errors as { field: string; message: string }[] | undefined)?.find(
    (e) => e.field === field,
  );
  expect(error).toBeDefined();
  return error!.message;
}

describe.each(await backends())('numbers and dates beyond what %s stores', (backend) => {
  const { h, admin, attorney } = cast(backend, { admin: 'admin', attorney: 'attorney' });
  let caseId: number;
  beforeAll(async () => {
    const res = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'T', clientName: 'C' });
    caseId = res.body.id as number;
  });

  test('when a path id is beyond the id columns, then 400 names the path parameter', async () => {
    const as = bearer(admin.token);
    expect(expectField(await h.http().get(`/cases/${TOO_BIG}`).set(as), 400, 'params.id')).toBe(
      'expected an id between 1 and 2147483647',
    );
    expectField(await h.http().get(`/documents/${TOO_BIG}/versions`).set(as), 400, 'params.id');
    expectField(await h.http().delete(`/cases/${caseId}/members/${TOO_BIG}`).set(as), 400, 'params.userId');
    expectField(
      await h.http().get(`/cases/${caseId}/parties/99999999999999999999`).set(as),
      400,
      'params.partyId',
    );
    // Within range it is still the plain 404 of a resource that does not exist.
    expect((await h.http().get('/cases/2147483647').set(as)).status).toBe(404);
  });

  test('when a body id is beyond the id columns, then 400 names the field', async () => {
    const as = bearer(attorney.token);
    const post = (body: Record<string, unknown>) =>
      h
        .http()
        .post('/cases')
        .set(as)
        .send({ title: 'T', clientName: 'C', ...body });
    for (const field of ['clientId', 'responsibleAttorneyId', 'conflictCheckId'])
      expect(expectField(await post({ [field]: TOO_BIG }), 400, `body.${field}`)).toMatch(
        /at most 2147483647/,
      );
    expectField(
      await h.http().post(`/cases/${caseId}/members`).set(as).send({ userId: TOO_BIG }),
      400,
      'body.userId',
    );
    expectField(
      await h
        .http()
        .post(`/cases/${caseId}/walls`)
        .set(bearer(admin.token))
        .send({ userId: TOO_BIG, reason: 'r' }),
      400,
      'body.userId',
    );
  });

  test('when a cursor or a query id is beyond the id columns, then 400 names the query parameter', async () => {
    const as = bearer(admin.token);
    expectField(await h.http().get(`/users?cursor=${TOO_BIG}`).set(as), 400, 'query.cursor');
    expectField(await h.http().get(`/audit?cursor=${TOO_BIG}`).set(as), 400, 'query.cursor');
    expectField(await h.http().get(`/audit?actor=${TOO_BIG}`).set(as), 400, 'query.actor');
    expectField(
      await h
        .http()
        .get(`/cases?sort=title&cursor=${cursorOf('T', TOO_BIG)}`)
        .set(as),
      400,
      'query.cursor',
    );
    expectField(
      await h
        .http()
        .get(`/cases/${caseId}/documents?cursor=${cursorOf('a.pdf', TOO_BIG)}`)
        .set(as),
      400,
      'query.cursor',
    );
  });

  test('when a date-time lies outside years 1 to 9999, then 400 names the field', async () => {
    const as = bearer(admin.token);
    expect(
      expectField(
        await h.http().get('/cases?updated_since=0000-12-31T00:00:00Z').set(as),
        400,
        'query.updated_since',
      ),
    ).toBe('expected a date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z');
    // In range by its digits, before year 1 once its offset is applied.
    expectField(await h.http().get('/audit?from=0001-01-01T00:30:00%2B01:00').set(as), 400, 'query.from');
    expectField(await h.http().get('/audit?to=0000-06-01T00:00:00Z').set(as), 400, 'query.to');
    expectField(
      await h
        .http()
        .get(`/cases?cursor=${cursorOf('+275760-09-13T00:00:00.000Z', 1)}`)
        .set(as),
      400,
      'query.cursor',
    );
    // The edges themselves are served.
    expect((await h.http().get('/cases?updated_since=0001-01-01T00:00:00Z').set(as)).status).toBe(200);
    expect((await h.http().get('/audit?to=9999-12-31T23:59:59Z').set(as)).status).toBe(200);
  });

  test('when an access token names a subject beyond the id columns, then 401 before any lookup', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = handMadeJwt(
      HS256,
      { sub: String(TOO_BIG), iss: 'legal-service', aud: 'legal-api', iat: now, exp: now + 600 },
      JWT_SECRET,
    );
    const res = await h.http().get('/users/me').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('The access token has no valid subject.');
  });
});
