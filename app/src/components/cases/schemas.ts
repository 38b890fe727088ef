import { z } from 'zod';
import { CASE_STATUSES } from '../../db/models/cases.js';
import { idOut, instant } from '../../http/openapi.js';
import { roleSchema } from '../auth/schemas.js';

export const caseSchema = z
  .object({
    id: idOut,
    number: z.string().regex(/^\d{4}-\d{5,}$/),
    title: z.string(),
    description: z.string().nullable(),
    practiceArea: z.string().nullable(),
    status: z.enum(CASE_STATUSES),
    openedAt: instant,
    statusChangedAt: instant,
    closedAt: instant.nullable(),
    clientName: z.string(),
    clientId: idOut.nullable(),
    responsibleAttorneyId: idOut,
    createdBy: idOut,
    version: z.int().min(1).describe('Grows with every change; the ETag carries it'),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Case' });

export const memberSchema = z
  .object({
    userId: idOut,
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    addedBy: idOut,
    addedAt: instant,
  })
  .meta({ id: 'Member' });

export const wallSchema = z
  .object({
    userId: idOut,
    name: z.string(),
    email: z.string(),
    reason: z.string(),
    createdBy: idOut,
    createdAt: instant,
  })
  .meta({ id: 'Wall' });
