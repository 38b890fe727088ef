import { Router } from 'express';
import { z } from 'zod';
import { decodeCursor, encodeCursor, nextCursor } from '../../http/cursor.js';
import { caseEtag, checkIfMatch, entityTagList } from '../../http/etag.js';
import { empty, headers, json, list, page, problem } from '../../http/openapi.js';
import type { HttpKit } from '../../http/route.js';
import {
  atLeastOne,
  bodyId,
  dateTime,
  limitParam,
  opaqueCursor,
  singleLine,
  text,
  textUpTo,
  trimmed,
} from '../../http/validation.js';
import { roleSchema } from '../auth/schemas.js';
import { CASE_STATUSES, DATE_SORTS, SORTS, sortValue, type SortField } from './repository.js';
import { caseSchema, memberSchema, wallSchema } from './schemas.js';
import type { CaseService } from './service.js';

const SORT_VALUES = SORTS.flatMap((s) => [s, `-${s}`]);
const id = bodyId;
const status = z.enum(CASE_STATUSES, `expected one of ${CASE_STATUSES.join(', ')}`);

const listQuery = z.strictObject({
  limit: limitParam,
  cursor: opaqueCursor().optional(),
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(
      z
        .array(z.enum(CASE_STATUSES, `expected a comma-separated list of ${CASE_STATUSES.join(', ')}`))
        .min(1, 'expected at least one status'),
    )
    .optional()
    .describe('Only cases in these statuses'),
  q: text()
    .trim()
    .regex(/\S/, 'expected a non-empty search text')
    .max(200, 'expected at most 200 characters')
    .optional()
    .describe('Search text over number, title and client'),
  updated_since: dateTime('expected an ISO 8601 date-time such as 2026-01-31T00:00:00Z')
    .optional()
    .describe('Only cases updated at or after this time'),
  sort: z
    .enum(SORT_VALUES as [string, ...string[]], `expected one of ${SORT_VALUES.join(', ')}`)
    .default('-updated_at')
    .describe('Sort field, - for descending'),
});
const caseFields = {
  title: singleLine(300).meta({ examples: ['Smith v. Jones'] }),
  description: textUpTo(10_000)
    .nullable()
    .optional()
    .meta({ examples: ['Breach of a supply contract.\nHearing set for March.'] }),
  practiceArea: textUpTo(100, true)
    .nullable()
    .optional()
    .meta({ examples: ['Litigation'] }),
  clientName: singleLine(200).meta({ examples: ['Smith Ltd'] }),
  clientId: id('user id').nullable().optional(),
  responsibleAttorneyId: id('user id').optional(),
};
const createBody = z.strictObject({
  ...caseFields,
  conflictCheckId: id('conflict check id').optional(),
});
const patchBody = atLeastOne(
  z.strictObject({
    ...caseFields,
    title: caseFields.title.optional(),
    clientName: caseFields.clientName.optional(),
    status: status.optional(),
  }),
  'expected at least one field to change',
);
const memberBody = z.strictObject({
  userId: id('user id'),
  role: roleSchema.optional(),
});
const wallBody = z.strictObject({
  userId: id('user id'),
  reason: trimmed(1000).meta({ examples: ['Represented the opposing party in 2024'] }),
});
const caseParams = { id: 'case' };
const hidden = problem('No such case, or the caller may not see it (not a member, or walled off)');
const ifMatch = entityTagList("The case's current ETag (strong comparison: a weak W/ tag never matches)");

