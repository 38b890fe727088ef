/**
 * The canary bake: read the metrics of the canary instances (and of up to three baseline instances still on
 * the previous release) through the metrics command, wait `bakeMs`, read them again, and decide from the
 * difference (canary-stats, canary-policy). The SSM side (sending the command, reading its output) is the
 * injected `sample`; the parsing of what a command printed is pure and exported for the tests.
 */
import { gunzipSync } from 'node:zlib';
import type { Sleep } from '../../lib/retry.js';
import {
  CanaryStatsError,
  pooledDelta,
  summarize,
  windowDelta,
  type WindowDelta,
  type WindowOptions,
} from './canary-stats.js';
import { decide, type CanaryDecision, type CanaryPolicy, type InstanceWindow } from './canary-policy.js';
import { ExpositionError, parsePrometheusText, type Exposition } from './prometheus-text.js';
import { MARKER_IMAGE, MARKER_METRICS, MARKER_METRICS_ERROR } from './script.js';

/** At most this many instances of the previous release are read as the baseline. */
export const MAX_BASELINE = 3;
/** Run Command keeps the first 24,000 characters of a command's standard output (GetCommandInvocation). */
export const SSM_OUTPUT_LIMIT = 24_000;

/** What one metrics command returned on one instance. */
export interface Invocation {
  status: string;
  /** Its standard output (GetCommandInvocation's StandardOutputContent). */
  output: string;
}

/** Sends the metrics command to these instances and returns each one's invocation when all have ended. */
export type Sampler = (instanceIds: string[]) => Promise<Map<string, Invocation>>;

export type Sample = { image: string; exposition: Exposition } | { image: string; problem: string };

/** Reads one metrics command's output: the container's image, then the metrics (gzip, base64) or the reason. */
export function parseSample(invocation: Invocation | undefined): Sample {
  if (!invocation) return { image: '', problem: 'no answer from the metrics command' };
  const lines = invocation.output.split(/\r?\n/);
  const value = (marker: string) =>
    lines
      .find((l) => l.startsWith(marker))
      ?.slice(marker.length)
      .trim();
  const image = value(MARKER_IMAGE) ?? '';
  const error = value(MARKER_METRICS_ERROR);
  if (error) return { image, problem: error };
  const encoded = value(MARKER_METRICS);
  if (invocation.status !== 'Success' || encoded === undefined) {
    const tail = invocation.output.trim().split('\n').slice(-2).join(' / ');
    return { image, problem: `the metrics command ended ${invocation.status}${tail ? `: ${tail}` : ''}` };
  }
  if (invocation.output.length >= SSM_OUTPUT_LIMIT) {
    return {
      image,
      problem: `the metrics were cut off at Run Command's ${SSM_OUTPUT_LIMIT} characters of output (too many series in the request histogram)`,
    };
  }
  try {
    return {
      image,
      exposition: parsePrometheusText(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')),
    };
  } catch (err) {
    const why = err instanceof ExpositionError ? err.message : `not gzip data (${(err as Error).message})`;
    return { image, problem: `the metrics could not be read: ${why}` };
  }
}

export interface BakeOptions {
  canaryIds: string[];
  baselineIds: string[];
  bakeMs: number;
  policy: CanaryPolicy;
  /** Which histogram series are traffic (the health probes and the scrapes themselves are not). */
  window: WindowOptions;
}

export interface CanaryReport extends CanaryDecision {
  /** Time between the two readings (ms). */
  windowMs: number;
  canaryIds: string[];
  baselineIds: string[];
}

/** The window of one instance from its two readings, or why there is none. */
function instanceWindow(
  first: Sample,
  second: Sample,
  options: WindowOptions,
): { image: string; delta?: WindowDelta; problem?: string } {
  const image = second.image || first.image;
  if ('problem' in first) return { image, problem: `first reading: ${first.problem}` };
  if ('problem' in second) return { image, problem: `second reading: ${second.problem}` };
  if (first.image !== second.image)
    return { image, problem: `its container changed during the bake (${first.image} → ${second.image})` };
  try {
    return { image, delta: windowDelta(first.exposition, second.exposition, options) };
  } catch (err) {
    if (err instanceof CanaryStatsError || err instanceof ExpositionError)
      return { image, problem: err.message };
    throw err;
  }
}

export async function bake(
  deps: { sleep: Sleep; now: () => number; log: (line: string) => void },
  sample: Sampler,
  o: BakeOptions,
): Promise<CanaryReport> {
  const ids = [...o.canaryIds, ...o.baselineIds];
  deps.log(
    `canary analysis: reading the metrics of ${o.canaryIds.join(' ')}` +
      (o.baselineIds.length ? ` and of the baseline ${o.baselineIds.join(' ')}` : ''),
  );
  const first = await sample(ids);
  const started = deps.now();
  deps.log(`canary analysis: baking for ${Math.round(o.bakeMs / 1000)} s`);
  await deps.sleep(o.bakeMs);
  const second = await sample(ids);
  const windowMs = deps.now() - started;
  const windows = new Map(
    ids.map((id) => [id, instanceWindow(parseSample(first.get(id)), parseSample(second.get(id)), o.window)]),
  );
  const quantile = o.window.quantile;
  const entry = (id: string, role: InstanceWindow['role']): InstanceWindow => {
    const w = windows.get(id)!;
    return {
      instanceId: id,
      role,
      image: w.image,
      problem: w.problem,
      stats: w.delta && summarize(w.delta, quantile),
    };
  };
  const baselineDeltas = o.baselineIds.flatMap((id) => windows.get(id)!.delta ?? []);
  const decision = decide(
    o.canaryIds.map((id) => entry(id, 'canary')),
    o.baselineIds.map((id) => entry(id, 'baseline')),
    baselineDeltas.length > 0 ? summarize(pooledDelta(baselineDeltas), quantile) : undefined,
    o.policy,
  );
  return { ...decision, windowMs, canaryIds: o.canaryIds, baselineIds: o.baselineIds };
}
