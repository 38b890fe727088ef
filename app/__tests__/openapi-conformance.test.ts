/**
 * Every operation of /openapi.json, driven with requests made from the document itself and answered by the
 * running service (supertest against the app, both databases):
 *
 * - a realistic valid example (generated, with ids and credentials of real fixtures) sent by an administrator
 *   must succeed;
 * - more generated valid examples must never be refused by the request schemas (a 400 saying the request is
 *   not valid means the service refuses what the document allows);
 * - invalid variants (one part broken, confirmed broken by ajv) must be 400s naming the broken field;
 * - every role, and no token at all, gets answers the document lists.
 *
 * Every answer is checked by the document: its status is documented for the operation, its Content-Type is
 * one the document gives for that status, its body validates (ajv) against the documented schema, and its
 * required headers are there. Fresh fixtures are made for each operation, so what one operation changes
 * (closing a case, trashing a document) does not decide what another answers.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Response, Test } from 'supertest';
import { bearer } from './helpers/api.js';
import { pdf } from './helpers/documents.js';
import { backends, cast, startHarness, type TestUser } from './helpers/harness.js';
import {
  OpenApiExamples,
  queryString,
  serialisedQuery,
  type Example,
  type Operation,
} from './helpers/openapi-examples.js';

const SEED = Number(process.env.OPENAPI_SEED ?? 19);
const METRICS_TOKEN = 'metrics-token-for-the-conformance-test';
/** Who the fixtures and the examples act as, or name. */
const USERS = {
  admin: 'admin',
  attorney: 'attorney',
  outsider: 'attorney',
  paralegal: 'paralegal',
  client: 'client',
  auditor: 'auditor',
  walled: 'paralegal',
  newcomer: 'paralegal',
  spare: 'client',
  loginUser: 'client',
} as const;
/** How the request schemas word a refusal (http/validation.ts `parse`): what a valid example must never get. */
const SCHEMA_REFUSAL =
  /^The request (body|query|params|headers) (is|are) not valid|^The request body must be a JSON object/;

/** The operations of the document, read once before the tests are laid out (one test per operation). */
const OPERATIONS = await (async () => {
  const h = await startHarness('sqlite');
  try {
    const doc = (await h.http().get('/openapi.json')).body as ConstructorParameters<
      typeof OpenApiExamples
    >[0];
    return new OpenApiExamples(doc, SEED).operations().map((o) => `${o.method.toUpperCase()} ${o.path}`);
  } finally {
    await h.close();
  }
})();

interface Fixtures {
  case: number;
  heldCase: number;
  document: number;
  trashed: number;
  party: number;
  check: number;
}

