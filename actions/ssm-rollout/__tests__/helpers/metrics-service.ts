/**
 * A service's metrics as prom-client serves them (the legal service's request histogram and buckets), and
 * what the metrics command prints for them on an instance: the image, then the text gzip-ed and base64-encoded.
 */
import { gzipSync } from 'node:zlib';
import { Histogram, Registry } from 'prom-client';

export class MetricsService {
  readonly registry = new Registry();
  readonly histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(readonly image: string) {}

  /** Records `n` requests to `route` answered `status` in `seconds`. */
  serve(n: number, route: string, status: number, seconds: number): this {
    for (let i = 0; i < n; i++)
      this.histogram.observe({ method: 'GET', route, status_code: String(status) }, seconds);
    return this;
  }

  async output(): Promise<string> {
    const text = await this.registry.metrics();
    return `SSM_ROLLOUT_IMAGE=${this.image}\nSSM_ROLLOUT_METRICS=${gzipSync(text).toString('base64')}\n`;
  }
}
