import { timingSafeEqual, createHash } from 'node:crypto';
import { Router } from 'express';
import { AppError } from '../../errors.js';
import type { Config } from '../../config.js';
import { problem, type Operations } from '../../http/openapi.js';
import type { Metrics } from './metrics.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics on the API port: only with METRICS_TOKEN set, and only for `Authorization: Bearer <token>`.
 * Not audited (a scraper calls it every few seconds and it carries no case data).
 */
export function metricsRoutes(metrics: Metrics, config: Config['metrics'], operations: Operations): Router {
  const router = Router();
  const { token, port } = config;
  operations.add({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format); needs METRICS_TOKEN as bearer token',
    security: 'metrics',
    responses: {
      200: {
        description: 'Metrics',
        content: { 'text/plain; version=0.0.4; charset=utf-8': { type: 'string' } },
      },
      401: problem('Missing or wrong metrics token', {
        'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' }, required: true },
      }),
      404: problem('METRICS_TOKEN is not set on this service (or metrics have a port of their own)'),
      500: problem('Unexpected error; quote the request id when reporting it'),
    },
  });
  const expected = token === undefined ? undefined : digest(token);
  router.get('/metrics', async (req, res, next) => {
    try {
      if (expected === undefined) {
        throw AppError.notFound(
          port === undefined
            ? 'Metrics are off: set METRICS_TOKEN (bearer token on this port) or METRICS_PORT (a listener of their own).'
            : `Metrics are served on port ${port} (METRICS_PORT), not on this one.`,
        );
      }
      const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      // Hashing both sides gives equal lengths, so the comparison time does not depend on the token.
      if (!match || !timingSafeEqual(digest(match[1]!), expected))
        throw AppError.unauthorized('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
      await metrics.send(res);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
