import { Router } from 'express';
import { z } from 'zod';
import type { HttpKit } from '../../http/route.js';
import { parse, parseId, text, trimmed } from '../../http/validation.js';
import type { PartyService } from './service.js';
import { PARTY_KINDS, PARTY_ROLES } from './repository.js';

/** Longest party name (and conflict-check name) accepted, in characters. */
export const NAME_MAX = 300;

const optionalText = (max: number) =>
  text('expected a string or null')
    .trim()
    .max(max, `expected at most ${max} characters`)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();
const fields = {
  role: z.enum(PARTY_ROLES, `expected one of ${PARTY_ROLES.join(', ')}`),
  kind: z.enum(PARTY_KINDS, `expected one of ${PARTY_KINDS.join(', ')}`),
  name: trimmed(NAME_MAX),
  email: z
    .email('expected an e-mail address or null')
    .max(254, 'expected at most 254 characters')
    .nullable()
    .optional(),
  phone: z
    .string('expected a string or null')
    .trim()
    .regex(
      /^\+?[0-9 ().\-/]{3,50}$/,
      'expected a telephone number (digits, spaces, + ( ) . - /; 3-50 characters)',
    )
    .nullable()
    .optional(),
  address: optionalText(1000),
  notes: optionalText(10_000),
};
const createBody = z.strictObject({ ...fields, kind: fields.kind.default('person') });
const patchBody = z
  .strictObject({
    role: fields.role.optional(),
    kind: fields.kind.optional(),
    name: fields.name.optional(),
    email: fields.email,
    phone: fields.phone,
    address: fields.address,
    notes: fields.notes,
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'expected at least one field to change' });

export function partyRoutes(kit: HttpKit, parties: PartyService): Router {
  const router = Router();
  const caseId = (raw: unknown) => parseId(raw as string, 'case');
  const partyId = (raw: unknown) => parseId(raw as string, 'party', 'partyId');

  kit.register(router, {
    method: 'get',
    path: '/cases/:id/parties',
    action: 'party.list',
    entity: 'case',
    handler: async (ctx) => ({ body: { data: await parties.list(ctx.user, caseId(ctx.req.params.id)) } }),
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/parties',
    action: 'party.create',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const body = parse('body', createBody, ctx.req.body);
      const created = await parties.create(ctx.user, idValue, body);
      ctx.audit.details = { partyId: created.id, role: created.role };
      return {
        status: 201,
        body: created,
        headers: { Location: `/cases/${idValue}/parties/${created.id}` },
      };
    },
  });
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/parties/:partyId',
    action: 'party.read',
    entity: 'case',
    handler: async (ctx) => {
      const pid = partyId(ctx.req.params.partyId);
      ctx.audit.details = { partyId: pid };
      return { body: await parties.get(ctx.user, caseId(ctx.req.params.id), pid) };
    },
  });
  kit.register(router, {
    method: 'patch',
    path: '/cases/:id/parties/:partyId',
    action: 'party.update',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const pid = partyId(ctx.req.params.partyId);
      const body = parse('body', patchBody, ctx.req.body);
      ctx.audit.details = { partyId: pid, fields: Object.keys(body) };
      return { body: await parties.update(ctx.user, idValue, pid, body) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/parties/:partyId',
    action: 'party.delete',
    entity: 'case',
    handler: async (ctx) => {
      const idValue = caseId(ctx.req.params.id);
      const pid = partyId(ctx.req.params.partyId);
      ctx.audit.details = { partyId: pid };
      await parties.remove(ctx.user, idValue, pid);
      return { status: 204 };
    },
  });
  return router;
}