describe.each(await backends())('the OpenAPI document, operation by operation, on %s', (backend) => {
  const { h, admin, attorney, outsider, paralegal, client, auditor, walled, newcomer, spare, loginUser } =
    cast(backend, USERS, { METRICS_TOKEN });
  let doc: ConstructorParameters<typeof OpenApiExamples>[0];
  let examples: OpenApiExamples;
  beforeAll(async () => {
    doc = (await h.http().get('/openapi.json')).body as typeof doc;
    examples = new OpenApiExamples(doc, SEED);
  });

  const ok = (res: Response, status: number, what: string) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
    return res.body as { id: number };
  };

  /** A case with a member, a party, a wall, a document and a trashed one; a case under hold; a pending check. */
  async function fixtures(): Promise<Fixtures> {
    const as = bearer(attorney.token);
    const made = ok(
      await h
        .http()
        .post('/cases')
        .set(as)
        .send({ title: 'Fixture v. Case', clientName: 'Fixture Ltd', clientId: client.id }),
      201,
      'case',
    );
    ok(
      await h.http().post(`/cases/${made.id}/members`).set(as).send({ userId: paralegal.id }),
      201,
      'member',
    );
    ok(
      await h
        .http()
        .post(`/cases/${made.id}/walls`)
        .set(bearer(admin.token))
        .send({ userId: walled.id, reason: 'Conflict' }),
      201,
      'wall',
    );
    const party = ok(
      await h
        .http()
        .post(`/cases/${made.id}/parties`)
        .set(as)
        .send({ role: 'witness', name: 'Wendy Witness' }),
      201,
      'party',
    );
    const upload = (name: string) =>
      h.http().post(`/cases/${made.id}/documents`).set(as).attach('file', pdf(3000), name);
    const document = ok(await upload('contract.pdf'), 201, 'document');
    const trashed = ok(await upload('draft.pdf'), 201, 'document');
    ok(await h.http().delete(`/documents/${trashed.id}`).set(as), 204, 'trash');
    const held = ok(
      await h.http().post('/cases').set(as).send({ title: 'Held v. Case', clientName: 'Held Ltd' }),
      201,
      'case',
    );
    ok(
      await h.http().post(`/cases/${held.id}/legal-hold`).set(as).send({ reason: 'Litigation' }),
      201,
      'hold',
    );
    const check = ok(
      await h
        .http()
        .post('/conflicts/check')
        .set(bearer(admin.token))
        .send({ names: ['Fixture Ltd'] }),
      201,
      'check',
    );
    return {
      case: made.id,
      heldCase: held.id,
      document: document.id,
      trashed: trashed.id,
      party: party.id,
      check: check.id,
    };
  }

  /** Real ids for the path parameters: which resource an operation's `{id}` means follows from its path. */
  function pathIds(op: Operation, fx: Fixtures): Record<string, number> {
    if (op.path.startsWith('/users/')) return { id: spare.id };
    if (op.path.startsWith('/conflicts/')) return { id: fx.check };
    if (op.path.startsWith('/documents/'))
      return { id: op.path.endsWith('/restore') ? fx.trashed : fx.document };
    if (op.path === '/cases/{id}/legal-hold' && op.method === 'delete') return { id: fx.heldCase };
    return { id: fx.case, userId: op.path.includes('/walls/') ? walled.id : paralegal.id, partyId: fx.party };
  }

  const urlOf = (op: Operation, ids: Record<string, number | string>, query: Record<string, string> = {}) => {
    const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(ids[name])));
    const qs = queryString(query);
    return qs === '' ? path : `${path}?${qs}`;
  };

  function send(
    op: Operation,
    url: string,
    token: string | undefined,
    parts: { headers?: Record<string, string>; body?: unknown; upload?: Buffer | 'none' | 'json' },
  ): Test {
    let req = h.http()[op.method](url);
    if (token !== undefined) req = req.set(bearer(token));
    for (const [name, value] of Object.entries(parts.headers ?? {})) req = req.set(name, value);
    if (parts.upload instanceof Buffer) return req.attach('file', parts.upload, 'upload.pdf');
    if (parts.upload === 'none') return req.field('note', 'no file here');
    if (parts.upload === 'json') return req.send({ file: 'not a form' });
    return parts.body === undefined ? req : req.send(parts.body as object);
  }

  function tokenFor(op: Operation, user: TestUser | undefined): string | undefined {
    const security = op.object.security as Record<string, unknown>[] | undefined;
    if (security?.some((s) => 'metricsToken' in s)) return user === undefined ? undefined : METRICS_TOKEN;
    return user?.token;
  }

  /** The realistic example: a generated one with the ids, credentials and ETags of real fixtures. */
  async function realistic(op: Operation, fx: Fixtures): Promise<Example> {
    const example = examples.valid(op);
    const body = example.body as Record<string, unknown> | undefined;
    const key = `${op.method.toUpperCase()} ${op.path}`;
    if (body) {
      if ('clientId' in body) body.clientId = client.id;
      if ('responsibleAttorneyId' in body) body.responsibleAttorneyId = attorney.id;
      delete body.conflictCheckId;
      if (key === 'POST /cases/{id}/members') Object.assign(body, { userId: newcomer.id, role: 'paralegal' });
      if (key === 'POST /cases/{id}/walls') body.userId = outsider.id;
      if (key === 'POST /auth/login')
        Object.assign(body, { email: loginUser.email, password: loginUser.password });
      if ('refreshToken' in body)
        body.refreshToken = (await h.login(loginUser.email, loginUser.password)).refreshToken;
      if (key === 'PATCH /users/{id}') body.role = 'client';
    }
    if (key === 'PATCH /cases/{id}' || key === 'POST /cases/{id}/close') {
      const read = await h.http().get(`/cases/${fx.case}`).set(bearer(admin.token));
      example.headers['If-Match'] = read.headers.etag as string;
    }
    // A version or range drawn at random names none the fixture has; cursors are the service's own.
    if (key === 'GET /documents/{id}/download') {
      example.query = {};
      example.headers = {};
    }
    delete example.query.cursor;
    return example;
  }

  test.each(OPERATIONS)(
    '%s: every answer is one the document lists',
    async (key) => {
      const failures: string[] = [];
      const op = examples.operations().find((o) => `${o.method.toUpperCase()} ${o.path}` === key);
      if (!op) throw new Error(`${key} is no longer in the document`);
      {
        const fx = await fixtures();
        const ids = pathIds(op, fx);
        const record = (what: string, res: Response, extra: string[] = []) => {
          const problems = [...examples.check(op, res), ...extra];
          if (res.status >= 500) problems.push(`a ${res.status}: ${res.text.slice(0, 300)}`);
          for (const p of problems) failures.push(`${key} ${what} → ${res.status}: ${p}`);
        };

        // 1. The realistic example, as an administrator: it must succeed.
        const real = await realistic(op, fx);
        const upload = examples.isMultipart(op) ? pdf(4000) : undefined;
        const first = await send(op, urlOf(op, ids, serialisedQuery(op, real.query)), tokenFor(op, admin), {
          headers: real.headers,
          body: real.body,
          upload,
        });
        record(
          `realistic ${JSON.stringify(real).slice(0, 200)}`,
          first,
          first.status < 300 ? [] : ['a realistic request did not succeed'],
        );

        // 2. More valid examples: never refused by the request schemas.
        for (let i = 0; i < 4; i += 1) {
          const example = examples.valid(op);
          const res = await send(
            op,
            urlOf(op, ids, serialisedQuery(op, example.query)),
            tokenFor(op, admin),
            {
              headers: example.headers,
              body: example.body,
              upload: upload ? Buffer.from(`random bytes ${i}`) : undefined,
            },
          );
          const refused = res.status === 400 && SCHEMA_REFUSAL.test(String(res.body?.detail));
          record(
            `valid ${JSON.stringify(example).slice(0, 300)}`,
            res,
            refused ? [`refused: ${res.text}`] : [],
          );
        }

        // 3. Invalid variants: 400 naming the broken field.
        const base = examples.valid(op);
        for (const bad of examples.invalid(op, base)) {
          const res = await send(op, urlOf(op, ids, bad.query), tokenFor(op, admin), {
            headers: bad.headers,
            body: bad.body,
          });
          const named = ((res.body?.errors ?? []) as { field: string }[]).some((e) =>
            e.field.startsWith(bad.field),
          );
          record(
            `invalid (${bad.what})`,
            res,
            res.status === 400 && named
              ? []
              : [`expected a 400 naming ${bad.field}: ${res.text.slice(0, 300)}`],
          );
        }
        if (examples.bodyPointer(op)) {
          // Refused by the body parser before any schema: larger than BODY_LIMIT (100kb here), or in a charset it does not read.
          const huge = await send(op, urlOf(op, ids), tokenFor(op, admin), {
            body: { pad: 'x'.repeat(150_000) },
          });
          record('a body over BODY_LIMIT', huge, huge.status === 413 ? [] : ['expected 413']);
          const latin = await send(op, urlOf(op, ids), tokenFor(op, admin), {
            headers: { 'Content-Type': 'application/json; charset=koi8-r' },
            body: JSON.stringify(base.body),
          });
          record('a body in KOI8-R', latin, latin.status === 415 ? [] : ['expected 415']);
        }
        if (upload) {
          for (const form of ['none', 'json'] as const) {
            const res = await send(op, urlOf(op, ids), tokenFor(op, admin), { upload: form });
            record(
              `invalid form (${form})`,
              res,
              [400, 415].includes(res.status) ? [] : ['expected 400 or 415'],
            );
          }
        }
        for (const name of Object.keys(ids).filter((n) => op.path.includes(`{${n}}`))) {
          for (const bad of ['abc', '0', '2147483648']) {
            const res = await send(op, urlOf(op, { ...ids, [name]: bad }), tokenFor(op, admin), {
              headers: base.headers,
              body: base.body,
            });
            record(
              `path ${name}=${bad}`,
              res,
              [400, 404].includes(res.status) ? [] : ['expected 400 or 404'],
            );
          }
        }

        // 4. Every role, and no token: whatever they get is documented.
        for (const user of [attorney, outsider, paralegal, client, auditor, walled, undefined]) {
          const example = await realistic(op, fx);
          const res = await send(op, urlOf(op, ids, serialisedQuery(op, example.query)), tokenFor(op, user), {
            headers: example.headers,
            body: example.body,
            upload,
          });
          record(`as ${user?.role ?? 'nobody'}`, res);
        }
      }
      expect(failures).toEqual([]);
    },
    120_000,
  );

  test('when the document is read, then it has no operation this test did not drive', () => {
    expect(examples.operations().map((o) => `${o.method.toUpperCase()} ${o.path}`)).toEqual(OPERATIONS);
  });

  test('when /openapi.json is read, then it is OpenAPI 3.1 and lists exactly the routes Express serves', async () => {
    const doc = (await h.http().get('/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const served: string[] = [];
    const walk = (stack: unknown[]) => {
      for (const layer of stack as {
        route?: { path: string; methods: Record<string, boolean> };
        handle?: { stack?: unknown[] };
      }[]) {
        if (layer.route) {
          // `_all`: the 405 answers for methods no route serves on a known path.
          for (const m of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
            served.push(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        } else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((h.app as unknown as { router: { stack: unknown[] } }).router.stack);
    expect(documented).toEqual(served.sort());
    const docs = await h.http().get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });
});
