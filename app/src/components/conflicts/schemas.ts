import { z } from 'zod';
import { CHECK_STATUSES } from '../../db/models/conflicts.js';
import { idOut, instant } from '../../http/openapi.js';
import { partyKindSchema, partyRoleSchema } from '../parties/schemas.js';

const score = z.number().min(0).max(1);

export const conflictHitSchema = z
  .union([
    z
      .object({
        query: z.string(),
        score,
        restricted: z.literal(false),
        caseId: idOut,
        caseNumber: z.string(),
        caseTitle: z.string(),
        caseStatus: z.string(),
        partyId: idOut.nullable().describe("null: the case's own client name"),
        partyName: z.string(),
        role: partyRoleSchema,
        kind: partyKindSchema.nullable(),
      })
      .describe('A hit on a case the caller may read'),
    z
      .object({ query: z.string(), restricted: z.literal(true) })
      .describe(
        'One per checked name with hits on cases the caller is walled off from or may not see: no score, no details',
      ),
  ])
  .meta({ id: 'ConflictHit' });

export const conflictCheckSchema = z
  .object({
    id: idOut,
    requestedBy: idOut,
    names: z.array(z.string()),
    threshold: score,
    hitCount: z.int().min(0),
    restrictedHits: z.int().min(0).describe('How many checked names have restricted hits'),
    hits: z.array(conflictHitSchema),
    status: z.enum(CHECK_STATUSES),
    reason: z.string().nullable(),
    decidedBy: idOut.nullable(),
    decidedAt: instant.nullable(),
    caseId: idOut.nullable().describe('The case this check opened'),
    createdAt: instant,
  })
  .meta({ id: 'ConflictCheck' });
