import { z } from 'zod';
import { PARTY_KINDS, PARTY_ROLES } from '../../db/models/parties.js';
import { idOut, instant } from '../../http/openapi.js';

export const partyRoleSchema = z
  .enum(PARTY_ROLES, `expected one of ${PARTY_ROLES.join(', ')}`)
  .meta({ id: 'PartyRole' });
export const partyKindSchema = z
  .enum(PARTY_KINDS, `expected one of ${PARTY_KINDS.join(', ')}`)
  .meta({ id: 'PartyKind' });

export const partySchema = z
  .object({
    id: idOut,
    caseId: idOut,
    role: partyRoleSchema,
    kind: partyKindSchema,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    notes: z.string().nullable(),
    createdBy: idOut,
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Party' });
