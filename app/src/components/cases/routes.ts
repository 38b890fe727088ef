import { Router } from 'express';
import { z } from 'zod';
import { decodeCursor, encodeCursor, nextCursor } from '../../http/cursor.js';
import { caseEtag, checkIfMatch } from '../../http/etag.js';
import type { HttpKit } from '../../http/route.js';
import { bodyId, dateTime, limitParam, parse, parseId, text, trimmed } from '../../http/validation.js';
import { ROLE_NAMES } from '../auth/permissions.js';
import { CASE_STATUSES, DATE_SORTS, SORTS, sortValue, type SortField } from './repository.js';
import type { CaseService } from './service.js';

const SORT_VALUES = SORTS.flatMap((s) => [s, `-${s}`]);
const id = bodyId;
const optionalText = (max: number) =>
  text('expected a string or null')
    .trim()
    .max(max, `expected at most ${max} characters`)
    .nullable()
    .optional();

const listQuery = z.strictObject({
  limit: limitParam,
  cursor: text().max(500, 'expected a cursor returned in page.nextCursor').optional(),
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(CASE_STATUSES, `expected a comma-separated list of ${CASE_STATUSES.join(', ')}`)))
    .optional(),
  q: text()
    .trim()
    .min(1, 'expected a non-empty search text')
    .max(200, 'expected at most 200 characters')
    .optional(),
  updated_since: dateTime('expected an ISO 8601 date-time such as 2026-01-31T00:00:00Z').optional(),
  sort: z
    .enum(SORT_VALUES as [string, ...string[]], `expected one of ${SORT_VALUES.join(', ')}`)
    .default('-updated_at'),
});
const createBody = z.strictObject({
  title: trimmed(300),
  description: optionalText(10_000),
  practiceArea: optionalText(100),
  clientName: trimmed(200),
  clientId: id('user id').nullable().optional(),
  responsibleAttorneyId: id('user id').optional(),
  conflictCheckId: id('conflict check id').optional(),
});
const patchBody = z
  .strictObject({
    title: trimmed(300).optional(),
    description: optionalText(10_000),
    practiceArea: optionalText(100),
    status: z.enum(CASE_STATUSES, `expected one of ${CASE_STATUSES.join(', ')}`).optional(),
    clientName: trimmed(200).optional(),
    clientId: id('user id').nullable().optional(),
    responsibleAttorneyId: id('user id').optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'expected at least one field to change' });
const memberBody = z.strictObject({
  userId: id('user id'),
  role: z.enum(ROLE_NAMES, `expected one of attorney, paralegal, client`).optional(),
});
const wallBody = z.strictObject({ userId: id('user id'), reason: trimmed(1000) });

export function caseRoutes(kit: HttpKit, cases: CaseService): Router {
  const router = Router();
  const caseId = (raw: unknown) => parseId(raw as string, 'case');

  kit.register(router, {
    method: 'get',
    path: '/cases',
    action: 'case.list',
    entity: 'case',
    handler: async (ctx) => {
      const q = parse('query', listQuery, ctx.req.query);
      const descending = q.sort.startsWith('-');
      const sort = q.sort.replace(/^-/, '') as SortField;
      const page = await cases.list(ctx.user, {
        status: q.status,
        q: q.q,
        updatedSince: q.updated_since === undefined ? undefined : new Date(q.updated_since),
        sort,
        descending,
        after:
          q.cursor === undefined
            ? undefined
            : decodeCursor(q.cursor, DATE_SORTS.includes(sort) ? 'date' : 'text'),
        limit: q.limit,
      });
      ctx.audit.details = { count: page.data.length };
      const next = nextCursor(page, (c) => encodeCursor(sortValue(c, sort), c.id));
      return { body: { data: page.data, page: { limit: q.limit, nextCursor: next } } };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/cases',
    action: 'case.create',
    entity: 'case',
    permission: 'case:create',
    handler: async (ctx) => {
      const { conflictCheckId, ...body } = parse('body', createBody, ctx.req.body);
      // A check id is always honoured when given; REQUIRE_CONFLICT_CHECK makes it mandatory.
      const { case: created, conflictCheckId: check } = await cases.create(ctx.user, body, conflictCheckId);
      ctx.audit.entityId = created.id;
      ctx.audit.details = {
        number: created.number,
        ...(check === undefined ? {} : { conflictCheckId: check }),
      };
      return {
        status: 201,
        body: created,
        etag: caseEtag(created),
        headers: { Location: `/cases/${created.id}` },
      };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id',
    action: 'case.read',
    entity: 'case',
    handler: async (ctx) => {
      const found = await cases.access(ctx.user, caseId(ctx.req.params.id), 'case:read');
      return { body: found, etag: caseEtag(found) };
    },
  });
  kit.register(router, {
    method: 'patch',
    path: '/cases/:id',
    action: 'case.update',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const body = parse('body', patchBody, ctx.req.body);
      ctx.audit.details = { fields: Object.keys(body) };
      const current = await cases.access(ctx.user, idValue, 'case:write');
      checkIfMatch(ctx.req.get('If-Match'), caseEtag(current), true, 'case');
      const updated = await cases.update(ctx.user, idValue, current.version, body);
      return { body: updated, etag: caseEtag(updated) };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/close',
    action: 'case.close',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const current = await cases.access(ctx.user, idValue, 'case:write');
      checkIfMatch(ctx.req.get('If-Match'), caseEtag(current), false, 'case');
      const closed = await cases.close(ctx.user, idValue, current.version);
      return { body: closed, etag: caseEtag(closed) };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/members',
    action: 'member.list',
    entity: 'case',
    handler: async (ctx) => ({ body: { data: await cases.members(ctx.user, caseId(ctx.req.params.id)) } }),
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/members',
    action: 'member.add',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const body = parse('body', memberBody, ctx.req.body);
      ctx.audit.details = { userId: body.userId, role: body.role };
      return { status: 201, body: await cases.addMember(ctx.user, idValue, body.userId, body.role) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/members/:userId',
    action: 'member.remove',
    entity: 'case',
    handler: async (ctx) => {
      const userId = parseId(ctx.req.params.userId as string, 'member', 'userId');
      ctx.audit.details = { userId };
      await cases.removeMember(ctx.user, caseId(ctx.req.params.id), userId);
      return { status: 204 };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/walls',
    action: 'wall.list',
    entity: 'case',
    permission: 'wall:manage',
    handler: async (ctx) => ({ body: { data: await cases.walls(ctx.user, caseId(ctx.req.params.id)) } }),
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/walls',
    action: 'wall.add',
    entity: 'case',
    permission: 'wall:manage',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const body = parse('body', wallBody, ctx.req.body);
      ctx.audit.details = { userId: body.userId };
      return { status: 201, body: await cases.addWall(ctx.user, idValue, body.userId, body.reason) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/walls/:userId',
    action: 'wall.remove',
    entity: 'case',
    permission: 'wall:manage',
    handler: async (ctx) => {
      const userId = parseId(ctx.req.params.userId as string, 'wall', 'userId');
      ctx.audit.details = { userId };
      await cases.removeWall(ctx.user, caseId(ctx.req.params.id), userId);
      return { status: 204 };
    },
  });
  return router;
}
