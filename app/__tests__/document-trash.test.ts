import { describe, expect, test } from '@jest/globals';
import { auditEvent, bearer, createCase, expectProblem } from './helpers/api.js';
import { listening, pdf, uploadDocument } from './helpers/documents.js';
import { backends, cast } from './helpers/harness.js';

describe.each(await backends())('the document trash on %s', (backend) => {
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

  describe('concurrent deletes and restores', () => {
    test('when eight requests delete one document at once, then one 204 and seven 409, one audited success; likewise for restore', async () => {
      const c = await newCase('Races');
      const doc = (await uploadDocument(h, paralegal, c.id, pdf(3000), 'raced.pdf')).body as { id: number };
      const race = async (method: string, path: string, success: number) => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            fetch(`${server.base}${path}`, { method, headers: bearer(paralegal.token) }).then(async (r) => ({
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

  describe('who sees the trash', () => {
    test('when a document is in the trash, then only roles that may restore it (case:write) see, list and download it', async () => {
      const c = await newCase('Trash');
      const data = pdf(3000);
      const doc = (await uploadDocument(h, paralegal, c.id, data, 'binned.pdf')).body as { id: number };
      expect((await h.http().delete(`/documents/${doc.id}`).set(bearer(attorney.token))).status).toBe(204);

      for (const [path, action] of [
        [`/documents/${doc.id}/versions`, 'document.versions'],
        [`/documents/${doc.id}/download`, 'document.download'],
      ] as const) {
        const res = await h.http().get(path).set(bearer(client.token));
        expect(expectProblem(res, 404).detail).toBe(`No document with id '${doc.id}'.`);
        expect(await auditEvent(h, res.headers['x-request-id'] as string)).toMatchObject({
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
