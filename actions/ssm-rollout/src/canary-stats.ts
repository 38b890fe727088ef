/**
 * What an instance served between two scrapes of its metrics: requests, 5xx answers and a latency quantile,
 * from the deltas of its request-duration histogram. The quantile is Prometheus' histogram_quantile (linear
 * interpolation within the bucket that holds the rank), so the figures match what the alerts and the
 * dashboard show for the same window. Pure: the scrapes come in parsed.
 */
import {
  histogramSeries,
  labelKey,
  labelText,
  type Bucket,
  type Exposition,
  type HistogramSeries,
} from './prometheus-text.js';

export const DEFAULT_HISTOGRAM = 'http_request_duration_seconds';

export interface WindowOptions {
  /** The request-duration histogram (without _bucket); defaults to http_request_duration_seconds. */
  histogram?: string;
  /** Which quantile `latency` is (0-1); defaults to 0.95. */
  quantile?: number;
  /** The label holding the HTTP status; defaults to status_code. */
  statusLabel?: string;
  /** Series to count (by their labels, e.g. leave out route="/health"); defaults to all. */
  include?: (labels: Readonly<Record<string, string>>) => boolean;
}

export interface WindowStats {
  /** Requests completed between the scrapes. */
  requests: number;
  /** Of those, answered with a 5xx status. */
  errors: number;
  /** errors / requests; undefined without requests. */
  errorShare: number | undefined;
  /** The quantile of request durations in seconds; undefined without requests. */
  latency: number | undefined;
  /** The process restarted between the scrapes, so some counters started again from 0. */
  restarted: boolean;
}

export class CanaryStatsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanaryStatsError';
  }
}

/**
 * histogram_quantile(q, buckets) as Prometheus computes it for cumulative buckets: NaN without a +Inf
 * bucket, with fewer than two buckets or with no observations; -Inf/+Inf for q below 0/above 1; the
 * second-highest bound when the rank falls in the +Inf bucket; counts made monotonic first.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = coalesce([...buckets].sort((a, b) => a.upperBound - b.upperBound));
  if (sorted.length === 0 || sorted.at(-1)!.upperBound !== Infinity) return NaN;
  // A later bucket never holds fewer observations than an earlier one; lift any that does (float drift).
  let max = -Infinity;
  for (const b of sorted) {
    if (b.count > max) max = b.count;
    else b.count = max;
  }
  if (sorted.length < 2) return NaN;
  const observations = sorted.at(-1)!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = sorted.findIndex((bucket, i) => i < sorted.length - 1 && bucket.count >= rank);
  if (b === -1) b = sorted.length - 1;
  if (b === sorted.length - 1) return sorted[sorted.length - 2]!.upperBound;
  if (b === 0 && sorted[0]!.upperBound <= 0) return sorted[0]!.upperBound;
  let start = 0;
  let count = sorted[b]!.count;
  const end = sorted[b]!.upperBound;
  if (b > 0) {
    start = sorted[b - 1]!.upperBound;
    count -= sorted[b - 1]!.count;
    rank -= sorted[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

/** Buckets of the same upper bound (from series summed together) become one. */
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out.at(-1);
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  return out;
}

/** The values of one histogram series in a fixed order: each bucket by its bound, then count and sum. */
function valuesOf(s: HistogramSeries | undefined): Map<string, number> {
  const values = new Map<string, number>();
  for (const b of s?.buckets ?? []) values.set(`le:${b.upperBound}`, b.count);
  if (s?.count !== undefined) values.set('count', s.count);
  if (s?.sum !== undefined) values.set('sum', s.sum);
  return values;
}

function startTime(e: Exposition): number | undefined {
  return e.samples.find((s) => s.name === 'process_start_time_seconds')?.value;
}

/** What a window adds up to before it is summarised: counts and the request-duration buckets' increases. */
export interface WindowDelta {
  requests: number;
  errors: number;
  /** Cumulative buckets of the requests in the window, by upper bound. */
  buckets: Bucket[];
  restarted: boolean;
}

