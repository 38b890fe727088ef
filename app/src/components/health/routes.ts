import { Router } from 'express';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';

/** Liveness and readiness; not audited (they carry no user data). */
export function healthRoutes(
  version: string,
  db: Pick<Database, 'ping' | 'dialect'>,
  logger: Logger,
): Router {
  const router = Router();
  const started = Date.now();
  router.get('/health', (_req, res) => {
    res.json({
      status: 'ok',
      version,
      uptime: Math.round((Date.now() - started) / 1000),
    });
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
