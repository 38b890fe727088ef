import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import { auditRoutes } from './components/audit/routes.js';
import { authRoutes } from './components/auth/routes.js';
import { caseRoutes } from './components/cases/routes.js';
import { documentRoutes } from './components/documents/routes.js';
import { conflictRoutes } from './components/conflicts/routes.js';
import { healthRoutes } from './components/health/routes.js';
import { metricsRoutes } from './components/metrics/routes.js';
import { partyRoutes } from './components/parties/routes.js';
import { userRoutes } from './components/users/routes.js';
import { AppError, problemType, type FieldError } from './errors.js';
import { discardBody } from './http/discard-body.js';
import { requestLog } from './http/request-log.js';
import { methodNotAllowed } from './http/method-not-allowed.js';
import { buildOpenApi, json, Operations } from './http/openapi.js';
import { HttpKit, requestIdOf } from './http/route.js';
import { createServices, type AppDeps, type Services } from './services.js';

export type { AppDeps } from './services.js';

function sendProblem(
  req: Request,
  res: Response,
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
  problem?: string,
): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: problemType(status, problem),
      title,
      status,
      detail,
      instance: req.originalUrl,
      requestId: requestIdOf(req),
      ...(errors && errors.length > 0 ? { errors } : {}),
    });
}

/**
 * Before a refusal is sent: the unread rest of the request body (an upload refused before its bytes were
 * read) is read and thrown away, up to a bound, so the client still sending gets the answer; beyond the
 * bound the connection closes after the answer.
 */
async function settleBody(req: Request, res: Response): Promise<void> {
  if (!(await discardBody(req)) && !res.headersSent) res.setHeader('Connection', 'close');
}

/** The Express application, without listening: server.ts listens, tests use supertest. */
export function createApp(deps: AppDeps): Express & { locals: { services: Services; draining: boolean } } {
  const services = createServices(deps);
  const { config, logger } = services;
  const app = express() as Express & { locals: { services: Services; draining: boolean } };
  app.locals.services = services;
  app.locals.draining = false;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  app.use(services.metrics.middleware);

  app.use(requestLog(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'upgrade-insecure-requests': null,
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );
  app.use((_req, res, next) => {
    if (app.locals.draining) res.setHeader('Connection', 'close');
    next();
  });
  // Bodies are read only by the routes that declare one (HttpKit.register), so only they answer 413 and 415.
  const jsonBody = express.json({
    limit: config.bodyLimit,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });

  const operations = new Operations();
  const kit = new HttpKit(services.auth, services.audit, services.db, services.guards, jsonBody, operations);
  app.use(healthRoutes(config.version, services.db.dialect, services.readiness, operations));
  app.use(authRoutes(kit, services.auth));
  app.use(userRoutes(kit, services.users));
  app.use(caseRoutes(kit, services.cases));
  app.use(documentRoutes(kit, services.documents));
  app.use(auditRoutes(kit, services.audit));
  app.use(partyRoutes(kit, services.parties));
  app.use(conflictRoutes(kit, services.conflicts));
  app.use(metricsRoutes(services.metrics, config.metrics, operations));

  operations.add({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    security: 'none',
    responses: { 200: json('OpenAPI 3.1 document', z.record(z.string(), z.unknown())) },
  });
  const openapi = buildOpenApi(operations.all(), config.version);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Legal case service API' }));
  app.use(methodNotAllowed(operations));

  app.use(async (req, res) => {
    await settleBody(req, res);
    sendProblem(req, res, 404, 'Not Found', `No route for ${req.method} ${req.path}.`);
  });

  const errorHandler: ErrorRequestHandler = async (err: unknown, req, res, _next) => {
    await settleBody(req, res);
    if (err instanceof AppError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) res.setHeader(name, value);
      sendProblem(req, res, err.status, err.title, err.detail ?? err.title, err.errors, err.problem);
      return;
    }
    const e = err as { type?: string; status?: number; limit?: number; message?: string };
    switch (e.type) {
      case 'entity.parse.failed':
        sendProblem(req, res, 400, 'Bad Request', 'The request body is not valid JSON.', [
          { field: 'body', message: 'malformed JSON' },
        ]);
        return;
      case 'entity.too.large':
        sendProblem(
          req,
          res,
          413,
          'Payload Too Large',
          `The request body is larger than the limit of ${config.bodyLimit}.`,
          [{ field: 'body', message: `expected at most ${config.bodyLimit}` }],
        );
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        sendProblem(req, res, 415, 'Unsupported Media Type', e.message ?? 'Unsupported request encoding.');
        return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      // Any other client error of the body parser, e.g. a body that does not decompress.
      const title = STATUS_CODES[e.status] ?? 'Bad Request';
      sendProblem(req, res, e.status, title, `The request body could not be read (${e.message ?? title}).`, [
        { field: 'body', message: 'expected a body readable as its Content-Encoding and Content-Length say' },
      ]);
      return;
    }
    req.log.error({ err }, 'unhandled error');
    sendProblem(
      req,
      res,
      500,
      'Internal Server Error',
      'An unexpected error occurred; quote the request id when reporting it.',
    );
  };
  app.use(errorHandler);
  return app;
}
