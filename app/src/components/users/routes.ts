import { Router } from 'express';
import { z } from 'zod';
import type { HttpKit } from '../../http/route.js';
import { limitParam, idCursor, parse, parseId, trimmed } from '../../http/validation.js';
import { ROLE_NAMES } from '../auth/permissions.js';
import { userEtag } from '../../http/etag.js';
import { nextCursor } from '../../http/cursor.js';
import type { UserService } from './service.js';

const role = z.enum(ROLE_NAMES, `expected one of ${ROLE_NAMES.join(', ')}`);
const createBody = z.strictObject({
  email: z.email('expected an e-mail address').max(254, 'expected at most 254 characters'),
  name: trimmed(200),
  role,
  password: z
    .string('expected a string')
    .min(12, 'expected at least 12 characters')
    .max(1024, 'expected at most 1024 characters'),
});
const patchBody = z
  .strictObject({
    name: trimmed(200).optional(),
    role: role.optional(),
    active: z.boolean('expected true or false').optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'expected at least one of name, role, active' });
const listQuery = z.strictObject({
  limit: limitParam,
  cursor: idCursor(10).optional(),
});

export function userRoutes(kit: HttpKit, users: UserService): Router {
  const router = Router();
  kit.register(router, {
    method: 'get',
    path: '/users/me',
    action: 'user.read',
    entity: 'user',
    handler: async (ctx) => {
      ctx.audit.entityId = ctx.user.id;
      const user = await users.me(ctx.user);
      return { body: user, etag: userEtag(user) };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/users',
    action: 'user.list',
    entity: 'user',
    permission: 'user:manage',
    handler: async (ctx) => {
      const q = parse('query', listQuery, ctx.req.query);
      const page = await users.list(q.cursor === undefined ? 0 : Number(q.cursor), q.limit);
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
    action: 'user.create',
    entity: 'user',
    permission: 'user:manage',
    transaction: 'handler',
    handler: async (ctx) => {
      const body = parse('body', createBody, ctx.req.body);
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
    action: 'user.update',
    entity: 'user',
    permission: 'user:manage',
    handler: async (ctx) => {
      const id = parseId(ctx.req.params.id as string, 'user');
      const body = parse('body', patchBody, ctx.req.body);
      ctx.audit.details = { changes: body };
      const user = await users.update(ctx.user, id, body);
      return { body: user, etag: userEtag(user) };
    },
  });
  return router;
}
