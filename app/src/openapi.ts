/** The OpenAPI 3.1 description of the service; a test checks that it lists exactly the routes Express serves. */
import { documentPaths } from './components/documents/openapi.js';
import { partyConflictPaths, partyConflictSchemas } from './components/conflicts/openapi.js';
import {
  body,
  date,
  idSchema,
  nullableString,
  ok,
  pathId,
  problem,
  query,
  ref,
  type Schema,
  unauthorized,
} from './http/openapi-parts.js';
import { addAvailabilityResponses } from './http/openapi-availability.js';

const etagHeader = { ETag: { description: 'Entity tag of the resource', schema: { type: 'string' } } };
const limit = query('limit', 'Page size (1-200, default 50)', {
  type: 'integer',
  minimum: 1,
  maximum: 200,
  default: 50,
});
const cursor = query('cursor', 'page.nextCursor of the previous page', { type: 'string' });
const page = (item: string): Schema => ({
  type: 'object',
  required: ['data', 'page'],
  properties: {
    data: { type: 'array', items: ref(item) },
    page: {
      type: 'object',
      properties: { limit: { type: 'integer' }, nextCursor: { type: ['string', 'null'] } },
    },
  },
});
const common = unauthorized;

const schemas: Record<string, Schema> = {
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      requestId: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  },
  Role: { type: 'string', enum: ['admin', 'attorney', 'paralegal', 'client', 'auditor'] },
  Checks: {
    type: 'object',
    description: 'One entry per configured dependency: database, redis, documents (S3)',
    additionalProperties: {
      type: 'object',
      required: ['status', 'ms'],
      properties: {
        status: { type: 'string', enum: ['up', 'down'] },
        ms: { type: 'integer' },
        problem: {
          type: 'string',
          description: 'database-unavailable, storage-full, database-read-only, unreachable or timeout',
        },
      },
    },
  },
  Readiness: {
    type: 'object',
    required: ['status', 'database', 'checks'],
    properties: {
      status: { type: 'string', enum: ['ready', 'degraded'] },
      database: { type: 'string', enum: ['sqlite', 'postgres'] },
      checks: ref('Checks'),
    },
  },
  User: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      email: { type: 'string', format: 'email' },
      name: { type: 'string' },
      role: ref('Role'),
      active: { type: 'boolean' },
      failedLogins: { type: 'integer' },
      lockedUntil: { type: ['string', 'null'], format: 'date-time' },
      createdAt: date,
      updatedAt: date,
    },
  },
  TokenPair: {
    type: 'object',
    properties: {
      accessToken: { type: 'string' },
      tokenType: { const: 'Bearer' },
      expiresIn: { type: 'integer' },
      refreshToken: { type: 'string' },
      refreshExpiresIn: { type: 'integer' },
      user: ref('User'),
    },
  },
  Case: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      number: { type: 'string', pattern: '^\\d{4}-\\d{5,}$' },
      title: { type: 'string' },
      description: { type: ['string', 'null'] },
      practiceArea: { type: ['string', 'null'] },
      status: { type: 'string', enum: ['open', 'pending', 'closed'] },
      openedAt: date,
      statusChangedAt: date,
      closedAt: { type: ['string', 'null'], format: 'date-time' },
      clientName: { type: 'string' },
      clientId: { type: ['integer', 'null'] },
      responsibleAttorneyId: { type: 'integer' },
      createdBy: { type: 'integer' },
      version: { type: 'integer' },
      createdAt: date,
      updatedAt: date,
    },
  },
  Member: {
    type: 'object',
    properties: {
      userId: { type: 'integer' },
      name: { type: 'string' },
      email: { type: 'string' },
      role: ref('Role'),
      addedBy: { type: 'integer' },
      addedAt: date,
    },
  },
  Wall: {
    type: 'object',
    properties: {
      userId: { type: 'integer' },
      name: { type: 'string' },
      email: { type: 'string' },
      reason: { type: 'string' },
      createdBy: { type: 'integer' },
      createdAt: date,
    },
  },
  AuditEvent: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      occurredAt: date,
      actorId: { type: ['integer', 'null'] },
      action: { type: 'string' },
      entity: { type: 'string' },
      entityId: { type: ['string', 'null'] },
      outcome: { type: 'string', enum: ['success', 'denied', 'failure'] },
      status: { type: 'integer' },
      requestId: { type: ['string', 'null'] },
      ip: { type: ['string', 'null'] },
      details: { type: ['object', 'null'] },
    },
  },
};

const caseWrite = {
  title: { type: 'string', minLength: 1, maxLength: 300 },
  description: nullableString(10000),
  practiceArea: nullableString(100),
  clientName: { type: 'string', minLength: 1, maxLength: 200 },
  clientId: { ...idSchema, type: ['integer', 'null'] },
  responsibleAttorneyId: idSchema,
};
const refreshBody = body({
  type: 'object',
  additionalProperties: false,
  required: ['refreshToken'],
  properties: { refreshToken: { type: 'string' } },
});

