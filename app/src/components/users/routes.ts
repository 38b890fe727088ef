import { Router } from 'express';
import { z } from 'zod';
import type { HttpKit } from '../../http/route.js';
import { atLeastOne, email, idCursor, limitParam, singleLine } from '../../http/validation.js';
import { headers, json, page, problem } from '../../http/openapi.js';
import { roleSchema } from '../auth/schemas.js';
import { userEtag } from '../../http/etag.js';
import { nextCursor } from '../../http/cursor.js';
import type { UserService } from './service.js';
import { userSchema } from './schemas.js';

const createBody = z.strictObject({
  email: email().meta({ examples: ['jane.doe@firm.example'] }),
  name: singleLine(200).meta({ examples: ['Jane Doe'] }),
  role: roleSchema,
  password: z
    .string('expected a string')
    .min(12, 'expected at least 12 characters')
    .max(1024, 'expected at most 1024 characters')
    .meta({ examples: ['correct horse battery staple'] }),
});
const patchBody = atLeastOne(
  z.strictObject({
    name: singleLine(200).optional(),
    role: roleSchema.optional(),
    active: z.boolean('expected true or false').optional(),
  }),
  'expected at least one of name, role, active',
);
const listQuery = z.strictObject({
  limit: limitParam,
  cursor: idCursor().optional(),
});

export function userRoutes(kit: HttpKit, users: UserService): Router {
  const router = Router();
  kit.register(router, {
    method: 'get',
    path: '/users/me',
    summary: 'The caller',
    action: 'user.read',
    entity: 'user',
    responses: { 200: json('The caller', userSchema, headers.etag) },
    handler: async (ctx) => {
      ctx.audit.entityId = ctx.user.id;
      const user = await users.me(ctx.user);
      return { body: user, etag: userEtag(user) };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/users',
    summary: 'List users (user:manage)',
    action: 'user.list',
    entity: 'user',
    permission: 'user:manage',
    request: { query: listQuery },
    responses: { 200: json('Users, by id', page(userSchema)) },
    handler: async (ctx) => {
      const q = ctx.query;
      const page = await users.list(q.cursor ?? 0, q.limit);
      return {
        body: {
          data: page.data,
          page: { limit: q.limit, nextCursor: nextCursor(page, (u) => String(u.id)) },
        },
      };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/users',
    summary: 'Create a user (user:manage)',
    action: 'user.create',
    entity: 'user',
    permission: 'user:manage',
    transaction: 'handler',
    request: { body: createBody },
    responses: {
      201: json('Created', userSchema, { ...headers.etag, ...headers.location }),
      409: problem('A user with that e-mail address exists'),
    },
    handler: async (ctx) => {
      const body = ctx.body;
      ctx.audit.details = { email: body.email.toLowerCase(), role: body.role };
      const prepared = await users.prepare(body);
      return ctx.write(async () => {
        const { user, inheritedWalls } = await users.create(ctx.user, prepared);
        ctx.audit.entityId = user.id;
        if (inheritedWalls.length > 0) ctx.audit.details = { ...ctx.audit.details, inheritedWalls };
        return { status: 201, body: user, etag: userEtag(user), headers: { Location: `/users/${user.id}` } };
      });
    },
  });
  kit.register(router, {
    method: 'patch',
    path: '/users/:id',
    summary: 'Change a user: name, role, active (user:manage)',
    action: 'user.update',
    entity: 'user',
    permission: 'user:manage',
    request: { params: { id: 'user' }, body: patchBody },
    responses: {
      200: json('Changed', userSchema, headers.etag),
      403: problem('A role or state change of a user who walled the caller off'),
      409: problem('An administrator deactivating or demoting themselves'),
    },
    handler: async (ctx) => {
      const body = ctx.body;
      ctx.audit.details = { changes: body };
      const user = await users.update(ctx.user, ctx.params.id, body);
      return { body: user, etag: userEtag(user) };
    },
  });
  return router;
}
