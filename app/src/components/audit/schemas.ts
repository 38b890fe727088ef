import { z } from 'zod';
import { OUTCOMES } from '../../db/models/audit.js';
import { idOut, instant } from '../../http/openapi.js';

export const auditEventSchema = z
  .object({
    id: idOut,
    occurredAt: instant,
    actorId: idOut.nullable(),
    action: z.string().describe('e.g. case.read'),
    entity: z.string(),
    entityId: z.string().nullable(),
    outcome: z.enum(OUTCOMES),
    status: z.int().min(100).max(599),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEvent' });
