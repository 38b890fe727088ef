import type { NextFunction, Request, Response, Router } from 'express';
import { AppError } from '../errors.js';
import type { AuditEventInput, Outcome } from '../components/audit/repository.js';
import type { AuditService } from '../components/audit/service.js';
import type { AuthService, AuthUser } from '../components/auth/service.js';
import type { Permission } from '../components/auth/permissions.js';
import type { Database } from '../db/database.js';
import { asUnavailable, AuditWriteError } from '../unavailable.js';

export interface AuditNote {
  actorId?: number | null;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

export interface RouteContext<Authed extends boolean = true> {
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

export interface RouteSpec<Authed extends boolean = true> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express path, e.g. `/cases/:id`; the OpenAPI document uses the same paths with `{id}`. */
  path: string;
  /** Audit action, e.g. `case.read`. */
  action: string;
  entity: string;
  auth?: Authed extends true ? true : false;
  /** Permission the caller's global role must hold (case routes check per case in their service). */
  permission?: Permission;
  /**
   * Who opens the transaction of a POST, PATCH or DELETE: the route, around the whole handler (default), or
   * the handler, through `ctx.write`, after work that must not hold it (password hashing, document bytes).
   */
  transaction?: 'route' | 'handler';
  handler: (ctx: RouteContext<Authed>) => Promise<Reply>;
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

/**
 * What every route module gets besides its own service: `register`, which authenticates, checks the global
 * permission and the request guards, audits and (for writes) opens the request's transaction.
 */
export class HttpKit {
  constructor(
    private readonly auth: Pick<AuthService, 'authenticate' | 'can'>,
    private readonly audit: Pick<AuditService, 'record' | 'recordInTransaction'>,
    private readonly db: Pick<Database, 'transaction'>,
    private readonly guards: RequestGuards,
  ) {}

  /**
   * Registers one route. Every request that reaches a route produces exactly one audit event: success,
   * denied (401/403/hidden 404) or failure, stored before the response is sent — for a write, in the
   * write's own transaction.
   */
  register(router: Router, spec: RouteSpec<true>): void;
  register(router: Router, spec: RouteSpec<false> & { auth: false }): void;
  register(router: Router, spec: RouteSpec<true> | RouteSpec<false>): void {
    registerRoute(router, this.auth, this.audit, this.db, this.guards, spec);
  }
}

function registerRoute(
  router: Router,
  auth: Pick<AuthService, 'authenticate' | 'can'>,
  audit: Pick<AuditService, 'record' | 'recordInTransaction'>,
  db: Pick<Database, 'transaction'>,
  guards: RequestGuards,
  spec: RouteSpec<true> | RouteSpec<false>,
): void {
  const authRequired = spec.auth !== false;
  const writes = spec.method !== 'get';
  router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
    let audited = false;
    const ctx: RouteContext<boolean> = {
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
      if (writes) await guards.write();
      const handler = () => (spec.handler as (c: RouteContext<boolean>) => Promise<Reply>)(ctx);
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
  });
}
