import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import type { AuditEventInput, Outcome } from '../components/audit/repository.js';
import type { AuditService } from '../components/audit/service.js';
import type { AuthService, AuthUser } from '../components/auth/service.js';
import type { Permission } from '../components/auth/permissions.js';
import type { Database } from '../db/database.js';
import { asUnavailable, AuditWriteError } from '../unavailable.js';
import { empty, headers, type Operations, problem, type RequestSpec, type Responses } from './openapi.js';
import { parse, parseId } from './validation.js';

export interface AuditNote {
  actorId?: number | null;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** The request's inputs as the route's schemas parsed them. */
export interface ParsedRequest<R extends RequestSpec> {
  /** Path ids, as numbers. */
  params: R['params'] extends Record<string, string>
    ? { [K in keyof R['params']]: number }
    : Record<string, never>;
  query: R['query'] extends z.ZodType ? z.output<R['query']> : undefined;
  headers: R['headers'] extends z.ZodType ? z.output<R['headers']> : undefined;
  body: R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
}

export interface RouteContext<
  Authed extends boolean = true,
  R extends RequestSpec = RequestSpec,
> extends ParsedRequest<R> {
  req: Request;
  res: Response;
  user: Authed extends true ? AuthUser : undefined;
  requestId: string;
  ip: string;
  /** What the audit event of this request records beyond action, outcome and status. */
  audit: AuditNote;
  /**
   * Runs `fn` in the request's one transaction and stores the request's audit event in it: the writes and
   * the event commit together, or neither. A refusal (AppError) thrown inside commits what was written
   * before it with the refusal's event (a failed login's count, a revoked session); any other error rolls
   * everything back. Routes that change data get it around their whole handler unless they declare
   * `transaction: 'handler'` and call it themselves, after the work that must not hold a transaction.
   */
  write: (fn: () => Promise<Reply>) => Promise<Reply>;
}

export interface Reply {
  status?: number;
  body?: unknown;
  etag?: string;
  headers?: Record<string, string>;
  /** Streams the body itself (downloads); called after the audit event is stored, instead of sending JSON. */
  send?: (res: Response) => Promise<void>;
}

export interface RouteSpec<Authed extends boolean = true, R extends RequestSpec = RequestSpec> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express path, e.g. `/cases/:id`; the OpenAPI document uses the same paths with `{id}`. */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  description?: string;
  /** Audit action, e.g. `case.read`. */
  action: string;
  entity: string;
  auth?: Authed extends true ? true : false;
  /** Permission the caller's global role must hold (case routes check per case in their service). */
  permission?: Permission;
  /**
   * What the request carries: `register` parses it (path ids, then query, headers and JSON body) before the
   * handler runs, hands the handler the parsed values, and the OpenAPI document shows the same schemas.
   */
  request?: R;
  /**
   * Every status the route itself can answer. `register` adds those it causes: 400 (an input refused by the
   * request schemas), 404 (a path id that cannot be one), 401 (authentication), 403 (`permission`), 413 and
   * 415 (JSON body), 304 (a GET whose 200 has an ETag) and 500.
   */
  responses: Responses;
  /**
   * Who opens the transaction of a POST, PATCH or DELETE: the route, around the whole handler (default), or
   * the handler, through `ctx.write`, after work that must not hold it (password hashing, document bytes).
   */
  transaction?: 'route' | 'handler';
  handler: (ctx: RouteContext<Authed, R>) => Promise<Reply>;
}

/** Where an error's outcome is decided: denials are 401, 403, 429 and the 404s a service marks as hidden. */
export function outcomeOf(err: AppError): Outcome {
  if (err.outcome !== undefined) return err.outcome;
  return err.status === 401 || err.status === 403 || err.status === 429 ? 'denied' : 'failure';
}

/** Path segments are client input: keep the audit column printable and within its size. */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, max);
}

/** The status a reply is sent with (before conditional GETs turn a 200 into a 304). */
function statusOf(reply: Reply): number {
  return reply.status ?? (reply.body === undefined ? 204 : 200);
}

/** Why a request failed, for the audit event's details: the AppError's reason, or 'internal-error'. */
function failureDetails(err: unknown): Record<string, unknown> | undefined {
  if (!(err instanceof AppError)) return { reason: 'internal-error' };
  return err.reason === undefined ? undefined : { reason: err.reason };
}

export function requestIdOf(req: Request): string {
  return String((req as Request & { id?: unknown }).id ?? '');
}

/** What a request must pass before its handler runs; each throws the AppError that refuses it (429, 503). */
export interface RequestGuards {
  /** The authenticated user's request budget. */
  user: (userId: number) => Promise<void>;
  /** Room for a write request (POST, PATCH, DELETE). */
  write: () => Promise<void>;
}

