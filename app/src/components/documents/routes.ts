import type { Response } from 'express';
import { Router } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor, nextCursor } from '../../http/cursor.js';
import { documentEtag, weakMatch } from '../../http/etag.js';
import { empty, headers, json, page, problem, type HeaderSpec } from '../../http/openapi.js';
import type { HttpKit, Reply } from '../../http/route.js';
import { limitParam, MAX_ID, opaqueCursor, queryInt, trimmed } from '../../http/validation.js';
import type { StoredVersion } from './repository.js';
import { documentSchema, holdSchema, uploadedSchema, versionSchema } from './schemas.js';
import type { DocumentService } from './service.js';
import type { ByteRange } from './storage.js';

const listQuery = z.strictObject({
  limit: limitParam,
  cursor: opaqueCursor().optional(),
  trashed: z
    .enum(['true', 'false'], 'expected true or false')
    .default('false')
    .describe('true lists the trash instead (case:write on the case)'),
});
const downloadQuery = z.strictObject({
  version: queryInt(1, MAX_ID, 'expected a positive integer version')
    .optional()
    .describe('Version number (default: the latest)'),
});
const downloadHeaders = z.object({
  Range: z
    .string()
    .optional()
    .describe('One byte range, e.g. bytes=0-1023; any other form gets the whole document'),
  'If-Range': z.string().optional().describe('The ETag the Range applies to'),
  'If-None-Match': z.string().optional().describe('ETags the client holds (weak comparison)'),
});
const holdBody = z.strictObject({
  reason: trimmed(1000).meta({ examples: ['Litigation expected: preserve every document'] }),
});
const caseParams = { id: 'case' };
const documentParams = { id: 'document' };
const hidden = problem('No such case or document, or hidden from the caller (walled off, not a member)');
const storageDown = (what: string) => problem(`Document storage unreachable; ${what}`, headers.retryAfter);
const byteHeaders: Record<string, HeaderSpec> = {
  ...headers.etag,
  'Content-Disposition': {
    description: 'attachment, with the file name',
    schema: { type: 'string' },
    required: true,
  },
  'Content-Length': { description: 'Bytes sent', schema: { type: 'string' }, required: true },
  'Accept-Ranges': { description: 'bytes', schema: { type: 'string' }, required: true },
};
/** Downloads are sent as the media type sniffed from their bytes at upload (application/pdf, image/png, ...). */
const bytes = { '*/*': {} };

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

  kit.register(router, {
    method: 'post',
    path: '/cases/:id/documents',
    summary:
      'Upload a document (case:write on the case): multipart/form-data with one part named "file"; the same name adds a new version',
    action: 'document.upload',
    entity: 'case',
    transaction: 'handler',
    request: {
      params: caseParams,
      multipart: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
        additionalProperties: false,
      },
    },
    responses: {
      201: json('Stored', uploadedSchema, headers.location),
      400: problem(
        'Malformed form, no file, an empty file, no usable file name, or the upload was interrupted',
      ),
      403: problem('The role on the case may not add documents'),
      404: hidden,
      409: problem('The case is closed or under legal hold, or the name belongs to a document in the trash'),
      413: problem('Larger than DOCUMENT_MAX_BYTES'),
      415: problem(
        'Not multipart/form-data, a content type DOCUMENT_TYPES does not allow, or a name that does not match the content',
      ),
      503: storageDown('nothing was stored'),
    },
    handler: async (ctx) => {
      const upload = await documents.receive(ctx.user, ctx.params.id, ctx.req);
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
    summary: 'Latest versions of the documents of a case, by name (case:read on the case)',
    action: 'document.list',
    entity: 'case',
    request: { params: caseParams, query: listQuery },
    responses: {
      200: json('Documents', page(documentSchema)),
      403: problem('The trash, for a role on the case without case:write'),
      404: hidden,
    },
    handler: async (ctx) => {
      const q = ctx.query;
      const page = await documents.list(
        ctx.user,
        ctx.params.id,
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
    summary: 'Every version of a document, newest first',
    action: 'document.versions',
    entity: 'document',
    request: { params: documentParams },
    responses: {
      200: json('Versions', z.object({ document: documentSchema, data: z.array(versionSchema) })),
      404: hidden,
    },
    handler: async (ctx) => {
      const { document, versions } = await documents.versions(ctx.user, ctx.params.id);
      return { body: { document, data: versions } };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/documents/:id/download',
    summary: 'The bytes of a version (the latest by default), streamed; single byte ranges supported',
    action: 'document.download',
    entity: 'document',
    request: { params: documentParams, query: downloadQuery, headers: downloadHeaders },
    responses: {
      200: {
        description: 'The document, as the media type sniffed at upload',
        content: bytes,
        headers: byteHeaders,
      },
      206: {
        description: 'The requested range',
        content: bytes,
        headers: {
          ...byteHeaders,
          'Content-Range': {
            description: 'bytes start-end/size',
            schema: { type: 'string' },
            required: true,
          },
        },
      },
      304: empty('Not modified: If-None-Match named the current ETag', headers.etag),
      404: problem('No such document or version, or hidden from the caller'),
      416: problem('The range lies outside the document', {
        'Content-Range': { description: 'bytes */size', schema: { type: 'string' }, required: true },
      }),
      503: storageDown('try again later'),
    },
    handler: async (ctx): Promise<Reply> => {
      const version: StoredVersion = await documents.version(ctx.user, ctx.params.id, ctx.query.version);
      const etag = documentEtag(version.sha256);
      ctx.audit.details = { version: version.version };
      const headers: Record<string, string> = {
        ETag: etag,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'private, no-cache',
        'X-Content-Type-Options': 'nosniff',
      };
      const inm = ctx.headers['If-None-Match'];
      if (inm !== undefined && weakMatch(inm, etag)) return { status: 304, headers };
      const ifRange = ctx.headers['If-Range'];
      let range = parseRange(ctx.headers.Range, version.size);
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
    summary: 'Move a document to the trash (case:write on the case); refused under legal hold',
    action: 'document.delete',
    entity: 'document',
    request: { params: documentParams },
    responses: {
      204: empty('In the trash'),
      403: problem('The role on the case may not delete documents'),
      404: hidden,
      409: problem('The case is closed or under legal hold, or the document is already in the trash'),
    },
    handler: async (ctx) => {
      await documents.trash(ctx.user, ctx.params.id);
      return { status: 204 };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/documents/:id/restore',
    summary: 'Take a document out of the trash (case:write on the case)',
    action: 'document.restore',
    entity: 'document',
    request: { params: documentParams },
    responses: {
      200: json('Restored', documentSchema),
      403: problem('The role on the case may not restore documents'),
      404: hidden,
      409: problem('The case is closed, or the document is not in the trash'),
    },
    handler: async (ctx) => ({ body: await documents.restore(ctx.user, ctx.params.id) }),
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/legal-hold',
    summary: 'Whether the case is under legal hold (case:read)',
    action: 'legal-hold.read',
    entity: 'case',
    request: { params: caseParams },
    responses: { 200: json('The hold, or active: false', holdSchema), 404: hidden },
    handler: async (ctx) => {
      const hold = await documents.hold(ctx.user, ctx.params.id);
      return { body: hold === null ? { active: false } : { active: true, ...hold } };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/legal-hold',
    summary:
      'Place a legal hold: no document of the case may be deleted or added (admin or attorney of the case)',
    action: 'legal-hold.set',
    entity: 'case',
    request: { params: caseParams, body: holdBody },
    responses: {
      201: json('Placed', holdSchema),
      403: problem('Only an admin or an attorney of the case'),
      404: hidden,
      409: problem('Already under hold'),
    },
    handler: async (ctx) => {
      ctx.audit.details = { reason: ctx.body.reason };
      return {
        status: 201,
        body: { active: true, ...(await documents.setHold(ctx.user, ctx.params.id, ctx.body.reason)) },
      };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/legal-hold',
    summary: 'Release the legal hold (admin or attorney of the case)',
    action: 'legal-hold.release',
    entity: 'case',
    request: { params: caseParams },
    responses: {
      204: empty('Released'),
      403: problem('Only an admin or an attorney of the case'),
      404: problem('Not under hold, no such case, or hidden from the caller'),
    },
    handler: async (ctx) => {
      await documents.releaseHold(ctx.user, ctx.params.id);
      return { status: 204 };
    },
  });
  return router;
}
