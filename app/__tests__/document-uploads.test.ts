import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { discardBody } from '../src/http/discard-body.js';
import { auditEvent, bearer, createCase } from './helpers/api.js';
import {
  BOUNDARY,
  executable,
  listen,
  listening,
  multipart,
  pdf,
  rawProblem,
  rawRequest,
  storedFiles,
  type RawResponse,
} from './helpers/documents.js';
import { backends, cast, testEnv } from './helpers/harness.js';
import { startServer, type Running } from './helpers/server-process.js';

/** A one-part form whose Content-Disposition is written exactly as given. */
const withDisposition = (disposition: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

describe.each(await backends())('document uploads on %s', (backend) => {
  const { h, admin, attorney, paralegal, client } = cast(backend, {
    admin: 'admin',
    attorney: 'attorney',
    paralegal: 'paralegal',
    client: 'client',
  });
  const server = listening(h);

  /** A case of `attorney` with `client` as client and `paralegal` as member. */
  const newCase = (title: string) =>
    createCase(h, attorney, { title, clientName: 'Client Ltd', clientId: client.id }, [paralegal]);

  const versionRows = async (caseId: number) =>
    h.db.all<{ name: string }>(
      'SELECT d.name FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.case_id = :caseId',
      { caseId },
    );
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
    return rawRequest(server.port, {
      path: `/cases/${caseId}/documents`,
      headers: { ...bearer(attorney.token), 'X-Request-Id': requestId },
      chunks,
      beforeChunk: async (i) => {
        if (i !== 3) return;
        // The upload is past its first checks: its bytes are arriving in the store.
        for (let tries = 0; tries < 100 && !storedFiles(h).some((f) => f.endsWith('.part')); tries++)
          await new Promise((r) => setTimeout(r, 20));
        expect(storedFiles(h).some((f) => f.endsWith('.part'))).toBe(true);
        await midway();
      },
    });
  }

  describe('a legal hold placed, or the case closed, while an upload streams', () => {
    test('when a legal hold is placed during an upload, then the upload ends in 409, its bytes are removed and no version is recorded', async () => {
      const c = await newCase('Hold mid-stream');
      const before = storedFiles(h);
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
      expect(storedFiles(h)).toEqual(before);
      expect(await versionRows(c.id)).toEqual([]);
      expect(await auditEvent(h, requestId)).toMatchObject({
        action: 'document.upload',
        outcome: 'failure',
        status: 409,
        details: { reason: 'legal-hold' },
      });
    });

    test('when the case is closed during an upload, then the upload ends in 409 naming the state, and nothing is kept', async () => {
      const c = await newCase('Closed mid-stream');
      const before = storedFiles(h);
      const requestId = `closed-mid-stream-${backend}`;
      const res = await streamUpload(c.id, 'late.pdf', requestId, async () => {
        expect((await h.http().post(`/cases/${c.id}/close`).set(bearer(attorney.token))).status).toBe(200);
      });
      expect(rawProblem(res, 409).detail).toBe(
        `Case ${c.number} is closed: adding documents is not allowed until its responsible attorney or an administrator reopens it (PATCH /cases/${c.id} with {"status": "open"}).`,
      );
      expect(storedFiles(h)).toEqual(before);
      expect(await versionRows(c.id)).toEqual([]);
      expect((await auditEvent(h, requestId)).details).toEqual({ reason: 'case-closed' });
    });
  });

  describe('early refusals of an upload (see also the service process below)', () => {
    test('when a refused upload announces more than 1 MiB, then the answer comes at once, with Connection: close', async () => {
      const c = await newCase('Large refusal');
      const res = await rawRequest(server.port, {
        path: `/cases/${c.id}/documents`,
        headers: bearer(client.token),
        contentLength: 3 * 1024 * 1024,
        chunks: [],
      });
      rawProblem(res, 403);
      expect((res as RawResponse).headers.connection).toBe('close');
    });
  });

  describe('file names', () => {
    test('when a file name is not ASCII, then it is read as UTF-8 (from fetch and from a hand-made form) and comes back in Content-Disposition', async () => {
      const c = await newCase('Umlauts');
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(pdf(4000))]), 'Müller-Vertrag.pdf');
      const viaFetch = await fetch(`${server.base}/cases/${c.id}/documents`, {
        method: 'POST',
        headers: bearer(attorney.token),
        body: f,
      });
      expect(viaFetch.status).toBe(201);
      const doc = (await viaFetch.json()) as { id: number; name: string };
      expect(doc.name).toBe('Müller-Vertrag.pdf');
      const handMade = await rawRequest(server.port, {
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
        const before = storedFiles(h);
        const res = await rawRequest(server.port, {
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
        expect(storedFiles(h)).toEqual(before);
        expect(await versionRows(c.id)).toEqual([]);
      },
    );
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
