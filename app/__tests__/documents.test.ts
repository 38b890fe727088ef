import { statSync } from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import { bearer, createCase, expectProblem } from './helpers/api.js';
import { backends, cast, startHarness, type TestUser } from './helpers/harness.js';
import {
  closedPort,
  executable,
  filesUnder,
  listening,
  multipart,
  pdf,
  PNG,
  rawProblem,
  rawRequest,
  sha256,
  startS3,
  type RawResponse,
  type S3Server,
} from './helpers/documents.js';

const MAX = 100_000;

const combos = (await backends()).flatMap((b) => [[b, 'local'] as const, [b, 's3'] as const]);

/** s3rver, with the credentials the service's AWS SDK takes from the environment set to s3rver's pair. */
async function startS3WithCredentials(): Promise<S3Server> {
  const s3 = await startS3();
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  return s3;
}

/** The settings that keep documents in the bucket of `s3`, reached at `endpoint`. */
const s3Settings = (s3: S3Server, endpoint = s3.endpoint) => ({
  S3_BUCKET: s3.bucket,
  S3_ENDPOINT: endpoint,
  S3_REGION: 'us-east-1',
  S3_FORCE_PATH_STYLE: 'true',
});

describe.each(combos)('documents on %s with %s storage', (backend, storage) => {
  let s3: S3Server | undefined;
  let s3client: S3Client | undefined;
  let caseId: number;

  beforeAll(async () => {
    if (storage !== 's3') return;
    s3 = await startS3WithCredentials();
    s3client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });
  const { h, admin, attorney, paralegal, client, outsider } = cast(
    backend,
    { admin: 'admin', attorney: 'attorney', paralegal: 'paralegal', client: 'client', outsider: 'attorney' },
    () => ({ DOCUMENT_MAX_BYTES: String(MAX), ...(s3 ? s3Settings(s3) : {}) }),
  );
  const server = listening(h);
  beforeAll(async () => {
    const acme = { title: 'Acme v. Widget', clientName: 'Acme', clientId: client.id };
    caseId = (await createCase(h, attorney, acme, [paralegal])).id;
  });
  afterAll(async () => {
    s3client?.destroy();
    await s3?.close();
  });

  const upload = (user: TestUser, data: Buffer, filename: string, id = caseId) =>
    h.http().post(`/cases/${id}/documents`).set(bearer(user.token)).attach('file', data, filename);

  /** What the storage holds, read past the service: the directory, or the bucket through a separate client. */
  async function blobs(): Promise<string[]> {
    if (!s3client) return filesUnder(h.config.documents.dir);
    const listed = await s3client.send(new ListObjectsV2Command({ Bucket: s3!.bucket }));
    return (listed.Contents ?? []).map((o) => o.Key!).sort();
  }
  const count = async (table: string) =>
    Number((await h.db.one<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n);

  /** Nothing half-written: every stored blob belongs to exactly one version row, and no .part file exists. */
  async function expectConsistent() {
    const stored = await blobs();
    expect(stored.filter((k) => k.endsWith('.part'))).toEqual([]);
    expect(stored).toHaveLength(await count('document_versions'));
    expect(await count('documents')).toBe(
      Number(
        (await h.db.one<{ n: unknown }>('SELECT COUNT(DISTINCT document_id) AS n FROM document_versions'))!.n,
      ),
    );
  }
  async function auditRow(requestId: string) {
    for (let i = 0; i < 100; i++) {
      const rows = await h.auditOf(requestId);
      if (rows.length > 0) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no audit event for request ${requestId}`);
  }

  test('when a PDF is uploaded twice under one name, then there are two immutable versions, each with the SHA-256 of its bytes', async () => {
    const first = pdf(30_000);
    const second = pdf(12_345);
    const res1 = await upload(paralegal, first, 'engagement-letter.pdf');
    expect(res1.status).toBe(201);
    expect(res1.body).toMatchObject({
      caseId,
      name: 'engagement-letter.pdf',
      created: true,
      deletedAt: null,
      latest: { version: 1, size: first.length, sha256: sha256(first), contentType: 'application/pdf' },
    });
    const audit = await h.auditOf(res1.headers['x-request-id'] as string);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'document.upload', outcome: 'success', status: 201 });
    expect(JSON.parse(String(audit[0]!.details))).toMatchObject({ sha256: sha256(first), version: 1 });

    const res2 = await upload(attorney, second, 'engagement-letter.pdf');
    expect(res2.status).toBe(201);
    expect(res2.body).toMatchObject({
      id: res1.body.id,
      created: false,
      latest: { version: 2, sha256: sha256(second) },
    });

    const versions = await h.http().get(`/documents/${res1.body.id}/versions`).set(bearer(client.token));
    expect(versions.status).toBe(200);
    expect(versions.body.data.map((v: { version: number; sha256: string }) => [v.version, v.sha256])).toEqual(
      [
        [2, sha256(second)],
        [1, sha256(first)],
      ],
    );

    const v1 = await h
      .http()
      .get(`/documents/${res1.body.id}/download?version=1`)
      .set(bearer(client.token))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(v1.status).toBe(200);
    expect(Buffer.compare(v1.body as Buffer, first)).toBe(0);
    expect(v1.headers.etag).toBe(`"${sha256(first)}"`);
    expect(v1.headers['content-type']).toBe('application/pdf');
    expect(v1.headers['content-disposition']).toBe(
      `attachment; filename="engagement-letter.pdf"; filename*=UTF-8''engagement-letter.pdf`,
    );
    const latest = await rawRequest(server.port, {
      method: 'GET',
      path: `/documents/${res1.body.id}/download`,
      headers: bearer(client.token),
      chunks: [],
    });
    expect((latest as RawResponse).status).toBe(200);
    expect(sha256((latest as RawResponse).body)).toBe(sha256(second));

    const notModified = await rawRequest(server.port, {
      method: 'GET',
      path: `/documents/${res1.body.id}/download`,
      headers: { ...bearer(client.token), 'If-None-Match': `"${sha256(second)}"` },
      chunks: [],
    });
    expect((notModified as RawResponse).status).toBe(304);
    expect((notModified as RawResponse).body).toHaveLength(0);
    await expectConsistent();
  });

  test('when several uploads of one name arrive at once, then each becomes its own version', async () => {
    const files = [pdf(9000), pdf(9100), pdf(9200), pdf(9300)];
    const results = await Promise.all(files.map((f) => upload(paralegal, f, 'simultaneous.pdf')));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const id = results[0]!.body.id as number;
    expect(new Set(results.map((r) => r.body.id))).toEqual(new Set([id]));
    const versions = await h.http().get(`/documents/${id}/versions`).set(bearer(paralegal.token));
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
    expect(versions.body.data.map((v: { sha256: string }) => v.sha256).sort()).toEqual(
      files.map(sha256).sort(),
    );
    await expectConsistent();
  });

  test('when byte ranges are requested, then 206 carries exactly those bytes; a range past the end is 416', async () => {
    const data = pdf(50_000);
    const doc = (await upload(attorney, data, 'ranges.pdf')).body as { id: number };
    const get = (range: string, extra: Record<string, string> = {}) =>
      rawRequest(server.port, {
        method: 'GET',
        path: `/documents/${doc.id}/download`,
        headers: { ...bearer(attorney.token), Range: range, ...extra },
        chunks: [],
      }) as Promise<RawResponse>;
    const mid = await get('bytes=100-4195');
    expect(mid.status).toBe(206);
    expect(mid.headers['content-range']).toBe(`bytes 100-4195/${data.length}`);
    expect(Buffer.compare(mid.body, data.subarray(100, 4196))).toBe(0);
    const suffix = await get('bytes=-10');
    expect(suffix.status).toBe(206);
    expect(Buffer.compare(suffix.body, data.subarray(data.length - 10))).toBe(0);
    const open = await get(`bytes=${data.length - 3}-`);
    expect(Buffer.compare(open.body, data.subarray(data.length - 3))).toBe(0);
    const stale = await get('bytes=0-9', { 'If-Range': '"not-the-etag"' });
    expect(stale.status).toBe(200);
    expect(stale.body).toHaveLength(data.length);
    const outside = await get(`bytes=${data.length}-`);
    const problem = rawProblem(outside, 416);
    expect(outside.headers['content-range']).toBe(`bytes */${data.length}`);
    expect(problem.errors).toEqual([
      { field: 'headers.range', message: `expected a byte range within 0-${data.length - 1}` },
    ]);
  });

  test('when a case has more documents than a page, then the list pages through latest versions by name', async () => {
    const created = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'Paging', clientName: 'P' });
    const id = created.body.id as number;
    for (const name of ['c.pdf', 'a.pdf', 'b.png']) {
      const data = name.endsWith('.png') ? PNG : pdf(5000);
      expect((await upload(attorney, data, name, id)).status).toBe(201);
    }
    expect((await upload(attorney, pdf(6000), 'a.pdf', id)).body.latest.version).toBe(2);
    const page1 = await h.http().get(`/cases/${id}/documents?limit=2`).set(bearer(attorney.token));
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((d: { name: string }) => d.name)).toEqual(['a.pdf', 'b.png']);
    expect(page1.body.data[0].latest.version).toBe(2);
    expect(page1.body.data[1].latest.contentType).toBe('image/png');
    const page2 = await h
      .http()
      .get(`/cases/${id}/documents?limit=2&cursor=${page1.body.page.nextCursor}`)
      .set(bearer(attorney.token));
    expect(page2.body.data.map((d: { name: string }) => d.name)).toEqual(['c.pdf']);
    expect(page2.body.page.nextCursor).toBeNull();
  });

  describe('bad input', () => {
    test('when the document is larger than DOCUMENT_MAX_BYTES while streaming, then 413 and nothing is kept', async () => {
      const before = await blobs();
      const body = multipart([
        { name: 'file', filename: 'huge.pdf', type: 'application/pdf', data: pdf(MAX + 5000) },
      ]);
      // Chunked, so only the streaming check can catch it.
      const chunks = Array.from({ length: Math.ceil(body.length / 8192) }, (_, i) =>
        body.subarray(i * 8192, (i + 1) * 8192),
      );
      const res = await rawRequest(server.port, {
        path: `/cases/${caseId}/documents`,
        headers: bearer(attorney.token),
        chunks,
      });
      const problem = rawProblem(res, 413);
      expect(problem.errors).toEqual([{ field: 'body.file', message: `expected at most ${MAX} bytes` }]);
      expect(await blobs()).toEqual(before);
      await expectConsistent();
    });

    test('when Content-Length announces more than the limit, then 413 before a byte of the body is read', async () => {
      const res = await rawRequest(server.port, {
        path: `/cases/${caseId}/documents`,
        headers: bearer(attorney.token),
        contentLength: 50 * 1024 * 1024,
        chunks: [],
      });
      const problem = rawProblem(res, 413);
      expect(problem.detail).toContain(`limit of ${MAX} bytes`);
      expect((res as RawResponse).headers.connection).toBe('close');
    });

    test('when the bytes are of a type outside the allow-list, then 415 names the accepted types', async () => {
      const res = await upload(attorney, executable(), 'tool.bin');
      const problem = expectProblem(res, 415);
      expect(problem.detail).toMatch(
        /^The content of 'tool\.bin' is application\/x-(elf|mach-binary|msdownload)/,
      );
      expect((problem.errors as { field: string; message: string }[])[0]).toEqual({
        field: 'body.file',
        message: `expected content of one of these types: ${h.config.documents.allowedTypes.join(', ')}`,
      });
      const text = await upload(attorney, Buffer.from('just some words\n'.repeat(100)), 'notes.pdf');
      expect(expectProblem(text, 415).detail).toContain('of no recognised type');
      await expectConsistent();
    });

    test('when the extension lies about the content, then 415 (a PNG named .pdf, an executable named .pdf)', async () => {
      const png = await upload(attorney, PNG, 'contract.pdf');
      expect(expectProblem(png, 415).errors).toEqual([
        { field: 'body.file', message: 'expected a file name ending in .png for image/png content' },
      ]);
      const exe = await upload(attorney, executable(), 'invoice.pdf');
      expectProblem(exe, 415);
      const listed = await h.http().get(`/cases/${caseId}/documents?limit=200`).set(bearer(attorney.token));
      expect(listed.body.data.map((d: { name: string }) => d.name)).not.toContain('contract.pdf');
      await expectConsistent();
    });

    test('when the client goes away mid-stream, then no partial file, object or row is left', async () => {
      const before = await blobs();
      const rowsBefore = await count('document_versions');
      const body = multipart([
        { name: 'file', filename: 'interrupted.pdf', type: 'application/pdf', data: pdf(90_000) },
      ]);
      const chunks = Array.from({ length: 10 }, (_, i) => body.subarray(i * 9100, (i + 1) * 9100));
      const requestId = `interrupted-${backend}-${storage}`;
      const res = await rawRequest(server.port, {
        path: `/cases/${caseId}/documents`,
        headers: { ...bearer(attorney.token), 'X-Request-Id': requestId },
        chunks,
        abortAfter: 6,
      });
      expect(res).toBe('aborted');
      const audit = await auditRow(requestId);
      expect(audit[0]).toMatchObject({ action: 'document.upload', outcome: 'failure', status: 400 });
      expect(await blobs()).toEqual(before);
      expect(await count('document_versions')).toBe(rowsBefore);
      expect(await h.db.one("SELECT id FROM documents WHERE name = 'interrupted.pdf'")).toBeUndefined();
    });

    test('when the form is not what is expected, then 400/415 name the part and what was expected', async () => {
      const url = `/cases/${caseId}/documents`;
      const notMultipart = await h.http().post(url).set(bearer(attorney.token)).send({ file: 'x' });
      expect(expectProblem(notMultipart, 415).errors).toEqual([
        { field: 'headers.content-type', message: 'expected multipart/form-data with a boundary' },
      ]);
      const noFile = await rawRequest(server.port, {
        path: url,
        headers: bearer(attorney.token),
        chunks: [multipart([])],
      });
      expect(rawProblem(noFile, 400).errors).toEqual([
        { field: 'body.file', message: "expected a file part named 'file'" },
      ]);
      const wrongName = await rawRequest(server.port, {
        path: url,
        headers: bearer(attorney.token),
        chunks: [multipart([{ name: 'upload', filename: 'a.pdf', data: pdf(1000) }])],
      });
      expect(rawProblem(wrongName, 400).errors).toEqual([
        { field: 'body.upload', message: "expected one file part named 'file'" },
      ]);
      const field = await rawRequest(server.port, {
        path: url,
        headers: bearer(attorney.token),
        chunks: [
          multipart([
            { name: 'title', data: Buffer.from('x') },
            { name: 'file', filename: 'a.pdf', data: pdf(1000) },
          ]),
        ],
      });
      expect(rawProblem(field, 400).errors).toEqual([
        { field: 'body.title', message: "expected one file part named 'file' and no other fields" },
      ]);
      const empty = await upload(attorney, Buffer.alloc(0), 'empty.pdf');
      expect(expectProblem(empty, 400).errors).toEqual([
        { field: 'body.file', message: 'expected a non-empty file' },
      ]);
      const badVersion = await h.http().get('/documents/1/download?version=abc').set(bearer(attorney.token));
      expect(expectProblem(badVersion, 400).errors).toEqual([
        { field: 'query.version', message: 'expected a positive integer version' },
      ]);
      const badTrashed = await h
        .http()
        .get(`/cases/${caseId}/documents?trashed=maybe`)
        .set(bearer(attorney.token));
      expect(expectProblem(badTrashed, 400).errors).toEqual([
        { field: 'query.trashed', message: 'expected true or false' },
      ]);
      const badHold = await h
        .http()
        .post(`/cases/${caseId}/legal-hold`)
        .set(bearer(attorney.token))
        .send({ reason: '' });
      expect(expectProblem(badHold, 400).errors).toEqual([
        { field: 'body.reason', message: 'expected a non-empty string' },
      ]);
      expectProblem(await h.http().get('/documents/999999/versions').set(bearer(attorney.token)), 404);
      await expectConsistent();
    });
  });

  test('when a case is under legal hold, then no document of it can be deleted or added until the hold is released', async () => {
    const created = await h
      .http()
      .post('/cases')
      .set(bearer(attorney.token))
      .send({ title: 'Held', clientName: 'H' });
    const id = created.body.id as number;
    await h.http().post(`/cases/${id}/members`).set(bearer(attorney.token)).send({ userId: paralegal.id });
    const doc = (await upload(paralegal, pdf(3000), 'evidence.pdf', id)).body as { id: number };

    const byParalegal = await h
      .http()
      .post(`/cases/${id}/legal-hold`)
      .set(bearer(paralegal.token))
      .send({ reason: 'Litigation' });
    expectProblem(byParalegal, 403);
    const placed = await h
      .http()
      .post(`/cases/${id}/legal-hold`)
      .set(bearer(attorney.token))
      .send({ reason: 'Litigation expected' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      active: true,
      caseId: id,
      reason: 'Litigation expected',
      setBy: attorney.id,
    });
    expectProblem(
      await h.http().post(`/cases/${id}/legal-hold`).set(bearer(admin.token)).send({ reason: 'again' }),
      409,
    );

    for (const who of [paralegal, attorney, admin]) {
      const del = await h.http().delete(`/documents/${doc.id}`).set(bearer(who.token));
      expect(expectProblem(del, 409).detail).toContain('legal hold');
      const audit = await h.auditOf(del.headers['x-request-id'] as string);
      expect(audit[0]).toMatchObject({ action: 'document.delete', outcome: 'failure', status: 409 });
      expect(JSON.parse(String(audit[0]!.details))).toEqual({ reason: 'legal-hold' });
    }
    expectProblem(await upload(paralegal, pdf(3000), 'evidence.pdf', id), 409);
    expectProblem(await upload(attorney, pdf(3000), 'new.pdf', id), 409);
    expect((await h.http().get(`/cases/${id}/legal-hold`).set(bearer(client.token))).status).toBe(404);
    expect((await h.http().get(`/cases/${id}/legal-hold`).set(bearer(paralegal.token))).body.active).toBe(
      true,
    );

    expect((await h.http().delete(`/cases/${id}/legal-hold`).set(bearer(admin.token))).status).toBe(204);
    expect((await h.http().get(`/cases/${id}/legal-hold`).set(bearer(paralegal.token))).body).toEqual({
      active: false,
    });
    const trashed = await h.http().delete(`/documents/${doc.id}`).set(bearer(paralegal.token));
    expect(trashed.status).toBe(204);
    expect((await h.http().get(`/cases/${id}/documents`).set(bearer(paralegal.token))).body.data).toEqual([]);
    const trash = await h.http().get(`/cases/${id}/documents?trashed=true`).set(bearer(paralegal.token));
    expect(trash.body.data).toMatchObject([{ id: doc.id, deletedBy: paralegal.id }]);
    expectProblem(await upload(paralegal, pdf(2000), 'evidence.pdf', id), 409);
    const restored = await h.http().post(`/documents/${doc.id}/restore`).set(bearer(paralegal.token));
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: doc.id, deletedAt: null });
    expectProblem(await h.http().post(`/documents/${doc.id}/restore`).set(bearer(paralegal.token)), 409);
  });

  test('when a wall bars a member, or a user is not on the case, then its documents are hidden (404, audited as denied)', async () => {
    const doc = (await upload(attorney, pdf(4000), 'privileged.pdf')).body as { id: number };
    expectProblem(await upload(client, pdf(1000), 'from-client.pdf'), 403);
    expect((await h.http().get(`/documents/${doc.id}/download`).set(bearer(client.token))).status).toBe(200);
    const wall = await h
      .http()
      .post(`/cases/${caseId}/walls`)
      .set(bearer(admin.token))
      .send({ userId: paralegal.id, reason: 'Former employer of the opposing party' });
    expect(wall.status).toBe(201);
    try {
      const calls: [string, () => Promise<Response>][] = [
        ['document.upload', () => upload(paralegal, pdf(2000), 'walled.pdf')],
        ['document.list', () => h.http().get(`/cases/${caseId}/documents`).set(bearer(paralegal.token))],
        [
          'document.versions',
          () => h.http().get(`/documents/${doc.id}/versions`).set(bearer(paralegal.token)),
        ],
        [
          'document.download',
          () => h.http().get(`/documents/${doc.id}/download`).set(bearer(paralegal.token)),
        ],
        ['document.delete', () => h.http().delete(`/documents/${doc.id}`).set(bearer(paralegal.token))],
      ];
      for (const [action, call] of calls) {
        const res = await call();
        const problem = expectProblem(res, 404);
        expect(String(problem.detail)).not.toContain('privileged');
        const audit = await h.auditOf(res.headers['x-request-id'] as string);
        expect(audit[0]).toMatchObject({ action, outcome: 'denied', status: 404 });
        expect(JSON.parse(String(audit[0]!.details))).toEqual({ reason: 'ethical-wall' });
      }
      const stranger = await h.http().get(`/documents/${doc.id}/download`).set(bearer(outsider.token));
      expect(expectProblem(stranger, 404).detail).toBe(`No document with id '${doc.id}'.`);
    } finally {
      await h.http().delete(`/cases/${caseId}/walls/${paralegal.id}`).set(bearer(admin.token));
    }
    await expectConsistent();
  });

  // Only the S3 variants have an S3 to lose (defined there, not skipped elsewhere).
  if (storage === 's3')
    test('when S3 is unreachable, then uploads and downloads are a clear 503 and nothing is half-written', async () => {
      const port = await closedPort();
      const down = await startHarness(backend, {
        ...s3Settings(s3!, `http://127.0.0.1:${port}`),
        S3_TIMEOUT_MS: '2000',
      });
      try {
        const lawyer = await down.createUser('attorney');
        const c = await down
          .http()
          .post('/cases')
          .set(bearer(lawyer.token))
          .send({ title: 'Down', clientName: 'D' });
        const res = await down
          .http()
          .post(`/cases/${c.body.id}/documents`)
          .set(bearer(lawyer.token))
          .attach('file', pdf(20_000), 'offline.pdf');
        const problem = expectProblem(res, 503);
        expect(problem.detail).toBe(
          'Document storage (S3) is unavailable; nothing was stored. Try again later.',
        );
        expect(res.headers['retry-after']).toBe('30');
        expect(await down.db.all('SELECT * FROM documents')).toEqual([]);
        expect(await down.db.all('SELECT * FROM document_versions')).toEqual([]);
        const audit = await down.auditOf(res.headers['x-request-id'] as string);
        expect(audit[0]).toMatchObject({ action: 'document.upload', outcome: 'failure', status: 503 });
        expect(String(JSON.parse(String(audit[0]!.details)).reason)).toMatch(/^storage-unavailable: /);
        // A version recorded while S3 was up (written straight into the tables): its download is a 503 too.
        const now = new Date();
        const doc = await down.db.one<{ id: unknown }>(
          `INSERT INTO documents (case_id, name, created_by, created_at, updated_at)
           VALUES (:caseId, 'earlier.pdf', :userId, :now, :now) RETURNING id`,
          { caseId: c.body.id, userId: lawyer.id, now },
        );
        await down.db.all(
          `INSERT INTO document_versions (document_id, version, size, sha256, content_type, storage_key, created_by, created_at)
           VALUES (:id, 1, 10, :sha, 'application/pdf', :key, :userId, :now) RETURNING id`,
          { id: Number(doc!.id), sha: 'a'.repeat(64), key: `${c.body.id}/earlier`, userId: lawyer.id, now },
        );
        const download = await down
          .http()
          .get(`/documents/${Number(doc!.id)}/download`)
          .set(bearer(lawyer.token));
        expect(expectProblem(download, 503).detail).toBe(
          'Document storage (S3) is unavailable. Try again later.',
        );
        expect(download.headers['retry-after']).toBe('30');
      } finally {
        await down.close();
      }
    }, 30_000);
});

