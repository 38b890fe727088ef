import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { json, problem, type Operations } from '../../http/openapi.js';
import type { Logger } from '../../logger.js';

const health = z
  .object({ status: z.literal('ok'), version: z.string(), uptime: z.int().min(0).describe('Seconds') })
  .meta({ id: 'Health' });
const readiness = z
  .object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']) })
  .meta({ id: 'Readiness' });

/** Liveness and readiness; not audited (they carry no user data). */
export function healthRoutes(
  version: string,
  db: Pick<Database, 'ping' | 'dialect'>,
  logger: Logger,
  operations: Operations,
): Router {
  const router = Router();
  const started = Date.now();
  operations.add({
    method: 'get',
    path: '/health',
    summary: 'Liveness',
    security: 'none',
    responses: { 200: json('Alive', health) },
  });
  router.get('/health', (_req, res) => {
    res.json({
      status: 'ok',
      version,
      uptime: Math.round((Date.now() - started) / 1000),
    });
  });
  operations.add({
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness (database reachable)',
    security: 'none',
    responses: { 200: json('Ready', readiness), 503: problem('Database unreachable') },
  });
  router.get('/health/ready', async (_req, res) => {
    try {
      await db.ping();
      res.json({ status: 'ready', database: db.dialect });
    } catch (err) {
      logger.warn({ err }, 'readiness check: database unreachable');
      res.status(503).type('application/problem+json').json({
        type: 'https://legal-service.example/problems/service-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is not reachable.',
      });
    }
  });
  return router;
}
