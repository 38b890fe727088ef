import type { Response } from 'express';
import { Router } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor, nextCursor } from '../../http/cursor.js';
import { documentEtag, etagMatches } from '../../http/etag.js';
import type { HttpKit, Reply } from '../../http/route.js';
import { limitParam, parse, parseId, text, trimmed } from '../../http/validation.js';
import type { StoredVersion } from './repository.js';
import type { DocumentService } from './service.js';
import type { ByteRange } from './storage.js';

const listQuery = z.strictObject({
  limit: limitParam,
  cursor: text().max(500, 'expected a cursor returned in page.nextCursor').optional(),
  trashed: z.enum(['true', 'false'], 'expected true or false').default('false'),
});
const downloadQuery = z.strictObject({
  version: z.coerce
    .number('expected a positive integer version')
    .int('expected a positive integer version')
    .min(1, 'expected a positive integer version')
    .max(2_147_483_647, 'expected a positive integer version')
    .optional(),
});
const holdBody = z.strictObject({ reason: trimmed(1000) });

/**
 * The one range form served: a single `bytes=a-b`, `bytes=a-` or `bytes=-n`. Anything else (several
 * ranges, other units) is ignored and the whole document sent, as RFC 9110 allows; undefined means
 * "whole", null means unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined | null {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return null;
  return { start, end };
}

/** `attachment; filename="..."` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

async function streamTo(res: Response, body: Readable): Promise<void> {
  try {
    await pipeline(body, res);
  } catch (err) {
    // Headers are gone: the only honest signal left is a cut connection.
    res.req.log?.warn({ err }, 'document download interrupted');
    res.destroy();
  }
}

export function documentRoutes(kit: HttpKit, documents: DocumentService): Router {
  const router = Router();
  const caseId = (raw: unknown) => parseId(raw as string, 'case');
  const documentId = (raw: unknown) => parseId(raw as string, 'document');

  kit.register(router, {
    method: 'post',
    path: '/cases/:id/documents',
    action: 'document.upload',
    entity: 'case',
    transaction: 'handler',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const upload = await documents.receive(ctx.user, idValue, ctx.req);
      try {
        return await ctx.write(async () => {
          const { document, created } = await documents.record(ctx.user, upload);
          ctx.audit.details = {
            documentId: document.id,
            name: document.name,
            version: document.latest.version,
            size: document.latest.size,
            sha256: document.latest.sha256,
            contentType: document.latest.contentType,
          };
          return {
            status: 201,
            body: { ...document, created },
            headers: { Location: `/documents/${document.id}/versions` },
          };
        });
      } catch (err) {
        // Refused in the transaction (a legal hold placed, the case closed meanwhile) or failed: no blob stays.
        await documents.discard(upload);
        throw err;
      }
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/documents',
    action: 'document.list',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const q = parse('query', listQuery, ctx.req.query);
      const page = await documents.list(
        ctx.user,
        idValue,
        q.trashed === 'true',
        q.limit,
        q.cursor === undefined ? undefined : decodeCursor(q.cursor, 'text'),
      );
      ctx.audit.details = { count: page.data.length };
      const next = nextCursor(page, (d) => encodeCursor(d.name, d.id));
      return { body: { data: page.data, page: { limit: q.limit, nextCursor: next } } };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/documents/:id/versions',
    action: 'document.versions',
    entity: 'document',
    handler: async (ctx) => {
      const { document, versions } = await documents.versions(ctx.user, documentId(ctx.req.params.id));
      return { body: { document, data: versions } };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/documents/:id/download',
    action: 'document.download',
    entity: 'document',
    handler: async (ctx): Promise<Reply> => {
      const idValue = documentId(ctx.req.params.id);
      const q = parse('query', downloadQuery, ctx.req.query);
      const version: StoredVersion = await documents.version(ctx.user, idValue, q.version);
      const etag = documentEtag(version.sha256);
      ctx.audit.details = { version: version.version };
      const headers: Record<string, string> = {
        ETag: etag,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'private, no-cache',
        'X-Content-Type-Options': 'nosniff',
      };
      const inm = ctx.req.get('If-None-Match');
      if (inm !== undefined && etagMatches(inm, etag)) return { status: 304, headers };
      const ifRange = ctx.req.get('If-Range');
      let range = parseRange(ctx.req.get('Range'), version.size);
      if (ifRange !== undefined && ifRange.trim() !== etag) range = undefined;
      if (range === null) {
        throw new AppError(
          416,
          'Range Not Satisfiable',
          `The document is ${version.size} bytes long; the requested range lies outside it.`,
          [
            {
              field: 'headers.range',
              message: `expected a byte range within 0-${Math.max(0, version.size - 1)}`,
            },
          ],
          { 'Content-Range': `bytes */${version.size}` },
        );
      }
      const body = await documents.open(version, range);
      Object.assign(headers, {
        'Content-Type': version.contentType,
        'Content-Disposition': contentDisposition(version.name),
        'Content-Length': String(range ? range.end - range.start + 1 : version.size),
        ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${version.size}` } : {}),
      });
      if (range) ctx.audit.details.range = `${range.start}-${range.end}`;
      return { status: range ? 206 : 200, headers, send: (res) => streamTo(res, body) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/documents/:id',
    action: 'document.delete',
    entity: 'document',
    handler: async (ctx) => {
      await documents.trash(ctx.user, documentId(ctx.req.params.id));
      return { status: 204 };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/documents/:id/restore',
    action: 'document.restore',
    entity: 'document',
    handler: async (ctx) => ({ body: await documents.restore(ctx.user, documentId(ctx.req.params.id)) }),
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/legal-hold',
    action: 'legal-hold.read',
    entity: 'case',
    handler: async (ctx) => {
      const hold = await documents.hold(ctx.user, caseId(ctx.req.params.id));
      return { body: hold === null ? { active: false } : { active: true, ...hold } };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/legal-hold',
    action: 'legal-hold.set',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const body = parse('body', holdBody, ctx.req.body);
      ctx.audit.details = { reason: body.reason };
      return {
        status: 201,
        body: { active: true, ...(await documents.setHold(ctx.user, idValue, body.reason)) },
      };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/legal-hold',
    action: 'legal-hold.release',
    entity: 'case',
    handler: async (ctx) => {
      await documents.releaseHold(ctx.user, caseId(ctx.req.params.id));
      return { status: 204 };
    },
  });
  return router;
}
