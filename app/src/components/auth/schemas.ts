import { z } from 'zod';
import { ROLE_NAMES, ROLES } from './permissions.js';

export const roleSchema = z.enum(ROLE_NAMES, `expected one of ${ROLE_NAMES.join(', ')}`).meta({
  id: 'Role',
  description: Object.entries(ROLES)
    .map(([role, what]) => `${role}: ${what}`)
    .join('; '),
});

export const tokenPairSchema = z
  .object({
    accessToken: z.string().describe('JWT (HS256); send as Authorization: Bearer <accessToken>'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().positive().describe('Seconds the access token is valid'),
    refreshToken: z.string().describe('Opaque; spent by POST /auth/refresh, which returns a new pair'),
    refreshExpiresIn: z.int().positive(),
  })
  .meta({ id: 'TokenPair' });
