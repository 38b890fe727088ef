/**
 * The canary's verdict from the figures of its bake window: the thresholds (parsed from the inputs), the rule
 * that compares the canary with them and with the baseline (instances still on the previous release), and
 * the rows of the summary table. Pure: the figures come in computed (canary-stats), nothing is read here.
 */
import { InputError, parseDuration } from '../../lib/inputs.js';
import type { WindowStats } from './canary-stats.js';

export const INSUFFICIENT_TRAFFIC = ['promote', 'fail'] as const;

export interface CanaryPolicy {
  /** Largest share of 5xx answers (0-1). */
  maxErrorShare: number;
  /** Largest p95 request duration in seconds; undefined: latency is shown but not judged. */
  maxLatencySeconds: number | undefined;
  /** Fewer requests than this in the window cannot be judged. */
  minRequests: number;
  insufficientTraffic: (typeof INSUFFICIENT_TRAFFIC)[number];
}

/** `1%`, `0.5%`, `0%`: a share of requests, the percent sign required (a bare `1` could mean 1 % or 100 %). */
export function parsePercent(input: string, text: string): number {
  const match = /^(\d{1,3}(?:\.\d+)?)%$/.exec(text.trim());
  const value = match ? Number(match[1]) : NaN;
  if (!(value >= 0 && value <= 100)) {
    throw new InputError(input, `expected a percentage from 0% to 100% such as 1% or 0.5%, got '${text}'.`);
  }
  return value / 100;
}

/** `500ms`, `2s`, `1s500ms`: a latency, its unit required (a bare number would be read as seconds). */
export function parseLatency(input: string, text: string): number {
  const ms = /^\d+$/.test(text.trim()) ? undefined : parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new InputError(input, `expected a duration with its unit such as 500ms or 2s, got '${text}'.`);
  }
  return ms / 1000;
}

/** What was read from one sampled instance: its figures, or why there are none. */
export interface InstanceWindow {
  instanceId: string;
  role: 'canary' | 'baseline';
  /** The image its container ran when sampled ('' when unknown). */
  image: string;
  stats?: WindowStats;
  /** Why the metrics could not be read or used (then `stats` is undefined). */
  problem?: string;
}

export type Verdict = 'passed' | 'failed' | 'insufficient traffic' | 'baseline' | 'unreadable';

export interface Row {
  instanceId: string;
  role: InstanceWindow['role'];
  image: string;
  stats?: WindowStats;
  verdict: Verdict;
  /** Why: every check that failed, or a note on one that passed thanks to the baseline. */
  reasons: string[];
}

export interface CanaryDecision {
  promote: boolean;
  /** passed, failed, or insufficient-traffic (promoted because insufficient-traffic: promote). */
  outcome: 'passed' | 'failed' | 'insufficient-traffic';
  rows: Row[];
  /** The baseline's pooled figures, when one was compared. */
  baseline?: WindowStats;
  /** Why the baseline was not used, when it was not. */
  baselineNote?: string;
}

export function percent(share: number | undefined): string {
  if (share === undefined) return '–';
  const value = share * 100;
  return `${value === 0 || value >= 10 ? value.toFixed(1) : value.toPrecision(2)}%`;
}

export function milliseconds(seconds: number | undefined): string {
  if (seconds === undefined || Number.isNaN(seconds)) return '–';
  return `${Math.round(seconds * 1000)} ms`;
}

/**
 * One limit applied to the canary's figure. Above the limit it fails, unless the baseline is above it too
 * and the canary is not worse than the baseline by more than the limit itself: then the whole fleet has the
 * problem (a dependency down, a traffic spike) and replacing the canary would not help.
 */
function check(
  what: string,
  value: number | undefined,
  limit: number,
  baseline: number | undefined,
  show: (v: number | undefined) => string,
  inputName: string,
): { ok: boolean; reason?: string } {
  if (value === undefined || Number.isNaN(value) || value <= limit) return { ok: true };
  const base = baseline === undefined || Number.isNaN(baseline) ? undefined : baseline;
  if (base !== undefined && base > limit && value <= base + limit) {
    return {
      ok: true,
      reason: `${what} ${show(value)} is above ${inputName} ${show(limit)}, but so is the previous release's (${show(base)}), and the canary is not worse by more than ${show(limit)}`,
    };
  }
  return {
    ok: false,
    reason: `${what} ${show(value)} above ${inputName} ${show(limit)}${base === undefined ? '' : ` (previous release: ${show(base)})`}`,
  };
}

