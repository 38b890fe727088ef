import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { discardBody } from '../src/http/discard-body.js';
import { backends, startHarness, testEnv, type Harness, type TestUser } from './helpers/harness.js';
import { startServer, type Running } from './helpers/server-process.js';
import {
  BOUNDARY,
  executable,
  filesUnder,
  multipart,
  pdf,
  rawRequest,
  type RawResponse,
} from './helpers/documents.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function expectProblem(
  res: { status: number; headers: Record<string, unknown>; body: unknown },
  status: number,
): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.any(String) });
  return res.body as Record<string, unknown>;
}
const rawProblem = (res: RawResponse | 'aborted', status: number) => {
  expect(res).not.toBe('aborted');
  const r = res as RawResponse;
  return expectProblem({ status: r.status, headers: r.headers, body: r.json() }, status);
};
/** A one-part form whose Content-Disposition is written exactly as given. */
const withDisposition = (disposition: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

describe.each(await backends())('documents after the security review on %s', (backend) => {
  let h: Harness;
  let server: Server;
  let base: string;
  let port: number;
  let admin: TestUser, attorney: TestUser, paralegal: TestUser, client: TestUser;

  beforeAll(async () => {
    h = await startHarness(backend);
    server = createServer(h.app);
    port = await listen(server);
    base = `http://127.0.0.1:${port}`;
    admin = await h.createUser('admin');
    attorney = await h.createUser('attorney');
    paralegal = await h.createUser('paralegal');
    client = await h.createUser('client');
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await h?.close();
  });

  /** A case of `attorney` with `client` as client and `paralegal` as member. */
  async function newCase(title: string): Promise<{ id: number; number: string }> {
    const res = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title, clientName: 'Client Ltd', clientId: client.id });
    expect(res.status).toBe(201);
    const m = await h
      .http()
      .post(`/cases/${res.body.id}/members`)
      .set(bearer(attorney.token))
      .send({ userId: paralegal.id });
    expect(m.status).toBe(201);
    return res.body as { id: number; number: string };
  }
  const upload = (user: TestUser, caseId: number, data: Buffer, filename: string) =>
    h.http().post(`/cases/${caseId}/documents`).set(bearer(user.token)).attach('file', data, filename);
  const blobs = () => filesUnder(h.config.documents.dir);
  const versionRows = async (caseId: number) =>
    h.db.all<{ name: string }>(
      'SELECT d.name FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.case_id = :caseId',
      { caseId },
    );
  async function auditOf(requestId: string) {
    const rows = await h.auditOf(requestId);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    return { ...row, details: row.details === null ? null : JSON.parse(String(row.details)) };
  }
  /** The multipart body of one PDF, in 9 KB chunks; `midway` runs before the fourth is sent. */
  async function streamUpload(
    caseId: number,
    filename: string,
    requestId: string,
    midway: () => Promise<void>,
  ) {
    const body = multipart([{ name: 'file', filename, type: 'application/pdf', data: pdf(60_000) }]);
    const chunks = Array.from({ length: Math.ceil(body.length / 9000) }, (_, i) =>
      body.subarray(i * 9000, (i + 1) * 9000),
    );
    return rawRequest(port, {
      path: `/cases/${caseId}/documents`,
      headers: { ...bearer(attorney.token), 'X-Request-Id': requestId },
      chunks,
      beforeChunk: async (i) => {
        if (i !== 3) return;
        // The upload is past its first checks: its bytes are arriving in the store.
        for (let tries = 0; tries < 100 && !blobs().some((f) => f.endsWith('.part')); tries++)
          await new Promise((r) => setTimeout(r, 20));
        expect(blobs().some((f) => f.endsWith('.part'))).toBe(true);
        await midway();
      },
    });
  }

  describe('item 1 (and 13): a hold placed, or the case closed, while an upload streams', () => {
    test('when a legal hold is placed during an upload, then the upload ends in 409, its bytes are removed and no version is recorded', async () => {
      const c = await newCase('Hold mid-stream');
      const before = blobs();
      const requestId = `hold-mid-stream-${backend}`;
      const res = await streamUpload(c.id, 'late.pdf', requestId, async () => {
        const hold = await h
          .http()
          .post(`/cases/${c.id}/legal-hold`)
          .set(bearer(admin.token))
          .send({ reason: 'Litigation notice' });
        expect(hold.status).toBe(201);
      });
      expect(rawProblem(res, 409).detail).toMatch(
        /^The case is under legal hold since .* \(Litigation notice\): adding documents is not allowed until the hold is released\.$/,
      );
      expect(blobs()).toEqual(before);
      expect(await versionRows(c.id)).toEqual([]);
      expect(await auditOf(requestId)).toMatchObject({
        action: 'document.upload',
        outcome: 'failure',
        status: 409,
        details: { reason: 'legal-hold' },
      });
    });

    test('when the case is closed during an upload, then the upload ends in 409 naming the state, and nothing is kept', async () => {
      const c = await newCase('Closed mid-stream');
      const before = blobs();
      const requestId = `closed-mid-stream-${backend}`;
      const res = await streamUpload(c.id, 'late.pdf', requestId, async () => {
        expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(attorney.token))).status).toBe(200);
      });
      expect(rawProblem(res, 409).detail).toBe(
        `Case ${c.number} is closed: adding documents is not allowed until its responsible attorney or an administrator reopens it (PATCH /cases/${c.id} with {"status": "open"}).`,
      );
      expect(blobs()).toEqual(before);
      expect(await versionRows(c.id)).toEqual([]);
      expect((await auditOf(requestId)).details).toEqual({ reason: 'case-closed' });
    });

    test('when a case is closed, then uploads, deletions and restores are refused with 409 and downloads still work', async () => {
      const c = await newCase('Closed documents');
      const kept = (await upload(paralegal, c.id, pdf(3000), 'kept.pdf')).body as { id: number };
      const binned = (await upload(paralegal, c.id, pdf(3000), 'binned.pdf')).body as { id: number };
      expect((await h.http().delete(`/documents/${binned.id}`).set(bearer(paralegal.token))).status).toBe(
        204,
      );
      expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(attorney.token))).status).toBe(200);
      const before = blobs();
      const refused: Response[] = [
        await upload(attorney, c.id, pdf(3000), 'after-close.pdf'),
        await h.http().delete(`/documents/${kept.id}`).set(bearer(attorney.token)),
        await h.http().post(`/documents/${binned.id}/restore`).set(bearer(admin.token)),
      ];
      for (const res of refused)
        expect(String(expectProblem(res, 409).detail)).toMatch(/^Case .* is closed: /);
      expect(blobs()).toEqual(before);
      expect((await h.http().get(`/documents/${kept.id}/download`).set(bearer(client.token))).status).toBe(
        200,
      );
    });
  });

  describe('item 4: early refusals of an upload (see also the service process below)', () => {
    test('when a refused upload announces more than 1 MiB, then the answer comes at once, with Connection: close', async () => {
      const c = await newCase('Large refusal');
      const res = await rawRequest(port, {
        path: `/cases/${c.id}/documents`,
        headers: bearer(client.token),
        contentLength: 3 * 1024 * 1024,
        chunks: [],
      });
      rawProblem(res, 403);
      expect((res as RawResponse).headers.connection).toBe('close');
    });
  });

  describe('item 5: file names', () => {
    test('when a file name is not ASCII, then it is read as UTF-8 (from fetch and from a hand-made form) and comes back in Content-Disposition', async () => {
      const c = await newCase('Umlauts');
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(pdf(4000))]), 'Müller-Vertrag.pdf');
      const viaFetch = await fetch(`${base}/cases/${c.id}/documents`, {
        method: 'POST',
        headers: bearer(attorney.token),
        body: f,
      });
      expect(viaFetch.status).toBe(201);
      const doc = (await viaFetch.json()) as { id: number; name: string };
      expect(doc.name).toBe('Müller-Vertrag.pdf');
      const handMade = await rawRequest(port, {
        path: `/cases/${c.id}/documents`,
        headers: bearer(attorney.token),
        chunks: [multipart([{ name: 'file', filename: 'Łukasz 契約.pdf', data: pdf(4000) }])],
      });
      expect((handMade as RawResponse).status).toBe(201);
      const names = await h.db.all<{ name: string }>(
        'SELECT name FROM documents WHERE case_id = :id ORDER BY id',
        {
          id: c.id,
        },
      );
      expect(names.map((n) => n.name)).toEqual(['Müller-Vertrag.pdf', 'Łukasz 契約.pdf']);
      const download = await h.http().get(`/documents/${doc.id}/download`).set(bearer(client.token));
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="M_ller-Vertrag.pdf"; filename*=UTF-8''M%C3%BCller-Vertrag.pdf`,
      );
    });

    test.each([
      ['a C1 control (U+0085)', 'report\u0085.pdf', 'U+0085'],
      ['a C1 control (U+009B, CSI)', '\u009b31mred.pdf', 'U+009B'],
      // busboy refuses a raw control byte in a header; the RFC 8187 form carries one.
      ['a C0 control (BEL, in filename*)', "*=UTF-8''bell%07.pdf", 'U+0007'],
      ['a right-to-left override', 'invoice\u202Efdp.exe.pdf', 'U+202E'],
    ])(
      'when the file name holds %s, then 400 names body.file and nothing is stored',
      async (_label, filename, code) => {
        const c = await newCase('Controls');
        const before = blobs();
        const res = await rawRequest(port, {
          path: `/cases/${c.id}/documents`,
          headers: bearer(attorney.token),
          chunks: [
            filename.startsWith('*=')
              ? withDisposition(`form-data; name="file"; filename${filename}`, pdf(4000))
              : multipart([{ name: 'file', filename, data: pdf(4000) }]),
          ],
        });
        const problem = rawProblem(res, 400);
        expect(problem.detail).toBe(`The uploaded file's name holds the control character ${code}.`);
        expect(problem.errors).toEqual([
          {
            field: 'body.file',
            message: 'expected a file name without control or bidirectional-override characters',
          },
        ]);
        expect(blobs()).toEqual(before);
        expect(await versionRows(c.id)).toEqual([]);
      },
    );
  });

  describe('item 6: concurrent deletes and restores', () => {
    test('when eight requests delete one document at once, then one 204 and seven 409, one audited success; likewise for restore', async () => {
      const c = await newCase('Races');
      const doc = (await upload(paralegal, c.id, pdf(3000), 'raced.pdf')).body as { id: number };
      const race = async (method: string, path: string, success: number) => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            fetch(`${base}${path}`, { method, headers: bearer(paralegal.token) }).then(async (r) => ({
              status: r.status,
              id: r.headers.get('x-request-id')!,
              body: await r.text(),
            })),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([success, 409, 409, 409, 409, 409, 409, 409].sort());
        const events = (await Promise.all(results.map((r) => h.auditOf(r.id)))).map((rows) => {
          expect(rows).toHaveLength(1);
          return rows[0]!;
        });
        expect(events.filter((e) => e.outcome === 'success')).toHaveLength(1);
        expect(events.filter((e) => e.outcome === 'failure' && e.status === 409)).toHaveLength(7);
      };
      await race('DELETE', `/documents/${doc.id}`, 204);
      const trashed = await h.db.one<{ deleted_by: unknown }>(
        'SELECT deleted_by FROM documents WHERE id = :id',
        {
          id: doc.id,
        },
      );
      expect(Number(trashed!.deleted_by)).toBe(paralegal.id);
      await race('POST', `/documents/${doc.id}/restore`, 200);
      const restored = await h.db.one<{ deleted_at: unknown }>(
        'SELECT deleted_at FROM documents WHERE id = :id',
        {
          id: doc.id,
        },
      );
      expect(restored!.deleted_at).toBeNull();
    }, 30_000);
  });

  describe('item 7: the trash', () => {
    test('when a document is in the trash, then only roles that may restore it (case:write) see, list and download it', async () => {
      const c = await newCase('Trash');
      const data = pdf(3000);
      const doc = (await upload(paralegal, c.id, data, 'binned.pdf')).body as { id: number };
      expect((await h.http().delete(`/documents/${doc.id}`).set(bearer(attorney.token))).status).toBe(204);

      for (const [path, action] of [
        [`/documents/${doc.id}/versions`, 'document.versions'],
        [`/documents/${doc.id}/download`, 'document.download'],
      ] as const) {
        const res = await h.http().get(path).set(bearer(client.token));
        expect(expectProblem(res, 404).detail).toBe(`No document with id '${doc.id}'.`);
        expect(await auditOf(res.headers['x-request-id'] as string)).toMatchObject({
          action,
          outcome: 'denied',
          status: 404,
          details: { reason: 'trashed' },
        });
      }
      const trashList = await h.http().get(`/cases/${c.id}/documents?trashed=true`).set(bearer(client.token));
      expectProblem(trashList, 403);
      expect((await h.http().get(`/cases/${c.id}/documents`).set(bearer(client.token))).body.data).toEqual(
        [],
      );

      for (const who of [paralegal, attorney, admin]) {
        const listed = await h.http().get(`/cases/${c.id}/documents?trashed=true`).set(bearer(who.token));
        expect(listed.status).toBe(200);
        expect((listed.body.data as { id: number }[]).map((d) => d.id)).toEqual([doc.id]);
        expect((await h.http().get(`/documents/${doc.id}/versions`).set(bearer(who.token))).status).toBe(200);
        const download = await h
          .http()
          .get(`/documents/${doc.id}/download`)
          .set(bearer(who.token))
          .buffer(true)
          .parse((res, cb) => {
            const chunks: Buffer[] = [];
            res.on('data', (ch: Buffer) => chunks.push(ch));
            res.on('end', () => cb(null, Buffer.concat(chunks)));
          });
        expect(download.status).toBe(200);
        expect(Buffer.compare(download.body as Buffer, data)).toBe(0);
      }
      // Restored, it is the client's to read again.
      expect((await h.http().post(`/documents/${doc.id}/restore`).set(bearer(paralegal.token))).status).toBe(
        200,
      );
      expect((await h.http().get(`/documents/${doc.id}/download`).set(bearer(client.token))).status).toBe(
        200,
      );
    });
  });
});

