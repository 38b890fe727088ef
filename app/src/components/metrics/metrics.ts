import { createServer, type Server } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../db/database.js';

/** The route template of a request ('/cases/:id'), never its concrete path, so label values stay few. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return 'unmatched';
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One Prometheus registry per app: request durations, database pool gauges and the default process metrics. */
export class Metrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [this.registry],
    });
    const dialect = db.dialect;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database connections by state (in_use, idle)',
      labelNames: ['dialect', 'state'],
      registers: [this.registry],
      collect() {
        const s = db.poolStats();
        this.set({ dialect, state: 'in_use' }, s.inUse);
        this.set({ dialect, state: 'idle' }, s.idle);
      },
    });
    new Gauge({
      name: 'db_pool_pending_acquires',
      help: 'Requests waiting for a database connection',
      labelNames: ['dialect'],
      registers: [this.registry],
      collect() {
        this.set({ dialect }, db.poolStats().pending);
      },
    });
    new Gauge({
      name: 'db_pool_max_connections',
      help: 'Largest number of database connections the pool may open',
      labelNames: ['dialect'],
      registers: [this.registry],
      collect() {
        this.set({ dialect }, db.poolStats().max);
      },
    });
  }

  /** Times every request from arrival to the end of its response. Installed first, so it sees them all. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.duration.observe(
        { method: req.method, route: routeLabel(req), status_code: String(res.statusCode) },
        seconds,
      );
    });
    next();
  };

  async send(res: Response): Promise<void> {
    const text = await this.registry.metrics();
    res.status(200).type(this.registry.contentType).send(text);
  }

  /** GET /metrics on a listener of its own (METRICS_PORT), for a network that only Prometheus reaches. */
  async listen(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res
          .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end('Only GET /metrics is served here.\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(err)}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }
}
