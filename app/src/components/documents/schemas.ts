import { z } from 'zod';
import { idOut, instant } from '../../http/openapi.js';

export const versionSchema = z
  .object({
    version: z.int().min(1),
    size: z.int().min(1).describe('Bytes'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    contentType: z.string().describe('Sniffed from the bytes, never taken from the client'),
    createdBy: idOut,
    createdAt: instant,
  })
  .meta({ id: 'DocumentVersion' });

export const documentSchema = z
  .object({
    id: idOut,
    caseId: idOut,
    name: z.string().min(1).max(255),
    createdBy: idOut,
    createdAt: instant,
    updatedAt: instant,
    deletedAt: instant.nullable().describe('Set while in the trash'),
    deletedBy: idOut.nullable(),
    latest: versionSchema,
  })
  .meta({ id: 'Document' });

export const uploadedSchema = documentSchema
  .extend({ created: z.boolean().describe('false: the upload is a new version of a document of that name') })
  .meta({ id: 'UploadedDocument' });

export const holdSchema = z
  .union([
    z.object({ active: z.literal(false) }),
    z.object({ active: z.literal(true), caseId: idOut, reason: z.string(), setBy: idOut, setAt: instant }),
  ])
  .meta({ id: 'LegalHold' });
