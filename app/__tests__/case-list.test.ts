import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, createCase, cursorOf, expectProblem } from './helpers/api.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('listing cases on %s', (backend) => {
  const { h, admin, attorney } = cast(backend, { admin: 'admin', attorney: 'attorney' });
  beforeAll(async () => {
    // A case for the administrator to list (the tests that page make cases of their own).
    await createCase(h, attorney, { title: 'Smith v. Jones', clientName: 'Smith Ltd' });
  });

  describe('pages, order and filters', () => {
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
  });

  test('when a closed case is listed, then its five timestamps are the instants GET /cases/:id gives, to the millisecond', async () => {
    const lister = await h.createUser('attorney');
    const made = await h
      .http()
      .post('/cases')
      .set(bearer(lister.token))
      .send({ title: 'Timestamps', clientName: 'T' });
    const closed = await h
      .http()
      .post(`/cases/${made.body.id}/close`)
      .set(bearer(lister.token))
      .set('If-Match', made.headers.etag as string);
    expect(closed.status).toBe(200);
    const listed = await h.http().get('/cases').set(bearer(lister.token));
    const single = await h.http().get(`/cases/${made.body.id}`).set(bearer(lister.token));
    const stamps = ['openedAt', 'statusChangedAt', 'closedAt', 'createdAt', 'updatedAt'];
    const pick = (c: Record<string, unknown>) => Object.fromEntries(stamps.map((k) => [k, c[k]]));
    expect(listed.body.data).toHaveLength(1);
    expect(pick(listed.body.data[0])).toEqual(pick(single.body));
    for (const key of stamps) {
      expect(listed.body.data[0][key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.abs(Date.parse(listed.body.data[0][key]) - Date.now())).toBeLessThan(60_000);
    }
  });

  describe('wrong query parameters', () => {
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