/**
 * The race needs the service in a process of its own (in the test's process, client and server take turns on
 * one event loop and it never shows): a client still writing when the server answers and closes saw EPIPE.
 */
describe.each(await backends())(
  'early refusals of uploads, the service as its own process, on %s',
  (backend) => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    let service: Running;
    let base: string;
    const ADMIN = { email: 'admin@refusals.test', password: 'refusals-admin-password' };

    beforeAll(async () => {
      ({ env, cleanup } = testEnv(backend, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }));
      service = await startServer(env);
      base = `http://127.0.0.1:${service.port}`;
    }, 60_000);
    afterAll(async () => {
      if (service) {
        service.child.kill('SIGTERM');
        await service.exit;
      }
      await cleanup?.();
    });

    /** A JSON call to the service; the body of its answer. */
    async function call(method: string, path: string, token: string | undefined, body?: unknown) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(token === undefined ? {} : bearer(token)),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as Record<string, unknown>;
    }
    const login = async (email: string, password: string) =>
      (await call('POST', '/auth/login', undefined, { email, password })).accessToken as string;
    async function newUser(adminToken: string, role: string) {
      const email = `${role}-${Math.random().toString(36).slice(2)}@refusals.test`;
      const password = 'a-long-enough-password';
      const user = await call('POST', '/users', adminToken, { email, name: `A ${role}`, role, password });
      return { id: user.id as number, token: await login(email, password) };
    }

    test("when Node's fetch uploads 20 KB that is refused before it is read (401, 403, 404, 409, 415), then it always gets the status", async () => {
      const adminToken = await login(ADMIN.email, ADMIN.password);
      const lawyer = await newUser(adminToken, 'attorney');
      const client = await newUser(adminToken, 'client');
      const stranger = await newUser(adminToken, 'attorney');
      const open = await call('POST', '/cases', lawyer.token, {
        title: 'Open',
        clientName: 'C',
        clientId: client.id,
      });
      const held = await call('POST', '/cases', lawyer.token, { title: 'Held', clientName: 'C' });
      await call('POST', `/cases/${held.id}/legal-hold`, lawyer.token, { reason: 'Held' });
      const form = (data: Buffer, name: string) => {
        const f = new FormData();
        f.append('file', new Blob([new Uint8Array(data)]), name);
        return f;
      };
      const at = (id: unknown) => `/cases/${String(id)}/documents`;
      const cases: [number, string, () => RequestInit][] = [
        [401, at(open.id), () => ({ body: form(pdf(20_000), 'a.pdf') })],
        [403, at(open.id), () => ({ headers: bearer(client.token), body: form(pdf(20_000), 'a.pdf') })],
        [404, at(open.id), () => ({ headers: bearer(stranger.token), body: form(pdf(20_000), 'a.pdf') })],
        [409, at(held.id), () => ({ headers: bearer(lawyer.token), body: form(pdf(20_000), 'a.pdf') })],
        [
          415,
          at(open.id),
          () => ({
            headers: bearer(lawyer.token),
            body: form(Buffer.concat([executable(), pdf(12_000)]), 'a.bin'),
          }),
        ],
        [
          415,
          at(open.id),
          () => ({
            headers: { ...bearer(lawyer.token), 'Content-Type': 'application/octet-stream' },
            body: new Uint8Array(pdf(20_000)),
          }),
        ],
      ];
      const seen: string[] = [];
      const expected: string[] = [];
      for (let round = 0; round < 40; round++) {
        for (const [status, path, init] of cases) {
          expected.push(`${status} ${path}`);
          try {
            const res = await fetch(`${base}${path}`, { method: 'POST', ...init() });
            await res.arrayBuffer();
            seen.push(`${res.status} ${path}`);
          } catch (err) {
            const cause = (err as { cause?: { code?: string; message?: string } }).cause;
            seen.push(`${cause?.code ?? cause?.message ?? String(err)} ${path}`);
          }
        }
      }
      expect(seen).toEqual(expected);
      // Nothing of it was stored.
      const listed = await call('GET', `${at(open.id)}?limit=200`, lawyer.token);
      expect(listed.data).toEqual([]);
    }, 120_000);
  },
);

