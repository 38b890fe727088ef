/**
 * What the service accepts in a request: bodies (JSON, gzip, size, types, unknown fields), path ids, text
 * stored verbatim (SQL included); If-Match compares strongly and wants quoted tags; control and bidirectional
 * formatting characters (and NUL anywhere) are refused in names, titles and e-mails (free text keeps tabs and
 * line breaks); numbers in query strings and the token's `sub` are parsed strictly and an `iat` in the future is
 * refused; a method no route serves on a known path is a 405 with Allow.
 */
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import {
  bearer,
  createCase,
  cursorOf,
  etagOf,
  expectAudit,
  expectProblem,
  handMadeJwt,
  HS256,
  patchCase,
} from './helpers/api.js';
import { pdf } from './helpers/documents.js';
import { backends, cast, JWT_SECRET, type TestUser } from './helpers/harness.js';

const handMadeToken = (payload: Record<string, unknown>) => handMadeJwt(HS256, payload, JWT_SECRET);

const ESC = '\u001b';
const BEL = '\u0007';
const RLO = '\u202e'; // RIGHT-TO-LEFT OVERRIDE
const LRI = '\u2066'; // LEFT-TO-RIGHT ISOLATE
const C1 = '\u0085'; // NEXT LINE, a C1 control
const NO_NUL = 'expected no NUL characters';