const READ_UNAVAILABLE =
  'The database is unreachable (problem type database-unavailable), or the audit event of the request could not be stored (audit-unavailable): nothing was served';
const WRITE_UNAVAILABLE =
  'The database is unreachable (database-unavailable), full (storage-full) or read-only (database-read-only), or the audit event could not be stored (audit-unavailable): nothing was written';

const merge = (a: Responses, b: Responses): Responses => {
  const out: Responses = { ...a };
  for (const [status, response] of Object.entries(b)) {
    const known = out[Number(status)];
    out[Number(status)] = known
      ? { ...known, ...response, description: `${known.description}; ${response.description}` }
      : response;
  }
  return out;
};

/**
 * Every status of a route: those it declares, and those `register` causes itself (a description of both says
 * both). A route that declares 404 describes it whole: it knows what else is hidden behind its ids.
 */
export function kitResponses(spec: RouteSpec<boolean, RequestSpec>): Responses {
  const request = spec.request ?? {};
  const out: Responses = {};
  const validated = [
    request.params && 'path id',
    request.query && 'query',
    request.headers && 'header',
    request.body && 'body',
  ].filter(Boolean);
  if (validated.length > 0)
    out[400] = problem(
      `Invalid ${validated.join(', ')}: \`errors\` names each refused field and what was expected`,
    );
  if (spec.auth !== false)
    out[401] = problem('Missing, malformed, expired or forged access token, or a deactivated user', {
      'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' }, required: true },
    });
  if (spec.permission !== undefined)
    out[403] = problem(`The caller's role does not have the '${spec.permission}' permission`);
  if (request.params && spec.responses[404] === undefined)
    out[404] = problem(`No such ${Object.values(request.params).join(' or ')}`);
  if (request.body) {
    out[413] = problem('JSON body larger than BODY_LIMIT');
    out[415] = problem('Body in a charset or content encoding the service does not read');
  }
  out[500] = problem('Unexpected error; quote the request id when reporting it');
  // The guards and the audit trail (issue 20): every route is audited, so each can meet a failing dependency.
  if (spec.auth !== false)
    out[429] = problem(
      'More than RATE_LIMIT_USER_PER_MINUTE requests of this user in a minute',
      headers.retryAfter,
    );
  out[503] = problem(spec.method === 'get' ? READ_UNAVAILABLE : WRITE_UNAVAILABLE, headers.retryAfter);
  const declared = merge(out, spec.responses);
  if (spec.method === 'get' && declared[200]?.headers?.ETag !== undefined && declared[304] === undefined)
    declared[304] = empty('Not modified: If-None-Match named the current ETag', headers.etag);
  return declared;
}

/**
 * What every route module gets besides its own service: `register`, which validates the request,
 * authenticates, checks the global permission and the request guards, audits and (for writes) opens the request's transaction,
 * and records the route's declaration for the OpenAPI document.
 */
export class HttpKit {
  constructor(
    private readonly auth: Pick<AuthService, 'authenticate' | 'can'>,
    private readonly audit: Pick<AuditService, 'record' | 'recordInTransaction'>,
    private readonly db: Pick<Database, 'transaction'>,
    private readonly guards: RequestGuards,
    /** Parses JSON request bodies; runs only on routes that declare one. */
    private readonly jsonBody: RequestHandler,
    readonly operations: Operations,
  ) {}

  /**
   * Registers one route. Every request that reaches a route produces exactly one audit event: success,
   * denied (401/403/hidden 404) or failure, stored before the response is sent — for a write, in the
   * write's own transaction.
   */
  register<R extends RequestSpec = RequestSpec>(router: Router, spec: RouteSpec<true, R>): void;
  register<R extends RequestSpec = RequestSpec>(
    router: Router,
    spec: RouteSpec<false, R> & { auth: false },
  ): void;
  register(router: Router, spec: RouteSpec<boolean, RequestSpec>): void {
    this.operations.add({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security: spec.auth === false ? 'none' : 'bearer',
      ...(spec.request ? { request: spec.request } : {}),
      responses: kitResponses(spec),
    });
    const route = handlerOf(this.auth, this.audit, this.db, this.guards, spec);
    if (spec.request?.body) router[spec.method](spec.path, this.jsonBody, route);
    else router[spec.method](spec.path, route);
  }
}

