import { Router } from 'express';
import { z } from 'zod';
import { headers, json, problem } from '../../http/openapi.js';
import type { HttpKit } from '../../http/route.js';
import { singleLine, trimmed } from '../../http/validation.js';
import { NAME_MAX } from '../parties/routes.js';
import { DECISIONS } from './repository.js';
import { conflictCheckSchema } from './schemas.js';
import type { ConflictService } from './service.js';

/** Most names one check may hold. */
export const NAMES_MAX = 50;

const checkBody = z.strictObject({
  names: z
    .array(
      singleLine(NAME_MAX).regex(/[\p{L}\p{N}]/u, 'expected a name holding at least one letter or digit'),
      'expected an array of names (strings)',
    )
    .min(1, 'expected at least one name')
    .max(NAMES_MAX, `expected at most ${NAMES_MAX} names`)
    .meta({ examples: [['Smith Ltd', 'Jones & Co. GmbH']] }),
});
const decisionBody = z.strictObject({
  decision: z.enum(DECISIONS, `expected one of ${DECISIONS.join(', ')}`),
  reason: trimmed(2000).meta({ examples: ['No hit concerns the same matter'] }),
});
const checkParams = { id: 'conflict check' };
const noSuchCheck = problem('No such check, or one another user ran');

/** Conflict checks need case:create (whoever may open a case must be able to check it first). */
export function conflictRoutes(kit: HttpKit, conflicts: ConflictService): Router {
  const router = Router();

  kit.register(router, {
    method: 'post',
    path: '/conflicts/check',
    summary:
      'Fuzzy-match names against every party of every case (case:create); recorded. Hits on cases the caller may not see carry no details',
    action: 'conflict.check',
    entity: 'conflict_check',
    permission: 'case:create',
    transaction: 'handler',
    request: { body: checkBody },
    responses: { 201: json('The recorded check, status pending', conflictCheckSchema, headers.location) },
    handler: async (ctx) => {
      const names = ctx.body.names;
      const hits = await conflicts.findHits(names);
      return ctx.write(async () => {
        const result = await conflicts.record(ctx.user, names, hits);
        ctx.audit.entityId = result.id;
        ctx.audit.details = {
          names: names.length,
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
    summary: 'A recorded check (its requester or an administrator; case:create)',
    action: 'conflict.read',
    entity: 'conflict_check',
    permission: 'case:create',
    request: { params: checkParams },
    responses: { 200: json('The check', conflictCheckSchema), 404: noSuchCheck },
    handler: async (ctx) => ({ body: await conflicts.get(ctx.user, ctx.params.id) }),
  });
  kit.register(router, {
    method: 'post',
    path: '/conflicts/:id/decision',
    summary: 'Record the decision once: cleared or waived, with a reason (case:create)',
    action: 'conflict.decide',
    entity: 'conflict_check',
    permission: 'case:create',
    request: { params: checkParams, body: decisionBody },
    responses: {
      200: json('Decided', conflictCheckSchema),
      403: problem('Some hits are on cases the caller may not see'),
      404: noSuchCheck,
      409: problem('Already decided'),
    },
    handler: async (ctx) => {
      const { decision, reason } = ctx.body;
      ctx.audit.details = { decision };
      return { body: await conflicts.decide(ctx.user, ctx.params.id, decision, reason) };
    },
  });
  return router;
}
