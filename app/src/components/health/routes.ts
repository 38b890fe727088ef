import { Router } from 'express';
import type { Services } from '../../services.js';

/** Liveness and readiness; not audited (they carry no user data). */
export function healthRoutes(services: Services): Router {
  const router = Router();
  const started = Date.now();
  router.get('/health', (_req, res) => {
    res.json({
      status: 'ok',
      version: services.config.version,
      uptime: Math.round((Date.now() - started) / 1000),
    });
  });
  router.get('/health/ready', async (_req, res) => {
    try {
      await services.db.ping();
      res.json({ status: 'ready', database: services.db.dialect });
    } catch (err) {
      services.logger.warn({ err }, 'readiness check: database unreachable');
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