describe.each(combos)('large documents on %s with %s storage (default 25 MiB limit)', (backend, storage) => {
  let s3: S3Server | undefined;
  let caseId: number;

  beforeAll(async () => {
    if (storage === 's3') s3 = await startS3WithCredentials();
  });
  const { h, lawyer } = cast(backend, { lawyer: 'attorney' }, () => (s3 ? s3Settings(s3) : {}));
  const server = listening(h);
  beforeAll(async () => {
    caseId = (await h.http().post('/cases').set(bearer(lawyer.token)).send({ title: 'Big', clientName: 'B' }))
      .body.id as number;
  });
  afterAll(async () => {
    await s3?.close();
  });

  test('when a 12 MB document arrives in chunks, then it is stored while it streams and comes back byte for byte', async () => {
    expect(h.config.documents.maxBytes).toBe(25 * 1024 * 1024);
    const data = pdf(12 * 1024 * 1024);
    const body = multipart([{ name: 'file', filename: 'discovery.pdf', type: 'application/pdf', data }]);
    const size = 256 * 1024;
    const chunks = Array.from({ length: Math.ceil(body.length / size) }, (_, i) =>
      body.subarray(i * size, (i + 1) * size),
    );
    const half = Math.floor(chunks.length / 2);
    let partSeen = -1;
    const res = (await rawRequest(server.port, {
      path: `/cases/${caseId}/documents`,
      headers: bearer(lawyer.token),
      chunks,
      beforeChunk: async (i) => {
        if (i !== half || storage !== 'local') return;
        // Half-way through, the bytes so far are already on disk, in a .part file, not held in memory.
        for (let tries = 0; tries < 50 && partSeen <= 0; tries++) {
          await new Promise((r) => setTimeout(r, 20));
          const part = filesUnder(h.config.documents.dir).find((f) => f.endsWith('.part'));
          partSeen = part ? statSync(path.join(h.config.documents.dir, part)).size : -1;
        }
      },
    })) as RawResponse;
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ latest: { size: data.length, sha256: sha256(data) } });
    if (storage === 'local') {
      expect(partSeen).toBeGreaterThan(1024 * 1024);
      expect(partSeen).toBeLessThan(data.length);
      expect(filesUnder(h.config.documents.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    }
    const id = (res.json() as { id: number }).id;
    const whole = (await rawRequest(server.port, {
      method: 'GET',
      path: `/documents/${id}/download`,
      headers: bearer(lawyer.token),
      chunks: [],
    })) as RawResponse;
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(data.length));
    expect(sha256(whole.body)).toBe(sha256(data));
    // A range across S3's 5 MiB part boundary.
    const start = 5 * 1024 * 1024 - 100;
    const ranged = (await rawRequest(server.port, {
      method: 'GET',
      path: `/documents/${id}/download`,
      headers: { ...bearer(lawyer.token), Range: `bytes=${start}-${start + 199}` },
      chunks: [],
    })) as RawResponse;
    expect(ranged.status).toBe(206);
    expect(Buffer.compare(ranged.body, data.subarray(start, start + 200))).toBe(0);
  }, 60_000);
});
