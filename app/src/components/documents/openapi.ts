/** OpenAPI paths of the documents component; merged into the service's document by src/openapi.ts. */

import { date, ok, pathId, problem, query, type Schema, unauthorized } from '../../http/openapi-parts.js';

const id = (description: string) => pathId('id', description);
const common = unauthorized;
const hidden = { 404: problem('No such case or document, or hidden from the caller (wall, not a member)') };

const version: Schema = {
  type: 'object',
  properties: {
    version: { type: 'integer', minimum: 1 },
    size: { type: 'integer', description: 'Bytes' },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    contentType: { type: 'string', description: 'Sniffed from the bytes, not taken from the client' },
    createdBy: { type: 'integer' },
    createdAt: date,
  },
};
const document: Schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    caseId: { type: 'integer' },
    name: { type: 'string', maxLength: 255 },
    createdBy: { type: 'integer' },
    createdAt: date,
    updatedAt: date,
    deletedAt: { type: ['string', 'null'], format: 'date-time', description: 'Set while in the trash' },
    deletedBy: { type: ['integer', 'null'] },
    latest: version,
  },
};
const hold: Schema = {
  type: 'object',
  properties: {
    active: { type: 'boolean' },
    caseId: { type: 'integer' },
    reason: { type: 'string' },
    setBy: { type: 'integer' },
    setAt: date,
  },
};
const caseId = id('Case id');
const documentId = id('Document id');

export function documentPaths(): Record<string, unknown> {
  return {
    '/cases/{id}/documents': {
      get: {
        summary: 'Latest versions of the documents of a case, by name (case:read on the case)',
        parameters: [
          caseId,
          query('limit', 'Page size (1-200, default 50)', { type: 'integer', minimum: 1, maximum: 200 }),
          query('cursor', 'page.nextCursor of the previous page', { type: 'string' }),
          query('trashed', 'true lists the trash instead (case:write on the case)', {
            type: 'string',
            enum: ['true', 'false'],
          }),
        ],
        responses: {
          200: ok('Documents', {
            type: 'object',
            properties: {
              data: { type: 'array', items: document },
              page: {
                type: 'object',
                properties: { limit: { type: 'integer' }, nextCursor: { type: ['string', 'null'] } },
              },
            },
          }),
          400: problem('Invalid query'),
          ...common,
          403: problem('The trash, for a role on the case without case:write'),
          ...hidden,
        },
      },
      post: {
        summary:
          'Upload a document (case:write on the case): multipart/form-data with one part named "file"; the same name adds a new version',
        parameters: [caseId],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: { file: { type: 'string', format: 'binary' } },
              },
            },
          },
        },
        responses: {
          201: ok('Stored', {
            ...document,
            properties: { ...(document.properties as Schema), created: { type: 'boolean' } },
          }),
          400: problem('Malformed form, no file, empty file, or the upload was interrupted'),
          ...common,
          403: problem('Role on the case may not add documents'),
          ...hidden,
          409: problem('Case closed or under legal hold, or the name belongs to a document in the trash'),
          413: problem('Larger than DOCUMENT_MAX_BYTES'),
          415: problem('Not multipart, content type not allowed, or the name does not match the content'),
          503: problem('Document storage unreachable; nothing was stored'),
        },
      },
    },
    '/documents/{id}/versions': {
      get: {
        summary: 'Every version of a document, newest first',
        parameters: [documentId],
        responses: {
          200: ok('Versions', {
            type: 'object',
            properties: { document, data: { type: 'array', items: version } },
          }),
          ...common,
          ...hidden,
        },
      },
    },
    '/documents/{id}/download': {
      get: {
        summary: 'The bytes of a version (latest by default), streamed; single byte ranges supported',
        parameters: [
          documentId,
          query('version', 'Version number (default: latest)', { type: 'integer', minimum: 1 }),
          {
            name: 'Range',
            in: 'header',
            required: false,
            schema: { type: 'string', example: 'bytes=0-1023' },
          },
          { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'If-Range', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          200: {
            description: 'The document',
            headers: {
              ETag: { description: 'SHA-256 of the version, quoted', schema: { type: 'string' } },
              'Content-Disposition': { schema: { type: 'string' } },
            },
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          206: {
            description: 'The requested range',
            headers: { 'Content-Range': { schema: { type: 'string' } } },
          },
          304: ok('Not modified (If-None-Match)'),
          400: problem('Invalid query'),
          ...common,
          404: problem('No such document or version, or hidden'),
          416: problem('Range outside the document'),
          503: problem('Document storage unreachable'),
        },
      },
    },
    '/documents/{id}': {
      delete: {
        summary: 'Move a document to the trash (case:write on the case); refused under legal hold',
        parameters: [documentId],
        responses: {
          204: ok('In the trash'),
          ...common,
          403: problem('Role on the case may not delete documents'),
          ...hidden,
          409: problem('Case closed or under legal hold, or already in the trash'),
        },
      },
    },
    '/documents/{id}/restore': {
      post: {
        summary: 'Take a document out of the trash (case:write on the case)',
        parameters: [documentId],
        responses: {
          200: ok('Restored', document),
          ...common,
          403: problem('Role on the case may not restore documents'),
          ...hidden,
          409: problem('Case closed, or not in the trash'),
        },
      },
    },
    '/cases/{id}/legal-hold': {
      get: {
        summary: 'Whether the case is under legal hold (case:read)',
        parameters: [caseId],
        responses: { 200: ok('Hold', hold), ...common, ...hidden },
      },
      post: {
        summary:
          'Place a legal hold: no document of the case may be deleted or added (admin or attorney of the case)',
        parameters: [caseId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['reason'],
                properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } },
              },
            },
          },
        },
        responses: {
          201: ok('Placed', hold),
          400: problem('Invalid body'),
          ...common,
          403: problem('Only an admin or an attorney of the case'),
          ...hidden,
          409: problem('Already under hold'),
        },
      },
      delete: {
        summary: 'Release the legal hold (admin or attorney of the case)',
        parameters: [caseId],
        responses: {
          204: ok('Released'),
          ...common,
          403: problem('Only an admin or an attorney of the case'),
          404: problem('Not under hold, or no such case, or hidden'),
        },
      },
    },
  };
}
