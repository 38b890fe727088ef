import { Router } from 'express';
import { z } from 'zod';
import type { HttpKit } from '../../http/route.js';
import { parse, parseId, trimmed } from '../../http/validation.js';
import type { ConflictService } from './service.js';
import { NAME_MAX } from '../parties/routes.js';
import { DECISIONS } from './repository.js';

/** Most names one check may hold. */
export const NAMES_MAX = 50;

const checkBody = z.strictObject({
  names: z
    .array(trimmed(NAME_MAX), 'expected an array of names (strings)')
    .min(1, 'expected at least one name')
    .max(NAMES_MAX, `expected at most ${NAMES_MAX} names`)
    .refine((names) => names.every((n) => /[\p{L}\p{N}]/u.test(n)), {
      message: 'expected every name to hold at least one letter or digit',
    }),
});
const decisionBody = z.strictObject({
  decision: z.enum(DECISIONS, `expected one of ${DECISIONS.join(', ')}`),
  reason: trimmed(2000),
});

/** Conflict checks need case:create (whoever may open a case must be able to check it first). */
export function conflictRoutes(kit: HttpKit, conflicts: ConflictService): Router {
  const router = Router();
  const checkId = (raw: unknown) => parseId(raw as string, 'conflict check');

  kit.register(router, {
    method: 'post',
    path: '/conflicts/check',
    action: 'conflict.check',
    entity: 'conflict_check',
    permission: 'case:create',
    transaction: 'handler',
    handler: async (ctx) => {
      const body = parse('body', checkBody, ctx.req.body);
      const hits = await conflicts.findHits(body.names);
      return ctx.write(async () => {
        const result = await conflicts.record(ctx.user, body.names, hits);
        ctx.audit.entityId = result.id;
        ctx.audit.details = {
          names: body.names.length,
          hits: result.hitCount,
          restricted: result.restrictedHits,
        };
        return { status: 201, body: result, headers: { Location: `/conflicts/${result.id}` } };
      });
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/conflicts/:id',
    action: 'conflict.read',
    entity: 'conflict_check',
    permission: 'case:create',
    handler: async (ctx) => ({ body: await conflicts.get(ctx.user, checkId(ctx.req.params.id)) }),
  });
  kit.register(router, {
    method: 'post',
    path: '/conflicts/:id/decision',
    action: 'conflict.decide',
    entity: 'conflict_check',
    permission: 'case:create',
    handler: async (ctx) => {
      const idValue = checkId(ctx.req.params.id);
      const body = parse('body', decisionBody, ctx.req.body);
      ctx.audit.details = { decision: body.decision };
      return { body: await conflicts.decide(ctx.user, idValue, body.decision, body.reason) };
    },
  });
  return router;
}
