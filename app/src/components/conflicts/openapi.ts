/** OpenAPI 3.1 paths and schemas of parties, conflict checks and metrics; merged into the document by ../../openapi.ts. */
import { PARTY_KINDS, PARTY_ROLES } from '../parties/repository.js';
import { NAME_MAX } from '../parties/routes.js';
import { NAMES_MAX } from './routes.js';
import {
  body,
  date,
  nullableString as nullable,
  ok,
  pathId,
  problem,
  ref,
  type Schema,
  unauthorized,
} from '../../http/openapi-parts.js';

export const partyConflictSchemas: Record<string, Schema> = {
  Party: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      caseId: { type: 'integer' },
      role: { type: 'string', enum: [...PARTY_ROLES] },
      kind: { type: 'string', enum: [...PARTY_KINDS] },
      name: { type: 'string' },
      email: { type: ['string', 'null'] },
      phone: { type: ['string', 'null'] },
      address: { type: ['string', 'null'] },
      notes: { type: ['string', 'null'] },
      createdBy: { type: 'integer' },
      createdAt: date,
      updatedAt: date,
    },
  },
  ConflictHit: {
    oneOf: [
      {
        type: 'object',
        description: 'A hit on a case the caller may read',
        properties: {
          query: { type: 'string' },
          score: { type: 'number', minimum: 0, maximum: 1 },
          restricted: { const: false },
          caseId: { type: 'integer' },
          caseNumber: { type: 'string' },
          caseTitle: { type: 'string' },
          caseStatus: { type: 'string' },
          partyId: { type: ['integer', 'null'], description: "null: the case's own client name" },
          partyName: { type: 'string' },
          role: { type: 'string', enum: [...PARTY_ROLES] },
          kind: { type: ['string', 'null'], enum: [...PARTY_KINDS, null] },
        },
      },
      {
        type: 'object',
        description:
          'One per checked name with hits on cases the caller is walled off from or may not see: no score, no details',
        properties: {
          query: { type: 'string' },
          restricted: { const: true },
        },
      },
    ],
  },
  ConflictCheck: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      requestedBy: { type: 'integer' },
      names: { type: 'array', items: { type: 'string' } },
      threshold: { type: 'number' },
      hitCount: { type: 'integer' },
      restrictedHits: { type: 'integer', description: 'How many checked names have restricted hits' },
      hits: { type: 'array', items: ref('ConflictHit') },
      status: { type: 'string', enum: ['pending', 'cleared', 'waived'] },
      reason: { type: ['string', 'null'] },
      decidedBy: { type: ['integer', 'null'] },
      decidedAt: { type: ['string', 'null'], format: 'date-time' },
      caseId: { type: ['integer', 'null'], description: 'The case this check opened' },
      createdAt: date,
    },
  },
};

const partyWrite = {
  role: { type: 'string', enum: [...PARTY_ROLES] },
  kind: { type: 'string', enum: [...PARTY_KINDS], default: 'person' },
  name: { type: 'string', minLength: 1, maxLength: NAME_MAX },
  email: { type: ['string', 'null'], format: 'email' },
  phone: nullable(50),
  address: nullable(1000),
  notes: nullable(10_000),
};

export function partyConflictPaths(): Record<string, unknown> {
  const caseId = pathId('id', 'Case id');
  const partyId = pathId('partyId', 'Party id');
  const hidden = { 404: problem('No such case or party, or the case is hidden') };
  return {
    '/cases/{id}/parties': {
      get: {
        summary: 'Parties of a case (case:read on the case)',
        parameters: [caseId],
        responses: {
          200: ok('Parties', {
            type: 'object',
            properties: { data: { type: 'array', items: ref('Party') } },
          }),
          ...unauthorized,
          ...hidden,
        },
      },
      post: {
        summary: 'Add a party: client, opposing party, opposing counsel or witness (case:write on the case)',
        parameters: [caseId],
        requestBody: body({
          type: 'object',
          additionalProperties: false,
          required: ['role', 'name'],
          properties: partyWrite,
        }),
        responses: {
          201: ok('Added', ref('Party')),
          400: problem('Invalid body'),
          ...unauthorized,
          403: problem('Role on the case may not change it'),
          ...hidden,
          409: problem('The case is closed'),
        },
      },
    },
    '/cases/{id}/parties/{partyId}': {
      get: {
        summary: 'One party (case:read on the case)',
        parameters: [caseId, partyId],
        responses: { 200: ok('The party', ref('Party')), ...unauthorized, ...hidden },
      },
      patch: {
        summary: 'Change a party (case:write on the case)',
        parameters: [caseId, partyId],
        requestBody: body({
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: partyWrite,
        }),
        responses: {
          200: ok('Changed', ref('Party')),
          400: problem('Invalid body'),
          ...unauthorized,
          403: problem('Role on the case may not change it'),
          ...hidden,
          409: problem('The case is closed'),
        },
      },
      delete: {
        summary: 'Remove a party (case:write on the case)',
        parameters: [caseId, partyId],
        responses: {
          204: ok('Removed'),
          ...unauthorized,
          403: problem('Role on the case may not change it'),
          ...hidden,
          409: problem('The case is closed'),
        },
      },
    },
    '/conflicts/check': {
      post: {
        summary:
          'Fuzzy-match names against every party of every case (case:create); recorded. Hits on cases the caller may not see carry no details',
        requestBody: body({
          type: 'object',
          additionalProperties: false,
          required: ['names'],
          properties: {
            names: {
              type: 'array',
              minItems: 1,
              maxItems: NAMES_MAX,
              items: { type: 'string', minLength: 1, maxLength: NAME_MAX },
            },
          },
        }),
        responses: {
          201: ok('The recorded check, status pending', ref('ConflictCheck')),
          400: problem('Invalid body'),
          ...unauthorized,
          403: problem('Role may not open cases'),
        },
      },
    },
    '/conflicts/{id}': {
      get: {
        summary: 'A recorded check (its requester or an administrator)',
        parameters: [pathId('id', 'Conflict check id')],
        responses: {
          200: ok('The check', ref('ConflictCheck')),
          ...unauthorized,
          404: problem('No such check'),
        },
      },
    },
    '/conflicts/{id}/decision': {
      post: {
        summary: 'Record the decision once: cleared or waived, with a reason',
        parameters: [pathId('id', 'Conflict check id')],
        requestBody: body({
          type: 'object',
          additionalProperties: false,
          required: ['decision', 'reason'],
          properties: {
            decision: { type: 'string', enum: ['cleared', 'waived'] },
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
          },
        }),
        responses: {
          200: ok('Decided', ref('ConflictCheck')),
          400: problem('Invalid body'),
          ...unauthorized,
          403: problem('Some hits are on cases the caller may not see'),
          404: problem('No such check'),
          409: problem('Already decided'),
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics (text exposition format); needs METRICS_TOKEN as bearer token',
        security: [{ metricsToken: [] }],
        responses: {
          200: {
            description: 'Metrics',
            content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } },
          },
          401: problem('Missing or wrong metrics token'),
          404: problem('METRICS_TOKEN is not set on this service'),
        },
      },
    },
  };
}
