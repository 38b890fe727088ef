import { Router } from 'express';
import { z } from 'zod';
import { problemType } from '../../errors.js';
import { json, problemSchema, type Operations } from '../../http/openapi.js';
import type { Readiness } from './readiness.js';

const health = z
  .object({ status: z.literal('ok'), version: z.string(), uptime: z.int().min(0).describe('Seconds') })
  .meta({ id: 'Health' });
const checks = z
  .record(
    z.string(),
    z.object({
      status: z.enum(['up', 'down']),
      ms: z.int().min(0),
      problem: z
        .string()
        .optional()
        .describe('database-unavailable, storage-full, database-read-only, unreachable or timeout'),
    }),
  )
  .meta({
    id: 'Checks',
    description: 'One entry per configured dependency: database, redis, documents (S3)',
  });
const ready = z
  .object({
    status: z.enum(['ready', 'degraded']),
    database: z.enum(['sqlite', 'postgres']),
    checks,
  })
  .meta({ id: 'Readiness' });
const notReady = problemSchema.extend({ checks }).meta({ id: 'NotReady' });

/**
 * Liveness and readiness; not audited (they carry no user data). Liveness depends on nothing outside the
 * process, so an orchestrator never restarts a healthy process because a dependency is down.
 */
export function healthRoutes(
  version: string,
  dialect: string,
  readiness: Pick<Readiness, 'report'>,
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
    summary: 'Readiness: the database (able to write), Redis and S3 when configured, each within 800 ms',
    security: 'none',
    responses: {
      200: json('Ready, or degraded (Redis away: rate limits per instance)', ready),
      503: {
        description: 'Not ready: the database or S3 fails; `checks` says which and why',
        content: { 'application/problem+json': notReady },
      },
    },
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
