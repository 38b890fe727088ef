import { z } from 'zod';
import { idOut, instant } from '../../http/openapi.js';
import { roleSchema } from '../auth/schemas.js';

export const userSchema = z
  .object({
    id: idOut,
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    active: z.boolean(),
    failedLogins: z.int().min(0),
    lockedUntil: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'User' });
