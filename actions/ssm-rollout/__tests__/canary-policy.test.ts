import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../lib/inputs.js';
import type { WindowStats } from '../src/canary-stats.js';
import {
  decide,
  failureLines,
  milliseconds,
  parseLatency,
  parsePercent,
  percent,
  type CanaryPolicy,
  type InstanceWindow,
} from '../src/canary-policy.js';

const POLICY: CanaryPolicy = {
  maxErrorShare: 0.01,
  maxLatencySeconds: 0.5,
  minRequests: 100,
  insufficientTraffic: 'fail',
};

/** Figures of a window: `errors` of `requests` answered 5xx, p95 `latency` seconds. */
const stats = (requests: number, errors: number, latency: number, restarted = false): WindowStats => ({
  requests,
  errors,
  errorShare: requests > 0 ? errors / requests : undefined,
  latency,
  restarted,
});
const canary = (s: WindowStats, id = 'i-canary'): InstanceWindow => ({
  instanceId: id,
  role: 'canary',
  image: 'repo@sha256:new',
  stats: s,
});
const baseline = (s: WindowStats | undefined, id = 'i-base', problem?: string): InstanceWindow => ({
  instanceId: id,
  role: 'baseline',
  image: 'repo@sha256:old',
  stats: s,
  problem,
});

describe('threshold inputs', () => {
  test.each([
    ['1%', 0.01],
    ['0.5%', 0.005],
    ['0%', 0],
    ['100%', 1],
    [' 2.25% ', 0.0225],
  ])("when max-error-rate is '%s', then the share is %d", (text, share) => {
    expect(parsePercent('max-error-rate', text)).toBeCloseTo(share, 12);
  });

  test.each(['1', '0.01', '101%', '-1%', '1 %', 'one%', '%', ''])(
    "when max-error-rate is '%s', then the error names the input and a percentage",
    (text) => {
      expect(() => parsePercent('max-error-rate', text)).toThrow(InputError);
      expect(() => parsePercent('max-error-rate', text)).toThrow(
        `Input 'max-error-rate': expected a percentage from 0% to 100% such as 1% or 0.5%, got '${text}'.`,
      );
    },
  );

  test.each([
    ['500ms', 0.5],
    ['2s', 2],
    ['1s250ms', 1.25],
    ['1m', 60],
  ])("when max-latency-p95 is '%s', then the limit is %d s", (text, seconds) => {
    expect(parseLatency('max-latency-p95', text)).toBe(seconds);
  });

  test.each(['500', '0ms', '0.5s', 'fast', '-1s', ''])(
    "when max-latency-p95 is '%s', then the error names the input and asks for a unit",
    (text) => {
      expect(() => parseLatency('max-latency-p95', text)).toThrow(
        `Input 'max-latency-p95': expected a duration with its unit such as 500ms or 2s, got '${text}'.`,
      );
    },
  );
});