describe('discarding the rest of a refused body', () => {
  const results: boolean[] = [];
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      void discardBody(req, 64 * 1024, 500).then((ended) => {
        results.push(ended);
        res.writeHead(403, ended ? {} : { Connection: 'close' }).end('refused');
      });
    });
    port = await listen(server);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const send = (chunks: Buffer[], extra: { contentLength?: number; stallAfter?: number } = {}) =>
    rawRequest(port, {
      path: '/',
      chunks,
      ...(extra.contentLength === undefined ? {} : { contentLength: extra.contentLength }),
      beforeChunk: async (i) => {
        if (extra.stallAfter !== undefined && i === extra.stallAfter)
          await new Promise((r) => setTimeout(r, 1500));
      },
    }).catch((err: unknown) => err);

  test('when the body ends within the bound, then it is read to its end and the connection may stay open', async () => {
    const res = (await send([Buffer.alloc(20_000), Buffer.alloc(20_000)])) as RawResponse;
    expect(res.status).toBe(403);
    expect(res.headers.connection).not.toBe('close');
    expect(results.at(-1)).toBe(true);
  });

  test('when more than the bound comes, or nothing more for a while, or the length announced is too large, then reading stops', async () => {
    await send(Array.from({ length: 20 }, () => Buffer.alloc(16 * 1024)));
    expect(results.at(-1)).toBe(false);
    await send([Buffer.alloc(1000), Buffer.alloc(1000)], { stallAfter: 1 });
    expect(results.at(-1)).toBe(false);
    const announced = (await send([], { contentLength: 10 * 1024 * 1024 })) as RawResponse;
    expect(announced.status).toBe(403);
    expect(announced.headers.connection).toBe('close');
    expect(results.at(-1)).toBe(false);
  });
});
