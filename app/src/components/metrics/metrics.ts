import { createServer, type Server } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../documents/storage.js';
import type { RedisMonitor } from '../../redis.js';

/** The route template of a request ('/cases/:id'), never its concrete path, so label values stay few. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return 'unmatched';
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type StoreOperation = 'put' | 'get' | 'delete';
const STORE_OPERATIONS: StoreOperation[] = ['put', 'get', 'delete'];

/** A store's own failure (503 or an unconverted error), not a client's (a 413 raised while reading its upload). */
function isStorageFailure(err: unknown): boolean {
  return !(err instanceof AppError) || err.status >= 500;
}

/**
 * One Prometheus registry per app: request durations, database pool gauges, audit write failures, document
 * storage operations and the default process metrics (event-loop lag among them). app/ops/ builds the alerts
 * and the dashboard on these names.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  /** Audit events that could not be stored (AuditService counts each event once, after its last try). */
  readonly auditWriteFailures: Counter;
  private readonly storageOperations: Counter<'store' | 'operation'>;
  private readonly storageFailures: Counter<'store' | 'operation'>;

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [this.registry],
    });
    this.auditWriteFailures = new Counter({
      name: 'audit_write_failures_total',
      help: 'Audit events that could not be written to the database',
      registers: [this.registry],
    });
    this.storageOperations = new Counter({
      name: 'document_storage_operations_total',
      help: 'Document storage operations started, by store (local, s3) and operation (put, get, delete)',
      labelNames: ['store', 'operation'],
      registers: [this.registry],
    });
    this.storageFailures = new Counter({
      name: 'document_storage_failures_total',
      help: 'Document storage operations that failed because the store could not serve them',
      labelNames: ['store', 'operation'],
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

  /** redis_degraded_seconds_total: the time this instance spent without Redis (only when REDIS_URL is set). */
  watchRedis(monitor: RedisMonitor): void {
    let counted = 0;
    new Counter({
      name: 'redis_degraded_seconds_total',
      help: 'Seconds this instance ran without Redis: rate limits were kept in memory, per instance',
      registers: [this.registry],
      collect() {
        const total = monitor.degradedSeconds();
        this.inc(total - counted);
        counted = total;
      },
    });
  }

  /** The same store, counting its operations and its failures (both start at 0, so rates exist from the start). */
  countStoreOperations(store: BlobStore): BlobStore {
    const labels = (operation: StoreOperation) => ({ store: store.kind, operation });
    for (const operation of STORE_OPERATIONS) {
      this.storageOperations.inc(labels(operation), 0);
      this.storageFailures.inc(labels(operation), 0);
    }
    const count = async <T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> => {
      this.storageOperations.inc(labels(operation));
      try {
        return await call();
      } catch (err) {
        if (isStorageFailure(err)) this.storageFailures.inc(labels(operation));
        throw err;
      }
    };
    return {
      kind: store.kind,
      put: (key, body) => count('put', () => store.put(key, body)),
      get: (key, range) => count('get', () => store.get(key, range)),
      delete: (key) => count('delete', () => store.delete(key)),
      close: () => store.close(),
    };
  }

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