/**
 * The window between scrape `before` and scrape `after` of one instance. A series absent from `before`
 * counts from 0 (prom-client exports a label set from its first observation on). A counter reset — a value
 * lower than before in any series of a label set, or a changed process_start_time_seconds — means the
 * process restarted: that label set's (or, for the start time, every) `after` values are the whole delta,
 * as Prometheus' increase() takes a post-reset value.
 */
export function windowStats(before: Exposition, after: Exposition, options: WindowOptions = {}): WindowStats {
  return summarize(windowDelta(before, after, options), options.quantile);
}

/** The counts and bucket increases of the window between two scrapes of one instance (see windowStats). */
export function windowDelta(before: Exposition, after: Exposition, options: WindowOptions = {}): WindowDelta {
  const name = options.histogram ?? DEFAULT_HISTOGRAM;
  const statusLabel = options.statusLabel ?? 'status_code';
  const include = options.include ?? (() => true);
  const now = histogramSeries(after, name);
  if (now.length === 0 && !after.types.has(name))
    throw new CanaryStatsError(
      `The metrics have no histogram '${name}' (${after.samples.length} samples read): not the service's metrics, or another histogram name.`,
    );
  const earlier = new Map(histogramSeries(before, name).map((s) => [labelKey(s.labels), s]));
  const startBefore = startTime(before);
  const startAfter = startTime(after);
  const processRestarted =
    startBefore !== undefined && startAfter !== undefined && startBefore !== startAfter;

  let restarted = processRestarted;
  let requests = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  for (const series of now) {
    if (!include(series.labels)) continue;
    if (!series.buckets.some((b) => b.upperBound === Infinity))
      throw new CanaryStatsError(`${name}_bucket${labelText(series.labels)} has no le="+Inf" bucket.`);
    const then = valuesOf(processRestarted ? undefined : earlier.get(labelKey(series.labels)));
    const current = valuesOf(series);
    const reset = [...current].some(([key, value]) => value < (then.get(key) ?? 0));
    if (reset) restarted = true;
    const delta = (key: string) => (current.get(key) ?? 0) - (reset ? 0 : (then.get(key) ?? 0));
    for (const b of series.buckets)
      buckets.set(b.upperBound, (buckets.get(b.upperBound) ?? 0) + delta(`le:${b.upperBound}`));
    const served = current.has('count') ? delta('count') : delta(`le:${Infinity}`);
    requests += served;
    if (/^5\d\d$/.test(series.labels[statusLabel] ?? '')) errors += served;
  }
  return {
    requests,
    errors,
    buckets: [...buckets].map(([upperBound, count]) => ({ upperBound, count })),
    restarted,
  };
}

/** The figures of a window: shares and the quantile (0.95 unless `quantile` says otherwise). */
export function summarize(delta: WindowDelta, quantile = 0.95): WindowStats {
  const { requests, errors, restarted } = delta;
  return {
    requests,
    errors,
    errorShare: requests > 0 ? errors / requests : undefined,
    latency: requests > 0 ? histogramQuantile(quantile, delta.buckets) : undefined,
    restarted,
  };
}

/**
 * Several instances' windows as one (the baseline: up to three instances of the previous release): counts
 * and buckets added up, so the quantile is that of every request they served together, not an average of
 * their quantiles.
 */
export function pooledDelta(deltas: readonly WindowDelta[]): WindowDelta {
  const buckets = new Map<number, number>();
  for (const d of deltas)
    for (const b of d.buckets) buckets.set(b.upperBound, (buckets.get(b.upperBound) ?? 0) + b.count);
  return {
    requests: deltas.reduce((sum, d) => sum + d.requests, 0),
    errors: deltas.reduce((sum, d) => sum + d.errors, 0),
    buckets: [...buckets].map(([upperBound, count]) => ({ upperBound, count })),
    restarted: deltas.some((d) => d.restarted),
  };
}