export function buildOpenApi(version: string): Record<string, unknown> {
  const caseId = pathId('id', 'Case id');
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Legal case service',
      version,
      description:
        'Users, roles, matters with per-case access and ethical walls, and an append-only audit trail. Errors are application/problem+json; unknown fields are rejected.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
      },
      schemas: { ...schemas, ...partyConflictSchemas },
    },
    security: [{ bearer: [] }],
    paths: {
      ...documentPaths(),
      ...partyConflictPaths(),
      '/health': {
        get: { summary: 'Liveness', security: [], responses: { 200: ok('Alive', { type: 'object' }) } },
      },
      '/health/ready': {
        get: {
          summary:
            'Readiness: the database (able to write), Redis and S3 when configured, each within 800 ms',
          security: [],
          responses: {
            200: ok('Ready, or degraded (Redis away: rate limits per instance)', ref('Readiness')),
            503: {
              description: 'Not ready: the database or S3 fails; `checks` says which and why',
              content: {
                'application/problem+json': {
                  schema: {
                    allOf: [ref('Problem'), { type: 'object', properties: { checks: ref('Checks') } }],
                  },
                },
              },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          security: [],
          responses: { 200: ok('OpenAPI 3.1 document', { type: 'object' }) },
        },
      },
      '/auth/login': {
        post: {
          summary: 'Log in: short-lived access token and rotating refresh token',
          security: [],
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            required: ['email', 'password'],
            properties: { email: { type: 'string', format: 'email' }, password: { type: 'string' } },
          }),
          responses: {
            200: ok('Tokens', ref('TokenPair')),
            400: problem('Invalid body'),
            401: problem('Wrong credentials, locked or deactivated'),
            429: problem(
              'Too many attempts from this address, or a wait after wrong passwords for this account from this address (Retry-After)',
            ),
          },
        },
      },
      '/auth/refresh': {
        post: {
          summary: 'Exchange a refresh token for a new pair (the old one is spent; reuse revokes the family)',
          security: [],
          requestBody: refreshBody,
          responses: {
            200: ok('Tokens', ref('TokenPair')),
            400: problem('Invalid body'),
            401: problem('Invalid, expired or reused token'),
          },
        },
      },
      '/auth/logout': {
        post: {
          summary: 'Revoke the session of a refresh token',
          security: [],
          requestBody: refreshBody,
          responses: { 204: ok('Revoked'), 400: problem('Invalid body') },
        },
      },
      '/users/me': {
        get: {
          summary: 'The caller',
          responses: { 200: ok('The caller', ref('User'), etagHeader), 304: ok('Not modified'), ...common },
        },
      },
      '/users': {
        get: {
          summary: 'List users (user:manage)',
          parameters: [limit, cursor],
          responses: { 200: ok('Users', page('User')), ...common, 403: problem('Not an administrator') },
        },
        post: {
          summary: 'Create a user (user:manage)',
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            required: ['email', 'name', 'role', 'password'],
            properties: {
              email: { type: 'string', format: 'email' },
              name: { type: 'string' },
              role: ref('Role'),
              password: { type: 'string', minLength: 12 },
            },
          }),
          responses: {
            201: ok('Created', ref('User'), etagHeader),
            400: problem('Invalid body'),
            ...common,
            403: problem('Not an administrator'),
            409: problem('E-mail in use'),
          },
        },
      },
      '/users/{id}': {
        patch: {
          summary: 'Change a user: name, role, active (user:manage)',
          parameters: [pathId('id', 'User id')],
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { name: { type: 'string' }, role: ref('Role'), active: { type: 'boolean' } },
          }),
          responses: {
            200: ok('Changed', ref('User'), etagHeader),
            400: problem('Invalid body'),
            ...common,
            403: problem('Not an administrator, or a role or state change of who walled the caller off'),
            404: problem('No such user'),
          },
        },
      },
      '/cases': {
        get: {
          summary: 'Cases the caller may see',
          parameters: [
            limit,
            cursor,
            query('status', 'Comma-separated statuses', { type: 'string' }),
            query('q', 'Search text over number, title and client', { type: 'string' }),
            query('updated_since', 'Only cases updated at or after this time', {
              type: 'string',
              format: 'date-time',
            }),
            query('sort', 'Sort field, - for descending', {
              type: 'string',
              enum: [
                'updated_at',
                '-updated_at',
                'created_at',
                '-created_at',
                'number',
                '-number',
                'title',
                '-title',
              ],
            }),
          ],
          responses: { 200: ok('Cases', page('Case')), 400: problem('Invalid query'), ...common },
        },
        post: {
          summary: 'Open a case (case:create)',
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            required: ['title', 'clientName'],
            properties: caseWrite,
          }),
          responses: {
            201: ok('Created', ref('Case'), etagHeader),
            400: problem('Invalid body'),
            ...common,
            403: problem('Role may not open cases'),
          },
        },
      },
      '/cases/{id}': {
        get: {
          summary: 'One case (404 when the caller may not see it)',
          parameters: [caseId],
          responses: {
            200: ok('The case', ref('Case'), etagHeader),
            304: ok('Not modified (If-None-Match)'),
            ...common,
            404: problem('No such case, or hidden'),
          },
        },
        patch: {
          summary: 'Change a case (case:write on the case; If-Match required)',
          parameters: [
            caseId,
            { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { ...caseWrite, status: { type: 'string', enum: ['open', 'pending', 'closed'] } },
          }),
          responses: {
            200: ok('Changed', ref('Case'), etagHeader),
            400: problem('Invalid body'),
            ...common,
            403: problem(
              'Role on the case may not change it; responsibleAttorneyId and clientId need an admin or the responsible attorney',
            ),
            404: problem('No such case, or hidden'),
            409: problem(
              'The new client is walled off from the case, or the case is closed (only reopening)',
            ),
            412: problem('Stale ETag'),
            428: problem('If-Match missing'),
          },
        },
      },
      '/cases/{id}/close': {
        post: {
          summary: 'Close a case (If-Match optional)',
          parameters: [caseId],
          responses: {
            200: ok('Closed', ref('Case'), etagHeader),
            ...common,
            403: problem('Not allowed'),
            404: problem('No such case, or hidden'),
            409: problem('Already closed'),
            412: problem('Stale ETag'),
          },
        },
      },
      '/cases/{id}/members': {
        get: {
          summary: 'Members of a case',
          parameters: [caseId],
          responses: {
            200: ok('Members', {
              type: 'object',
              properties: { data: { type: 'array', items: ref('Member') } },
            }),
            ...common,
            404: problem('No such case, or hidden'),
          },
        },
        post: {
          summary: 'Add a member (member:manage on the case)',
          parameters: [caseId],
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            required: ['userId'],
            properties: { userId: idSchema, role: ref('Role') },
          }),
          responses: {
            201: ok('Added', ref('Member')),
            400: problem('Invalid body'),
            ...common,
            403: problem('Not allowed'),
            404: problem('No such case, or hidden'),
            409: problem('Already a member, walled off, or the case is closed'),
          },
        },
      },
      '/cases/{id}/members/{userId}': {
        delete: {
          summary: 'Remove a member (member:manage on the case)',
          parameters: [caseId, pathId('userId', 'Member user id')],
          responses: {
            204: ok('Removed'),
            ...common,
            403: problem('Not allowed'),
            404: problem('No such case or member'),
            409: problem('The case is closed'),
          },
        },
      },
      '/cases/{id}/walls': {
        get: {
          summary: 'Ethical walls of a case (admin)',
          parameters: [caseId],
          responses: {
            200: ok('Walls', { type: 'object', properties: { data: { type: 'array', items: ref('Wall') } } }),
            ...common,
            403: problem('Not an administrator'),
            404: problem('No such case, or the caller is walled off from it'),
          },
        },
        post: {
          summary: 'Bar a user from a case whatever their role (admin)',
          parameters: [caseId],
          requestBody: body({
            type: 'object',
            additionalProperties: false,
            required: ['userId', 'reason'],
            properties: { userId: idSchema, reason: { type: 'string' } },
          }),
          responses: {
            201: ok('Created', ref('Wall')),
            400: problem('Invalid body'),
            ...common,
            403: problem('Not an administrator'),
            404: problem('No such case, or the caller is walled off from it'),
            409: problem('Already walled off, or the caller themselves'),
          },
        },
      },
      '/cases/{id}/walls/{userId}': {
        delete: {
          summary: 'Remove an ethical wall (admin)',
          parameters: [caseId, pathId('userId', 'Walled user id')],
          responses: {
            204: ok('Removed'),
            ...common,
            403: problem('Not an administrator'),
            404: problem('No such case or wall, or the caller is walled off from the case'),
            409: problem('A wall on the caller themselves'),
          },
        },
      },
      '/audit': {
        get: {
          summary: 'The audit trail, newest first (audit:read)',
          parameters: [
            limit,
            cursor,
            query('actor', 'Actor user id', idSchema),
            query('entity', 'Entity type (case, user, audit)', { type: 'string' }),
            query('entity_id', 'Entity id', { type: 'string' }),
            query('action', 'Action such as case.read', { type: 'string' }),
            query('outcome', 'success, denied or failure', {
              type: 'string',
              enum: ['success', 'denied', 'failure'],
            }),
            query('from', 'From this time (inclusive)', { type: 'string', format: 'date-time' }),
            query('to', 'Until this time (exclusive)', { type: 'string', format: 'date-time' }),
          ],
          responses: {
            200: ok('Events', page('AuditEvent')),
            400: problem('Invalid query'),
            ...common,
            403: problem('Role may not read the audit trail'),
          },
        },
      },
    },
  };
  addAvailabilityResponses(document.paths as unknown as Parameters<typeof addAvailabilityResponses>[0]);
  return document;
}
