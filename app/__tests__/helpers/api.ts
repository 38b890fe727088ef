import { createHmac } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import type { Harness, TestUser } from './harness.js';

/** What the API tests call and check, beside the harness: tokens, problems, audit events, cases. */

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** An answer as supertest gives it, or as a raw request does once its JSON is parsed. */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

/**
 * The answer is an `application/problem+json` of `status` with type, title, detail and the request id of its
 * X-Request-Id header; with `field` (and `message`), its `errors` hold that field (with that message).
 */
export function expectProblem(
  res: Answer,
  status: number,
  field?: string,
  message?: string,
): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.stringContaining('/problems/'),
    title: expect.any(String),
    detail: expect.any(String),
  });
  const body = res.body as Record<string, unknown>;
  expect(body.requestId).toBe(res.headers['x-request-id']);
  if (field !== undefined)
    expect(body.errors).toContainEqual(
      message === undefined ? expect.objectContaining({ field }) : { field, message },
    );
  return body;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const HS256 = { alg: 'HS256', typ: 'JWT' };

/** JWTs built by hand with node:crypto, independently of the jose library the service uses. */
export function handMadeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | null,
  hash = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (secret === null) return `${input}.`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

/** The claims of a valid access token of user `sub`, issued now for ten minutes. */
export const claims = (sub: number, extra: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return { sub: String(sub), iss: 'legal-service', aud: 'legal-api', iat: now, exp: now + 600, ...extra };
};

/** Cursors built by hand (base64url JSON `[value, id]`), independently of the service's encoder. */
export const cursorOf = (value: unknown, id: unknown) =>
  Buffer.from(JSON.stringify([value, id])).toString('base64url');

/** The one audit event of a request (its id, or its answer), read from the table, with its details parsed. */
export async function auditEvent(h: Harness, request: string | { headers: Record<string, unknown> }) {
  const rows = await h.auditOf(
    typeof request === 'string' ? request : String(request.headers['x-request-id']),
  );
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  return { ...row, details: row.details === null ? null : JSON.parse(String(row.details)) };
}

/** The request left exactly one audit event: this action, outcome, status, actor and an address. */
export async function expectAudit(
  h: Harness,
  res: Response,
  action: string,
  outcome: 'success' | 'denied' | 'failure',
  actorId: number | null,
): Promise<void> {
  const rows = await h.auditOf(res.headers['x-request-id'] as string);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ action, outcome, status: res.status });
  expect(rows[0]!.actor_id === null ? null : Number(rows[0]!.actor_id)).toBe(actorId);
  expect(rows[0]!.ip).toBeTruthy();
}

export interface CreatedCase {
  id: number;
  number: string;
}

/** A member to add: with their own role as case role, or with the one given. */
export type NewMember = TestUser | { user: TestUser; role: string };

/** A new case of `owner` with `members` added by the owner. */
export async function createCase(
  h: Harness,
  owner: TestUser,
  fields: Record<string, unknown>,
  members: NewMember[] = [],
): Promise<CreatedCase> {
  const res = await h.http().post('/cases').set(bearer(owner.token)).send(fields);
  expect(res.status).toBe(201);
  for (const m of members) {
    const added = await h
      .http()
      .post(`/cases/${res.body.id}/members`)
      .set(bearer(owner.token))
      .send('user' in m ? { userId: m.user.id, role: m.role } : { userId: m.id });
    expect(added.status).toBe(201);
  }
  return res.body as CreatedCase;
}

/** The case several suites start from: Smith v. Jones, of `attorney` for `client`, in Litigation, with `members`. */
export const smithVJones = (h: Harness, attorney: TestUser, client: TestUser, members: NewMember[]) =>
  createCase(
    h,
    attorney,
    { title: 'Smith v. Jones', clientName: 'Smith Ltd', clientId: client.id, practiceArea: 'Litigation' },
    members,
  );

/** The current ETag of a case as `reader` sees it. */
export const etagOf = async (h: Harness, reader: TestUser, id: number) =>
  (await h.http().get(`/cases/${id}`).set(bearer(reader.token))).headers.etag as string;

/** PATCH /cases/:id by `who`, with the current ETag as `reader` (by default `who`) sees it. */
export const patchCase = async (
  h: Harness,
  who: TestUser,
  id: number,
  body: Record<string, unknown>,
  reader: TestUser = who,
) =>
  h
    .http()
    .patch(`/cases/${id}`)
    .set(bearer(who.token))
    .set('If-Match', await etagOf(h, reader, id))
    .send(body);