describe('the decision after the bake', () => {
  test('when the canary is within both limits and the baseline too, then it passes and is promoted', () => {
    // 1 of 200 is 0.5 %, at most 1 %; p95 120 ms, at most 500 ms.
    const d = decide(
      [canary(stats(200, 1, 0.12))],
      [baseline(stats(300, 0, 0.1))],
      stats(300, 0, 0.1),
      POLICY,
    );
    expect(d).toMatchObject({ promote: true, outcome: 'passed' });
    expect(d.rows.map((r) => [r.instanceId, r.verdict, r.reasons])).toEqual([
      ['i-canary', 'passed', []],
      ['i-base', 'baseline', []],
    ]);
  });

  test('when the 5xx share is exactly the limit, then it passes (the limit is "at most")', () => {
    expect(decide([canary(stats(200, 2, 0.1))], [], undefined, POLICY).outcome).toBe('passed');
  });

  test('when the canary answers 5xx above the limit and the previous release does not, then it fails with both figures', () => {
    // 50 of 200 = 25 %; the baseline 0 of 300.
    const d = decide(
      [canary(stats(200, 50, 0.1))],
      [baseline(stats(300, 0, 0.1))],
      stats(300, 0, 0.1),
      POLICY,
    );
    expect(d).toMatchObject({ promote: false, outcome: 'failed' });
    expect(d.rows[0]).toMatchObject({
      verdict: 'failed',
      reasons: ['5xx share 25.0% above max-error-rate 1.0% (previous release: 0.0%)'],
    });
    expect(failureLines(d)).toEqual([
      'i-canary (canary): 5xx share 25.0% above max-error-rate 1.0% (previous release: 0.0%)',
    ]);
  });

  test('when the canary is slow and the previous release is not, then it fails on p95', () => {
    const d = decide(
      [canary(stats(200, 0, 0.61))],
      [baseline(stats(300, 0, 0.05))],
      stats(300, 0, 0.05),
      POLICY,
    );
    expect(d.rows[0]!.reasons).toEqual(['p95 610 ms above max-latency-p95 500 ms (previous release: 50 ms)']);
    expect(d.promote).toBe(false);
  });

  test('when the previous release is above the 5xx limit too and the canary is not worse by more than the limit, then the canary passes with a note', () => {
    // Baseline 11 of 200 = 5.5 % (above 1 %); canary 12 of 200 = 6 % <= 5.5 % + 1 %.
    const d = decide(
      [canary(stats(200, 12, 0.1))],
      [baseline(stats(200, 11, 0.1))],
      stats(200, 11, 0.1),
      POLICY,
    );
    expect(d).toMatchObject({ promote: true, outcome: 'passed' });
    expect(d.rows[0]!.reasons).toEqual([
      "5xx share 6.0% is above max-error-rate 1.0%, but so is the previous release's (5.5%), and the canary is not worse by more than 1.0%",
    ]);
  });

  test('when the previous release is above the limit but the canary is worse by more than the limit, then it fails', () => {
    // Canary 14 of 200 = 7 % > 5.5 % + 1 %.
    const d = decide(
      [canary(stats(200, 14, 0.1))],
      [baseline(stats(200, 11, 0.1))],
      stats(200, 11, 0.1),
      POLICY,
    );
    expect(d.rows[0]).toMatchObject({
      verdict: 'failed',
      reasons: ['5xx share 7.0% above max-error-rate 1.0% (previous release: 5.5%)'],
    });
  });

  test('when the previous release is slow too and the canary is within the limit of it, then p95 passes with a note', () => {
    // Baseline p95 800 ms; canary 1.2 s <= 800 ms + 500 ms.
    const d = decide(
      [canary(stats(200, 0, 1.2))],
      [baseline(stats(200, 0, 0.8))],
      stats(200, 0, 0.8),
      POLICY,
    );
    expect(d.promote).toBe(true);
    expect(d.rows[0]!.reasons[0]).toMatch(
      /^p95 1200 ms is above max-latency-p95 500 ms, but so is the previous release's \(800 ms\)/,
    );
  });

  test('when max-latency-p95 is unset, then a slow canary is shown but not judged', () => {
    const d = decide([canary(stats(200, 0, 9))], [], undefined, { ...POLICY, maxLatencySeconds: undefined });
    expect(d).toMatchObject({ promote: true, outcome: 'passed' });
  });

  test('when the canary restarted during the bake, then it fails whatever its figures', () => {
    const d = decide([canary(stats(200, 0, 0.1, true))], [], undefined, POLICY);
    expect(d.rows[0]).toMatchObject({
      verdict: 'failed',
      reasons: ['the service restarted during the bake (its counters started again from 0)'],
    });
  });

  test.each([
    ['fail', false, 'failed'],
    ['promote', true, 'insufficient-traffic'],
  ] as const)(
    'when the canary served fewer than min-requests and insufficient-traffic is %s, then promote is %s (%s)',
    (mode, promote, outcome) => {
      // 99 requests, all of them 5xx: too few to judge, so the input decides.
      const d = decide([canary(stats(99, 99, 3))], [], undefined, { ...POLICY, insufficientTraffic: mode });
      expect(d).toMatchObject({ promote, outcome });
      expect(d.rows[0]).toMatchObject({
        verdict: 'insufficient traffic',
        reasons: ['served 99 request(s), fewer than min-requests 100'],
      });
    },
  );

  test('when the baseline served fewer than min-requests, then the canary is judged by the limits alone and the summary says why', () => {
    // The baseline's 5 % would excuse a 5.5 % canary; with 40 requests it is not used.
    const d = decide([canary(stats(200, 11, 0.1))], [baseline(stats(40, 2, 0.1))], stats(40, 2, 0.1), POLICY);
    expect(d.promote).toBe(false);
    expect(d.baseline).toBeUndefined();
    expect(d.baselineNote).toBe(
      'the baseline served 40 request(s), fewer than min-requests 100: the canary is judged by the limits alone',
    );
  });

  test('when there is no baseline, then the note says the limits alone judge', () => {
    expect(decide([canary(stats(200, 0, 0.1))], [], undefined, POLICY).baselineNote).toBe(
      'no baseline: the canary is judged by the limits alone',
    );
  });

  test('when the metrics of the canary cannot be read, then the analysis fails with the reason, never a pass', () => {
    const unreadable: InstanceWindow = {
      instanceId: 'i-canary',
      role: 'canary',
      image: '',
      problem: 'GET http://127.0.0.1:80/metrics answered 401',
    };
    const d = decide([unreadable], [], undefined, POLICY);
    expect(d).toMatchObject({ promote: false, outcome: 'failed' });
    expect(failureLines(d)).toEqual([
      'i-canary (canary): metrics unreadable: GET http://127.0.0.1:80/metrics answered 401',
    ]);
  });

  test('when the metrics of a baseline instance cannot be read, then the analysis fails too (the comparison asked for cannot be made)', () => {
    const d = decide(
      [canary(stats(200, 0, 0.1))],
      [
        baseline(stats(300, 0, 0.1)),
        baseline(undefined, 'i-base-2', 'second reading: no answer from the metrics command'),
      ],
      stats(300, 0, 0.1),
      POLICY,
    );
    expect(d).toMatchObject({ promote: false, outcome: 'failed' });
    expect(d.rows.map((r) => r.verdict)).toEqual(['passed', 'baseline', 'unreadable']);
    expect(failureLines(d)).toEqual([
      'i-base-2 (baseline): metrics unreadable: second reading: no answer from the metrics command',
    ]);
  });

  test('when one of two canaries fails, then the whole first wave fails', () => {
    const d = decide(
      [canary(stats(200, 0, 0.1), 'i-1'), canary(stats(200, 40, 0.1), 'i-2')],
      [],
      undefined,
      POLICY,
    );
    expect(d.promote).toBe(false);
    expect(d.rows.map((r) => r.verdict)).toEqual(['passed', 'failed']);
  });
});

describe('figures as shown', () => {
  test.each([
    [undefined, '–'],
    [0, '0.0%'],
    [0.005, '0.50%'],
    [0.0123, '1.2%'],
    [0.25, '25.0%'],
    [1, '100.0%'],
  ])('a share of %s is shown as %s', (share, text) => {
    expect(percent(share)).toBe(text);
  });

  test.each([
    [undefined, '–'],
    [NaN, '–'],
    [0.0954, '95 ms'],
    [2.5, '2500 ms'],
  ])('a latency of %s s is shown as %s', (seconds, text) => {
    expect(milliseconds(seconds)).toBe(text);
  });
});