function judgeCanary(w: InstanceWindow, baseline: WindowStats | undefined, policy: CanaryPolicy): Row {
  const row: Row = {
    instanceId: w.instanceId,
    role: 'canary',
    image: w.image,
    stats: w.stats,
    verdict: 'passed',
    reasons: [],
  };
  const stats = w.stats;
  if (!stats) return { ...row, verdict: 'unreadable', reasons: [w.problem ?? 'no metrics'] };
  if (stats.restarted)
    return {
      ...row,
      verdict: 'failed',
      reasons: ['the service restarted during the bake (its counters started again from 0)'],
    };
  if (stats.requests < policy.minRequests) {
    return {
      ...row,
      verdict: 'insufficient traffic',
      reasons: [`served ${stats.requests} request(s), fewer than min-requests ${policy.minRequests}`],
    };
  }
  const checks = [
    check(
      '5xx share',
      stats.errorShare,
      policy.maxErrorShare,
      baseline?.errorShare,
      percent,
      'max-error-rate',
    ),
  ];
  if (policy.maxLatencySeconds !== undefined)
    checks.push(
      check(
        'p95',
        stats.latency,
        policy.maxLatencySeconds,
        baseline?.latency,
        milliseconds,
        'max-latency-p95',
      ),
    );
  const failed = checks.filter((c) => !c.ok);
  return {
    ...row,
    verdict: failed.length > 0 ? 'failed' : 'passed',
    reasons: (failed.length > 0 ? failed : checks).flatMap((c) => (c.reason ? [c.reason] : [])),
  };
}

/**
 * The decision on the canary instances (the first wave) after the bake:
 *
 * - an instance whose metrics could not be read (canary or baseline) fails the analysis;
 * - a canary that restarted during the bake fails;
 * - a canary with fewer than `minRequests` requests is "insufficient traffic", which fails or promotes as
 *   `insufficientTraffic` says;
 * - otherwise each limit is checked as `check` says, against the pooled baseline when it served at least
 *   `minRequests` requests itself (else against the limits alone).
 */
export function decide(
  canaries: readonly InstanceWindow[],
  baselines: readonly InstanceWindow[],
  pooledBaseline: WindowStats | undefined,
  policy: CanaryPolicy,
): CanaryDecision {
  let baseline = pooledBaseline;
  let baselineNote: string | undefined;
  if (baselines.length === 0) baselineNote = 'no baseline: the canary is judged by the limits alone';
  else if (baseline && baseline.requests < policy.minRequests) {
    baselineNote = `the baseline served ${baseline.requests} request(s), fewer than min-requests ${policy.minRequests}: the canary is judged by the limits alone`;
    baseline = undefined;
  }
  const canaryRows = canaries.map((w) => judgeCanary(w, baseline, policy));
  const baselineRows: Row[] = baselines.map((w) => ({
    instanceId: w.instanceId,
    role: 'baseline',
    image: w.image,
    stats: w.stats,
    verdict: w.stats ? 'baseline' : 'unreadable',
    reasons: w.stats ? [] : [w.problem ?? 'no metrics'],
  }));
  const rows = [...canaryRows, ...baselineRows];
  const broken = rows.some((r) => r.verdict === 'failed' || r.verdict === 'unreadable');
  const short = canaryRows.some((r) => r.verdict === 'insufficient traffic');
  const outcome =
    broken || (short && policy.insufficientTraffic === 'fail')
      ? 'failed'
      : short
        ? 'insufficient-traffic'
        : 'passed';
  return { promote: outcome !== 'failed', outcome, rows, baseline, baselineNote };
}

/** One line per instance that stopped the canary, for the error message. */
export function failureLines(decision: CanaryDecision): string[] {
  return decision.rows
    .filter(
      (r) => r.verdict === 'failed' || r.verdict === 'unreadable' || r.verdict === 'insufficient traffic',
    )
    .map(
      (r) =>
        `${r.instanceId} (${r.role}): ${r.verdict === 'unreadable' ? 'metrics unreadable: ' : ''}${r.reasons.join('; ')}`,
    );
}
