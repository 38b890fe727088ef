import { Router } from 'express';
import { z } from 'zod';
import type { HttpKit } from '../../http/route.js';
import { parse } from '../../http/validation.js';
import type { AuthService } from './service.js';

const loginBody = z.strictObject({
  email: z.email('expected an e-mail address').max(254, 'expected at most 254 characters'),
  password: z
    .string('expected a string')
    .min(1, 'expected a non-empty string')
    .max(1024, 'expected at most 1024 characters'),
});
const refreshBody = z.strictObject({
  refreshToken: z
    .string('expected a string')
    .min(1, 'expected a non-empty string')
    .max(200, 'expected at most 200 characters'),
});

export function authRoutes(kit: HttpKit, auth: AuthService): Router {
  const router = Router();
  kit.register(router, {
    method: 'post',
    path: '/auth/login',
    action: 'auth.login',
    entity: 'user',
    auth: false,
    transaction: 'handler',
    handler: async (ctx) => {
      const body = parse('body', loginBody, ctx.req.body);
      ctx.audit.details = { email: body.email.toLowerCase() };
      const checked = await auth.checkCredentials(body.email, body.password, ctx.ip, (id) => {
        ctx.audit.actorId = id;
        ctx.audit.entityId = id;
      });
      return ctx.write(async () => {
        const { user, tokens } = await auth.completeLogin(checked);
        return { body: { ...tokens, user }, headers: { 'Cache-Control': 'no-store' } };
      });
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/auth/refresh',
    action: 'auth.refresh',
    entity: 'user',
    auth: false,
    handler: async (ctx) => {
      const body = parse('body', refreshBody, ctx.req.body);
      const tokens = await auth.refresh(body.refreshToken, (id) => {
        ctx.audit.actorId = id;
        ctx.audit.entityId = id;
      });
      return { body: tokens, headers: { 'Cache-Control': 'no-store' } };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/auth/logout',
    action: 'auth.logout',
    entity: 'user',
    auth: false,
    handler: async (ctx) => {
      const body = parse('body', refreshBody, ctx.req.body);
      await auth.logout(body.refreshToken, (id) => {
        ctx.audit.actorId = id;
        ctx.audit.entityId = id;
      });
      return { status: 204 };
    },
  });
  return router;
}
