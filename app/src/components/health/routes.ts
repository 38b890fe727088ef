import { Router } from 'express';
import { problemType } from '../../errors.js';
import type { Readiness } from './readiness.js';

/**
 * Liveness and readiness; not audited (they carry no user data). Liveness depends on nothing outside the
 * process, so an orchestrator never restarts a healthy process because a dependency is down.
 */
export function healthRoutes(version: string, dialect: string, readiness: Pick<Readiness, 'report'>): Router {
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
    const { status, checks } = await readiness.report();
    res.setHeader('Cache-Control', 'no-store');
    if (status !== 'not-ready') {
      res.json({ status, database: dialect, checks });
      return;
    }
    const failing = Object.entries(checks)
      .filter(([, check]) => check.status === 'down')
      .map(([name, check]) => `${name} (${check.problem})`);
    res
      .status(503)
      .type('application/problem+json')
      .json({
        type: problemType(503, 'not-ready'),
        title: 'Service Unavailable',
        status: 503,
        detail: `Not ready: ${failing.join(', ')}.`,
        checks,
      });
  });
  return router;
}