export function caseRoutes(kit: HttpKit, cases: CaseService): Router {
  const router = Router();

  kit.register(router, {
    method: 'get',
    path: '/cases',
    summary: 'Cases the caller may see',
    action: 'case.list',
    entity: 'case',
    request: { query: listQuery },
    responses: { 200: json('Cases', page(caseSchema)) },
    handler: async (ctx) => {
      const q = ctx.query;
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
    summary: 'Open a case (case:create)',
    description:
      'conflictCheckId: a cleared or waived conflict check that checked clientName (required with REQUIRE_CONFLICT_CHECK).',
    action: 'case.create',
    entity: 'case',
    permission: 'case:create',
    request: { body: createBody },
    responses: {
      201: json('Opened', caseSchema, { ...headers.etag, ...headers.location }),
      400: problem(
        'clientId, responsibleAttorneyId or conflictCheckId names no user or check that may be used',
      ),
      409: problem('The conflict check was already used to open another case, or is still pending'),
    },
    handler: async (ctx) => {
      const { conflictCheckId, ...body } = ctx.body;
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
    summary: 'One case (404 when the caller may not see it)',
    action: 'case.read',
    entity: 'case',
    request: { params: caseParams },
    responses: { 200: json('The case', caseSchema, headers.etag), 404: hidden },
    handler: async (ctx) => {
      const found = await cases.access(ctx.user, ctx.params.id, 'case:read');
      return { body: found, etag: caseEtag(found) };
    },
  });
  kit.register(router, {
    method: 'patch',
    path: '/cases/:id',
    summary: 'Change a case (case:write on the case; If-Match required)',
    action: 'case.update',
    entity: 'case',
    request: {
      params: caseParams,
      headers: z.object({ 'If-Match': ifMatch.optional() }),
      body: patchBody,
    },
    responses: {
      200: json('Changed', caseSchema, headers.etag),
      400: problem('responsibleAttorneyId or clientId names no user who may take that part'),
      403: problem(
        'The role on the case may not change it; responsibleAttorneyId and clientId need an admin or the responsible attorney',
      ),
      404: hidden,
      409: problem('The new client is walled off from the case, or the case is closed (only reopening)'),
      412: problem('If-Match names no current ETag (the case changed, or the tag is weak)'),
      428: problem('If-Match missing'),
    },
    handler: async (ctx) => {
      const body = ctx.body;
      ctx.audit.details = { fields: Object.keys(body) };
      const current = await cases.access(ctx.user, ctx.params.id, 'case:write');
      checkIfMatch(ctx.headers['If-Match'], caseEtag(current), true, 'case');
      const updated = await cases.update(ctx.user, ctx.params.id, current.version, body);
      return { body: updated, etag: caseEtag(updated) };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/close',
    summary: 'Close a case (case:write on the case; If-Match optional)',
    action: 'case.close',
    entity: 'case',
    request: { params: caseParams, headers: z.object({ 'If-Match': ifMatch.optional() }) },
    responses: {
      200: json('Closed', caseSchema, headers.etag),
      403: problem('The role on the case may not change it'),
      404: hidden,
      409: problem('Already closed'),
      412: problem('If-Match names no current ETag (the case changed, or the tag is weak)'),
    },
    handler: async (ctx) => {
      const current = await cases.access(ctx.user, ctx.params.id, 'case:write');
      checkIfMatch(ctx.headers['If-Match'], caseEtag(current), false, 'case');
      const closed = await cases.close(ctx.user, ctx.params.id, current.version);
      return { body: closed, etag: caseEtag(closed) };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/members',
    summary: 'Members of a case',
    action: 'member.list',
    entity: 'case',
    request: { params: caseParams },
    responses: { 200: json('Members', list(memberSchema)), 404: hidden },
    handler: async (ctx) => ({ body: { data: await cases.members(ctx.user, ctx.params.id) } }),
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/members',
    summary: 'Add a member (member:manage on the case)',
    action: 'member.add',
    entity: 'case',
    request: { params: caseParams, body: memberBody },
    responses: {
      201: json('Added', memberSchema),
      400: problem("No active user with that id, or a role above the user's own"),
      403: problem('The role on the case may not manage its members'),
      404: hidden,
      409: problem('Already a member, walled off from the case, or the case is closed'),
    },
    handler: async (ctx) => {
      const body = ctx.body;
      ctx.audit.details = { userId: body.userId, role: body.role };
      return { status: 201, body: await cases.addMember(ctx.user, ctx.params.id, body.userId, body.role) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/members/:userId',
    summary: 'Remove a member (member:manage on the case)',
    action: 'member.remove',
    entity: 'case',
    request: { params: { ...caseParams, userId: 'member' } },
    responses: {
      204: empty('Removed'),
      403: problem('The role on the case may not manage its members'),
      404: problem('No such case or member, or the caller may not see the case'),
      409: problem('The case is closed'),
    },
    handler: async (ctx) => {
      ctx.audit.details = { userId: ctx.params.userId };
      await cases.removeMember(ctx.user, ctx.params.id, ctx.params.userId);
      return { status: 204 };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/walls',
    summary: 'Ethical walls of a case (wall:manage)',
    action: 'wall.list',
    entity: 'case',
    permission: 'wall:manage',
    request: { params: caseParams },
    responses: {
      200: json('Walls', list(wallSchema)),
      404: problem('No such case, or the caller is walled off from it'),
    },
    handler: async (ctx) => ({ body: { data: await cases.walls(ctx.user, ctx.params.id) } }),
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/walls',
    summary: 'Bar a user from a case whatever their role (wall:manage)',
    action: 'wall.add',
    entity: 'case',
    permission: 'wall:manage',
    request: { params: caseParams, body: wallBody },
    responses: {
      201: json('Walled off', wallSchema),
      400: problem('No user with that id'),
      404: problem('No such case, or the caller is walled off from it'),
      409: problem('Already walled off, or the caller themselves'),
    },
    handler: async (ctx) => {
      const body = ctx.body;
      ctx.audit.details = { userId: body.userId };
      return { status: 201, body: await cases.addWall(ctx.user, ctx.params.id, body.userId, body.reason) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/walls/:userId',
    summary: 'Remove an ethical wall (wall:manage)',
    action: 'wall.remove',
    entity: 'case',
    permission: 'wall:manage',
    request: { params: { ...caseParams, userId: 'wall' } },
    responses: {
      204: empty('Removed'),
      404: problem('No such case or wall, or the caller is walled off from the case'),
      409: problem('A wall on the caller themselves'),
    },
    handler: async (ctx) => {
      ctx.audit.details = { userId: ctx.params.userId };
      await cases.removeWall(ctx.user, ctx.params.id, ctx.params.userId);
      return { status: 204 };
    },
  });
  return router;
}
