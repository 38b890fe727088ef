import { Router } from 'express';
import { z } from 'zod';
import { empty, headers, json, list, problem } from '../../http/openapi.js';
import type { HttpKit } from '../../http/route.js';
import { atLeastOne, email, singleLine, textUpTo } from '../../http/validation.js';
import type { PartyService } from './service.js';
import { partyKindSchema, partyRoleSchema, partySchema } from './schemas.js';

/** Longest party name (and conflict-check name) accepted, in characters. */
export const NAME_MAX = 300;

/** Optional text; an empty string (after trimming) is stored as null. */
const optionalText = (max: number) =>
  textUpTo(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();
const fields = {
  role: partyRoleSchema,
  kind: partyKindSchema,
  name: singleLine(NAME_MAX).meta({ examples: ['Jones & Co. GmbH'] }),
  email: email('expected an e-mail address or null').nullable().optional(),
  phone: z
    .string('expected a string or null')
    .regex(
      /^\+?[0-9().\-/][0-9 ().\-/]{1,48}[0-9().\-/]$/,
      'expected a telephone number (digits, spaces, + ( ) . - /; 3-50 characters, no space first or last)',
    )
    .nullable()
    .optional()
    .meta({ examples: ['+49 30 1234567'] }),
  address: optionalText(1000),
  notes: optionalText(10_000),
};
const createBody = z.strictObject({ ...fields, kind: fields.kind.default('person') });
const patchBody = atLeastOne(
  z.strictObject({
    role: fields.role.optional(),
    kind: fields.kind.optional(),
    name: fields.name.optional(),
    email: fields.email,
    phone: fields.phone,
    address: fields.address,
    notes: fields.notes,
  }),
  'expected at least one field to change',
);
const caseParams = { id: 'case' };
const partyParams = { id: 'case', partyId: 'party' };
const hidden = problem('No such case or party, or the case is hidden from the caller');
const mayNotChange = problem('The role on the case may not change it');
const closed = problem('The case is closed');

export function partyRoutes(kit: HttpKit, parties: PartyService): Router {
  const router = Router();
  kit.register(router, {
    method: 'get',
    path: '/cases/:id/parties',
    summary: 'Parties of a case (case:read on the case)',
    action: 'party.list',
    entity: 'case',
    request: { params: caseParams },
    responses: { 200: json('Parties', list(partySchema)), 404: hidden },
    handler: async (ctx) => ({ body: { data: await parties.list(ctx.user, ctx.params.id) } }),
  });
  kit.register(router, {
    method: 'post',
    path: '/cases/:id/parties',
    summary: 'Add a party: client, opposing party, opposing counsel or witness (case:write on the case)',
    action: 'party.create',
    entity: 'case',
    request: { params: caseParams, body: createBody },
    responses: {
      201: json('Added', partySchema, headers.location),
      403: mayNotChange,
      404: hidden,
      409: closed,
    },
    handler: async (ctx) => {
      const idValue = ctx.params.id;
      const created = await parties.create(ctx.user, idValue, ctx.body);
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
    summary: 'One party (case:read on the case)',
    action: 'party.read',
    entity: 'case',
    request: { params: partyParams },
    responses: { 200: json('The party', partySchema), 404: hidden },
    handler: async (ctx) => {
      const pid = ctx.params.partyId;
      ctx.audit.details = { partyId: pid };
      return { body: await parties.get(ctx.user, ctx.params.id, pid) };
    },
  });
  kit.register(router, {
    method: 'patch',
    path: '/cases/:id/parties/:partyId',
    summary: 'Change a party (case:write on the case)',
    action: 'party.update',
    entity: 'case',
    request: { params: partyParams, body: patchBody },
    responses: { 200: json('Changed', partySchema), 403: mayNotChange, 404: hidden, 409: closed },
    handler: async (ctx) => {
      const idValue = ctx.params.id;
      const pid = ctx.params.partyId;
      const body = ctx.body;
      ctx.audit.details = { partyId: pid, fields: Object.keys(body) };
      return { body: await parties.update(ctx.user, idValue, pid, body) };
    },
  });
  kit.register(router, {
    method: 'delete',
    path: '/cases/:id/parties/:partyId',
    summary: 'Remove a party (case:write on the case)',
    action: 'party.delete',
    entity: 'case',
    request: { params: partyParams },
    responses: { 204: empty('Removed'), 403: mayNotChange, 404: hidden, 409: closed },
    handler: async (ctx) => {
      const idValue = ctx.params.id;
      const pid = ctx.params.partyId;
      ctx.audit.details = { partyId: pid };
      await parties.remove(ctx.user, idValue, pid);
      return { status: 204 };
    },
  });
  return router;
}