describe.each(await backends())('request rules on %s', (backend) => {
  const { h, admin, attorney } = cast(backend, { admin: 'admin', attorney: 'attorney' });
  let caseId: number;
  beforeAll(async () => {
    const created = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'Rules v. Exceptions', clientName: 'Rules Ltd' });
    expect(created.status).toBe(201);
    caseId = created.body.id;
  });

  const patchWithIfMatch = (ifMatch: string, body: Record<string, unknown> = { practiceArea: 'Tax' }) =>
    h.http().patch(`/cases/${caseId}`).set(bearer(attorney.token)).set('If-Match', ifMatch).send(body);

  describe('bodies, path ids and text', () => {
    test.each([
      ['malformed JSON', 400, '{"title": "x",', 'malformed JSON'],
      [
        'larger than BODY_LIMIT',
        413,
        JSON.stringify({ title: 'big', clientName: 'c', description: 'x'.repeat(200 * 1024) }),
        'expected at most 100kb',
      ],
    ] as const)(
      'when the body is %s, then %i with one error on body',
      async (_what, status, body, message) => {
        const res = await h
          .http()
          .post('/cases')
          .set(bearer(attorney.token))
          .set('Content-Type', 'application/json')
          .send(body);
        expect(expectProblem(res, status).errors).toEqual([{ field: 'body', message }]);
      },
    );

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
      await expectAudit(h, res, 'case.create', 'failure', attorney.id);
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
  });

  describe('If-Match', () => {
    test('when If-Match holds the weak form of the current ETag, then 412 (a weak tag never matches) and nothing changes', async () => {
      const etag = await etagOf(h, attorney, caseId);
      expect(etag).toMatch(/^"case-\d+-v\d+"$/);
      const res = await patchWithIfMatch(`W/${etag}`);
      expect(expectProblem(res, 412).detail).toMatch(/weak/);
      expect(await etagOf(h, attorney, caseId)).toBe(etag);
      expectProblem(
        await h
          .http()
          .post(`/cases/${caseId}/close`)
          .set(bearer(attorney.token))
          .set('If-Match', `W/${etag}`),
        412,
      );
    });

    test('when If-Match lists other tags and the current one, quoted, then the change is made', async () => {
      const etag = await etagOf(h, attorney, caseId);
      const res = await patchWithIfMatch(`"case-0-v0", W/"x", ${etag}`);
      expect(res.status).toBe(200);
      expect(res.headers.etag).not.toBe(etag);
      expect((await patchWithIfMatch('*', { practiceArea: 'Probate' })).status).toBe(200);
    });

    test.each([['case-1-v1'], ['"case-1-v1'], ['W/case-1-v1'], ['"a", b']])(
      'when If-Match is %s (a tag not quoted), then 400 says the tag must be quoted',
      async (value) => {
        const etag = await etagOf(h, attorney, caseId);
        const body = expectProblem(await patchWithIfMatch(value), 400, 'headers.If-Match');
        expect(JSON.stringify(body.errors)).toContain('the tag must be quoted');
        expect(await etagOf(h, attorney, caseId)).toBe(etag);
      },
    );

    test('when If-Match on close is not quoted, then 400 too', async () => {
      expectProblem(
        await h.http().post(`/cases/${caseId}/close`).set(bearer(attorney.token)).set('If-Match', 'abc'),
        400,
        'headers.If-Match',
      );
    });

    test('when a download is asked with If-None-Match holding the weak form of its ETag, then 304 (weak comparison there)', async () => {
      const up = await h
        .http()
        .post(`/cases/${caseId}/documents`)
        .set(bearer(attorney.token))
        .attach('file', pdf(2000), 'weak.pdf');
      expect(up.status).toBe(201);
      const first = await h.http().get(`/documents/${up.body.id}/download`).set(bearer(attorney.token));
      expect(first.status).toBe(200);
      const etag = first.headers.etag as string;
      const again = await h
        .http()
        .get(`/documents/${up.body.id}/download`)
        .set(bearer(attorney.token))
        .set('If-None-Match', `W/${etag}`);
      expect(again.status).toBe(304);
    });
  });

  describe('characters in text', () => {
    const post = (path: string, body: Record<string, unknown>, who: TestUser = attorney) =>
      h.http().post(path).set(bearer(who.token)).send(body);

    test.each([
      ['ESC', ESC],
      ['BEL', BEL],
      ['RIGHT-TO-LEFT OVERRIDE', RLO],
      ['LEFT-TO-RIGHT ISOLATE', LRI],
      ['a C1 control', C1],
      ['a line feed', '\n'],
      ['a tab', '\t'],
    ])('when a name or title holds %s, then 400 names the field and nothing is stored', async (_what, ch) => {
      const before = Number((await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases'))!.n);
      expectProblem(await post('/cases', { title: `Evil${ch}Title`, clientName: 'C' }), 400, 'body.title');
      expectProblem(await post('/cases', { title: 'T', clientName: `C${ch}` }), 400, 'body.clientName');
      expect(Number((await h.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases'))!.n)).toBe(before);
      expectProblem(
        await post(
          '/users',
          { email: 'x@test.legal', name: `Na${ch}me`, role: 'client', password: 'long-enough-password' },
          admin,
        ),
        400,
        'body.name',
      );
      expectProblem(
        await post(`/cases/${caseId}/parties`, { role: 'witness', name: `W${ch}` }),
        400,
        'body.name',
      );
      expectProblem(await post('/conflicts/check', { names: ['Fine', `Bad${ch}Name`] }), 400, 'body.names.1');
      expectProblem(
        await h
          .http()
          .patch(`/cases/${caseId}`)
          .set(bearer(attorney.token))
          .set('If-Match', await etagOf(h, attorney, caseId))
          .send({ practiceArea: `Tax${ch}` }),
        400,
        'body.practiceArea',
      );
    });

    test.each([
      ['ESC', ESC],
      ['RIGHT-TO-LEFT OVERRIDE', RLO],
      ['a line feed', '\n'],
    ])('when an e-mail address holds %s, then 400 names it', async (_what, ch) => {
      expectProblem(
        await post(
          '/users',
          { email: `a${ch}b@test.legal`, name: 'N', role: 'client', password: 'long-enough-password' },
          admin,
        ),
        400,
        'body.email',
      );
      expectProblem(
        await post(`/cases/${caseId}/parties`, { role: 'witness', name: 'W', email: `w@test${ch}.legal` }),
        400,
        'body.email',
      );
    });

    test('when free text (description, notes, reasons) holds tabs and line breaks, then it is stored as sent; ESC, BEL and bidi controls are refused there too', async () => {
      const text = 'Line one\n\tindented\r\nline three';
      const created = await post('/cases', { title: 'Free text', clientName: 'C', description: text });
      expect(created.status).toBe(201);
      expect(created.body.description).toBe(text);
      const party = await post(`/cases/${created.body.id}/parties`, {
        role: 'witness',
        name: 'W',
        notes: text,
      });
      expect(party.status).toBe(201);
      expect(party.body.notes).toBe(text);
      const read = await h.db.one<{ description: string }>('SELECT description FROM cases WHERE id = :id', {
        id: created.body.id,
      });
      expect(read!.description).toBe(text);
      for (const ch of [ESC, BEL, RLO, C1]) {
        expectProblem(
          await post('/cases', { title: 'T', clientName: 'C', description: `a${ch}` }),
          400,
          'body.description',
        );
        expectProblem(
          await post(`/cases/${created.body.id}/parties`, { role: 'witness', name: 'W', notes: `n${ch}` }),
          400,
          'body.notes',
        );
        expectProblem(
          await post(`/cases/${created.body.id}/walls`, { userId: attorney.id, reason: `r${ch}` }, admin),
          400,
          'body.reason',
        );
      }
    });

    test('when a name holds letters of right-to-left scripts (no override characters), then it is accepted', async () => {
      const res = await post(`/cases/${caseId}/parties`, { role: 'witness', name: 'שרה כהן / سارة' });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('שרה כהן / سارة');
    });

    test('when a body string holds a NUL, then 400 names the field', async () => {
      const { id } = await createCase(h, attorney, { title: 'Review v. Fixes', clientName: 'Client Ltd' });
      const refusals: [string, () => Promise<Response>][] = [
        ['body.title', () => post('/cases', { title: 'a\u0000b', clientName: 'C' })],
        ['body.description', () => post('/cases', { title: 'ok', clientName: 'C', description: 'x\u0000' })],
        ['body.clientName', () => patchCase(h, attorney, id, { clientName: '\u0000' })],
        [
          'body.name',
          () =>
            post(
              '/users',
              { email: 'nul@test.legal', name: 'N\u0000', role: 'client', password: 'long-enough-password' },
              admin,
            ),
        ],
        ['body.name', () => post(`/cases/${id}/parties`, { role: 'witness', name: 'W\u0000' })],
        ['body.notes', () => post(`/cases/${id}/parties`, { role: 'witness', name: 'W', notes: '\u0000' })],
        ['body.names.0', () => post('/conflicts/check', { names: ['A\u0000B'] })],
      ];
      for (const [field, send] of refusals) expectProblem(await send(), 400, field, NO_NUL);
    });

    test('when a query string holds a NUL, then 400 names it', async () => {
      const refusals: [string, TestUser, string, string | undefined][] = [
        ['/cases?q=a%00b', attorney, 'query.q', NO_NUL],
        ['/cases?cursor=%00', attorney, 'query.cursor', 'expected a cursor returned in page.nextCursor'],
        ['/audit?entity=%00', admin, 'query.entity', NO_NUL],
        // A NUL inside a cursor's value.
        [`/cases?sort=title&cursor=${cursorOf('a\u0000', 1)}`, attorney, 'query.cursor', undefined],
      ];
      for (const [url, who, field, message] of refusals)
        expectProblem(await h.http().get(url).set(bearer(who.token)), 400, field, message);
    });
  });

  describe('numbers parsed strictly', () => {
    test.each([['0x1'], ['1e0'], [' 1'], ['1 '], ['1.0'], ['+1'], ['']])(
      'when limit is %j, then 400 names query.limit',
      async (value) => {
        const res = await h
          .http()
          .get(`/cases?limit=${encodeURIComponent(value)}`)
          .set(bearer(attorney.token));
        expectProblem(res, 400, 'query.limit');
      },
    );

    test('when a cursor, a user id or a version in a query is 0x1, 1e0 or " 1", then 400 names it; decimal digits are served', async () => {
      for (const value of ['0x1', '1e0', ' 1']) {
        const v = encodeURIComponent(value);
        expectProblem(await h.http().get(`/users?cursor=${v}`).set(bearer(admin.token)), 400, 'query.cursor');
        expectProblem(await h.http().get(`/audit?actor=${v}`).set(bearer(admin.token)), 400, 'query.actor');
        expectProblem(await h.http().get(`/audit?cursor=${v}`).set(bearer(admin.token)), 400, 'query.cursor');
        expectProblem(
          await h.http().get(`/documents/1/download?version=${v}`).set(bearer(admin.token)),
          400,
          'query.version',
        );
      }
      expect((await h.http().get('/users?cursor=1&limit=2').set(bearer(admin.token))).status).toBe(200);
      expect((await h.http().get(`/audit?actor=${admin.id}&limit=1`).set(bearer(admin.token))).status).toBe(
        200,
      );
    });

    test('when cases are sorted by long non-ASCII titles, then the next-page cursor (over 500 characters) is served', async () => {
      const owner = await h.createUser('attorney');
      for (const letter of ['ä', 'ö', 'ü']) {
        const res = await h
          .http()
          .post('/cases')
          .set(bearer(owner.token))
          .send({ title: letter.repeat(300), clientName: 'Umlaut GmbH' });
        expect(res.status).toBe(201);
      }
      const first = await h.http().get('/cases?sort=title&limit=1').set(bearer(owner.token));
      const cursor = first.body.page.nextCursor as string;
      expect(cursor.length).toBeGreaterThan(500);
      const second = await h
        .http()
        .get(`/cases?sort=title&limit=1&cursor=${cursor}`)
        .set(bearer(owner.token));
      expect(second.status).toBe(200);
      expect(second.body.data[0].title).toBe('ö'.repeat(300));
    });

    test.each([['0x1'], ['1e0'], [' 1'], ['1.0'], ['01']])(
      'when an access token has sub %j (a valid signature), then 401',
      async (sub) => {
        const now = Math.floor(Date.now() / 1000);
        const token = handMadeToken({
          sub,
          iss: 'legal-service',
          aud: 'legal-api',
          iat: now,
          exp: now + 300,
        });
        const res = await h.http().get('/users/me').set(bearer(token));
        expect(expectProblem(res, 401).detail).toMatch(/subject/);
      },
    );

    test('when an access token was issued in the future, then 401; a few seconds of clock difference are tolerated', async () => {
      const now = Math.floor(Date.now() / 1000);
      // The session of a real login, so that only the time claims differ from a token the service issued.
      const { sid } = JSON.parse(Buffer.from(attorney.token.split('.')[1]!, 'base64url').toString()) as {
        sid: string;
      };
      const claims = { sub: String(attorney.id), sid, iss: 'legal-service', aud: 'legal-api' };
      const future = handMadeToken({ ...claims, iat: now + 120, exp: now + 600 });
      expect(expectProblem(await h.http().get('/users/me').set(bearer(future)), 401).detail).toMatch(
        /future/,
      );
      const skewed = handMadeToken({ ...claims, iat: now + 2, exp: now + 600 });
      const ok = await h.http().get('/users/me').set(bearer(skewed));
      expect(ok.status).toBe(200);
      expect(ok.body.id).toBe(attorney.id);
    });
  });

  describe('methods no route serves', () => {
    test.each([
      ['trace', '/cases/1', 'GET, HEAD, PATCH'],
      ['put', '/cases', 'GET, HEAD, POST'],
      ['delete', '/users/me', 'GET, HEAD'],
      ['patch', '/audit', 'GET, HEAD'],
      ['post', '/health', 'GET, HEAD'],
      ['delete', '/openapi.json', 'GET, HEAD'],
      ['get', '/auth/login', 'POST'],
      ['put', '/cases/1/legal-hold', 'DELETE, GET, HEAD, POST'],
    ] as const)('when %s %s is asked, then 405 with Allow: %s', async (method, path, allow) => {
      const res = await h.http()[method](path).set(bearer(admin.token));
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      if (method !== 'trace') expectProblem(res, 405);
    });

    test('when TRACE asks for a known path with a token, then 405 and the request is neither served nor echoed', async () => {
      const res = await h.http().trace('/users/me').set(bearer(admin.token));
      expect(res.status).toBe(405);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain(admin.token);
    });

    test('when a path is unknown, then 404 whatever the method; OPTIONS on a known path lists the methods', async () => {
      expectProblem(await h.http().get('/nowhere'), 404);
      expectProblem(await h.http().trace('/nowhere'), 404);
      const options = await h.http().options('/cases/1');
      expect(options.status).toBe(200);
      expect(options.headers.allow).toBe('GET, HEAD, PATCH');
    });
  });
});