/** Path ids, then query, headers and body, each through its schema: the first refusal is the answer. */
function parseRequest(request: RequestSpec | undefined, req: Request): ParsedRequest<RequestSpec> {
  const params: Record<string, number> = {};
  for (const [name, what] of Object.entries(request?.params ?? {}))
    params[name] = parseId((req.params as Record<string, string | undefined>)[name], what, name);
  const headerValues = request?.headers
    ? Object.fromEntries(Object.keys(request.headers.shape).map((name) => [name, req.get(name)]))
    : undefined;
  return {
    params,
    query: request?.query ? parse('query', request.query, req.query) : undefined,
    headers: request?.headers ? parse('headers', request.headers, headerValues) : undefined,
    body: request?.body ? parse('body', request.body, req.body) : undefined,
  } as ParsedRequest<RequestSpec>;
}

function handlerOf(
  auth: Pick<AuthService, 'authenticate' | 'can'>,
  audit: Pick<AuditService, 'record' | 'recordInTransaction'>,
  db: Pick<Database, 'transaction'>,
  guards: RequestGuards,
  spec: RouteSpec<boolean, RequestSpec>,
): RequestHandler {
  const authRequired = spec.auth !== false;
  const writes = spec.method !== 'get';
  return async (req: Request, res: Response, next: NextFunction) => {
    let audited = false;
    const ctx: RouteContext<boolean, RequestSpec> = {
      params: {},
      query: undefined,
      headers: undefined,
      body: undefined,
      req,
      res,
      user: undefined,
      requestId: requestIdOf(req),
      ip: req.ip ?? '',
      audit: { entityId: (req.params as Record<string, string | undefined>).id ?? null },
      write: (fn) => write(fn),
    };
    const event = (outcome: Outcome, status: number, extra?: Record<string, unknown>): AuditEventInput => ({
      actorId: ctx.audit.actorId ?? ctx.user?.id ?? null,
      action: spec.action,
      entity: spec.entity,
      entityId:
        ctx.audit.entityId === null || ctx.audit.entityId === undefined
          ? null
          : printable(String(ctx.audit.entityId), 64),
      outcome,
      status,
      requestId: ctx.requestId,
      ip: ctx.ip,
      details: extra || ctx.audit.details ? { ...ctx.audit.details, ...extra } : undefined,
    });
    const write = async (fn: () => Promise<Reply>): Promise<Reply> => {
      if (audited) throw new Error(`${spec.action}: a request writes in one transaction only`);
      let refusal: AppError | undefined;
      const reply = await db.transaction(async () => {
        try {
          const done = await fn();
          await audit.recordInTransaction(event('success', statusOf(done))).catch((err: unknown) => {
            throw new AuditWriteError(err, false);
          });
          return done;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          await audit.recordInTransaction(event(outcomeOf(err), err.status, failureDetails(err)));
          refusal = err;
          return undefined;
        }
      });
      audited = true;
      if (refusal) throw refusal;
      return reply!;
    };
    try {
      if (authRequired) {
        ctx.user = await auth.authenticate(req.headers.authorization);
        if (spec.permission !== undefined && !(await auth.can(ctx.user.role, spec.permission))) {
          throw AppError.forbidden(
            `This needs the '${spec.permission}' permission, which the role '${ctx.user.role}' does not have.`,
          );
        }
        await guards.user(ctx.user.id);
      }
      Object.assign(ctx, parseRequest(spec.request, req));
      if (writes) await guards.write();
      const handler = () => spec.handler(ctx);
      const reply = writes && spec.transaction !== 'handler' ? await write(handler) : await handler();
      let status = statusOf(reply);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.etag !== undefined) {
        res.setHeader('ETag', reply.etag);
        if (status === 200 && req.method === 'GET' && req.fresh) status = 304;
      }
      // Reads (and routes that wrote nothing) are audited in a batch with other requests' events; a read
      // whose event cannot be stored is refused (legal audit trails must be complete).
      if (!audited)
        await audit.record(event('success', status)).catch((err: unknown) => {
          throw new AuditWriteError(err, true);
        });
      audited = true;
      if (reply.send !== undefined && status !== 304) {
        res.status(status);
        await reply.send(res);
      } else if (status === 304 || reply.body === undefined) {
        res.status(status).end();
      } else {
        res.status(status).json(reply.body);
      }
    } catch (caught) {
      // The database or the audit trail failing is a 503 with the condition, logged here with its cause.
      const unavailable = caught instanceof AppError ? undefined : asUnavailable(caught);
      if (unavailable) req.log.warn({ err: caught }, `answering 503: ${unavailable.problem}`);
      const err = unavailable ?? caught;
      if (!audited) {
        const appError = err instanceof AppError ? err : undefined;
        await audit
          .record(
            event(appError ? outcomeOf(appError) : 'failure', appError?.status ?? 500, failureDetails(err)),
          )
          .catch((auditErr: unknown) =>
            req.log?.error({ err: auditErr }, 'could not write the audit event of a failed request'),
          );
      }
      next(err);
    }
  };
}
