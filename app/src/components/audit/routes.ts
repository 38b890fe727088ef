import { Router } from 'express';
import { z } from 'zod';
import { nextCursor } from '../../http/cursor.js';
import type { HttpKit } from '../../http/route.js';
import { dateTime, limitParam, idCursor, parse, queryId, text } from '../../http/validation.js';
import type { AuditService } from './service.js';

const time = (name: string) =>
  dateTime(`expected an ISO 8601 date-time for ${name}, such as 2026-01-31T00:00:00Z`).optional();
const listQuery = z.strictObject({
  limit: limitParam,
  cursor: idCursor(12).optional(),
  actor: queryId('expected a user id').optional(),
  entity: text().max(32, 'expected at most 32 characters').optional(),
  entity_id: text().max(64, 'expected at most 64 characters').optional(),
  action: text().max(64, 'expected at most 64 characters').optional(),
  outcome: z.enum(['success', 'denied', 'failure'], 'expected one of success, denied, failure').optional(),
  from: time('from'),
  to: time('to'),
});

export function auditRoutes(kit: HttpKit, audit: AuditService): Router {
  const router = Router();
  kit.register(router, {
    method: 'get',
    path: '/audit',
    action: 'audit.read',
    entity: 'audit',
    permission: 'audit:read',
    handler: async (ctx) => {
      const q = parse('query', listQuery, ctx.req.query);
      const page = await audit.list({
        limit: q.limit,
        beforeId: q.cursor === undefined ? undefined : Number(q.cursor),
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
