import { Router } from 'express';
import { z } from 'zod';
import { OUTCOMES } from '../../db/models/audit.js';
import { nextCursor } from '../../http/cursor.js';
import { json, page } from '../../http/openapi.js';
import type { HttpKit } from '../../http/route.js';
import { dateTime, idCursor, limitParam, queryId, text } from '../../http/validation.js';
import { auditEventSchema } from './schemas.js';
import type { AuditService } from './service.js';

const time = (name: string) =>
  dateTime(`expected an ISO 8601 date-time for ${name}, such as 2026-01-31T00:00:00Z`).optional();
const listQuery = z.strictObject({
  limit: limitParam,
  cursor: idCursor().optional(),
  actor: queryId('expected a user id').optional().describe('Actor user id'),
  entity: text()
    .max(32, 'expected at most 32 characters')
    .optional()
    .describe('Entity type (case, user, ...)'),
  entity_id: text().max(64, 'expected at most 64 characters').optional(),
  action: text().max(64, 'expected at most 64 characters').optional().describe('e.g. case.read'),
  outcome: z.enum(OUTCOMES, `expected one of ${OUTCOMES.join(', ')}`).optional(),
  from: time('from').describe('From this time (inclusive)'),
  to: time('to').describe('Until this time (exclusive)'),
});

export function auditRoutes(kit: HttpKit, audit: AuditService): Router {
  const router = Router();
  kit.register(router, {
    method: 'get',
    path: '/audit',
    summary: 'The audit trail, newest first (audit:read)',
    action: 'audit.read',
    entity: 'audit',
    permission: 'audit:read',
    request: { query: listQuery },
    responses: { 200: json('Events', page(auditEventSchema)) },
    handler: async (ctx) => {
      const q = ctx.query;
      const page = await audit.list({
        limit: q.limit,
        beforeId: q.cursor,
        actorId: q.actor,
        entity: q.entity,
        entityId: q.entity_id,
        action: q.action,
        outcome: q.outcome,
        from: q.from === undefined ? undefined : new Date(q.from),
        to: q.to === undefined ? undefined : new Date(q.to),
        walledViewerId: ctx.user.id,
      });
      return {
        body: {
          data: page.data,
          page: { limit: q.limit, nextCursor: nextCursor(page, (e) => String(e.id)) },
        },
      };
    },
  });
  return router;
}
