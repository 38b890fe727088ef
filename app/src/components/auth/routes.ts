import { Router } from 'express';
import { z } from 'zod';
import { json, problem } from '../../http/openapi.js';
import type { HttpKit } from '../../http/route.js';
import { email } from '../../http/validation.js';
import { userSchema } from '../users/schemas.js';
import { tokenPairSchema } from './schemas.js';
import type { AuthService } from './service.js';

const loginBody = z.strictObject({
  email: email().meta({ examples: ['attorney@demo.legal'] }),
  password: z
    .string('expected a string')
    .min(1, 'expected a non-empty string')
    .max(1024, 'expected at most 1024 characters')
    .meta({ examples: ['the password printed at start'] }),
});
const refreshBody = z.strictObject({
  refreshToken: z
    .string('expected a string')
    .min(1, 'expected a non-empty string')
    .max(200, 'expected at most 200 characters'),
});
const loginSchema = tokenPairSchema.extend({ user: userSchema }).meta({ id: 'Login' });

export function authRoutes(kit: HttpKit, auth: AuthService): Router {
  const router = Router();
  kit.register(router, {
    method: 'post',
    path: '/auth/login',
    summary: 'Log in: short-lived access token and rotating refresh token',
    action: 'auth.login',
    entity: 'user',
    auth: false,
    transaction: 'handler',
    request: { body: loginBody },
    responses: {
      200: json('Tokens', loginSchema),
      401: problem('Wrong credentials, or the account is locked or deactivated'),
      429: problem(
        'Too many attempts from this address, or a wait after wrong passwords for this account from this address',
        {
          'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' }, required: true },
        },
      ),
    },
    handler: async (ctx) => {
      const body = ctx.body;
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
    summary: 'Exchange a refresh token for a new pair (the old one is spent; reuse revokes the family)',
    action: 'auth.refresh',
    entity: 'user',
    auth: false,
    request: { body: refreshBody },
    responses: {
      200: json('Tokens', tokenPairSchema),
      401: problem('Unknown, expired, reused or revoked refresh token, or a deactivated user'),
    },
    handler: async (ctx) => {
      const tokens = await auth.refresh(ctx.body.refreshToken, (id) => {
        ctx.audit.actorId = id;
        ctx.audit.entityId = id;
      });
      return { body: tokens, headers: { 'Cache-Control': 'no-store' } };
    },
  });
  kit.register(router, {
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the session of a refresh token (an unknown token is ignored)',
    action: 'auth.logout',
    entity: 'user',
    auth: false,
    request: { body: refreshBody },
    responses: { 204: { description: 'Revoked' } },
    handler: async (ctx) => {
      await auth.logout(ctx.body.refreshToken, (id) => {
        ctx.audit.actorId = id;
        ctx.audit.entityId = id;
      });
      return { status: 204 };
    },
  });
  return router;
}
