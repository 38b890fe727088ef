/**
 * The canary's figures on hand-computed tables. Where Prometheus can compute the same figure, promtool
 * evaluates the PromQL the alerts use (increase() over the window, histogram_quantile) on the same series
 * and must agree with the table too, so the table is checked by two independent computations.
 */
import { describe, expect, test } from '@jest/globals';
import { stringify } from 'yaml';
import { CanaryStatsError, histogramQuantile, windowStats, type WindowStats } from '../src/canary-stats.js';
import { parsePrometheusText, type Bucket } from '../src/prometheus-text.js';
import { havePromtool, skipReason, testRules } from './helpers/promtool.js';

const H = 'http_request_duration_seconds';
const LE = ['0.1', '0.25', '0.5', '1', '+Inf'];

interface Series {
  labels: Record<string, string>;
  /** Cumulative counts of the buckets 0.1, 0.25, 0.5, 1 and +Inf; _count is the last. */
  buckets: [number, number, number, number, number];
}

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');

/** A scrape as prom-client writes one (HELP, TYPE, buckets, sum, count), plus optional other lines. */
function scrape(series: Series[], extra: string[] = []): string {
  const lines = [`# HELP ${H} Duration of HTTP requests in seconds`, `# TYPE ${H} histogram`];
  for (const s of series) {
    LE.forEach((le, i) => lines.push(`${H}_bucket{${labelText({ ...s.labels, le })}} ${s.buckets[i]}`));
    lines.push(`${H}_sum{${labelText(s.labels)}} ${s.buckets[4] * 0.2}`);
    lines.push(`${H}_count{${labelText(s.labels)}} ${s.buckets[4]}`);
  }
  return [...lines, ...extra, ''].join('\n');
}

const ok = (route: string) => ({ method: 'GET', route, status_code: '200' });
const failed = (route: string) => ({ method: 'GET', route, status_code: '500' });

interface WindowCase {
  name: string;
  before: Series[];
  after: Series[];
  include?: (labels: Readonly<Record<string, string>>) => boolean;
  /** The same filter as PromQL matchers, for promtool. */
  matchers?: string[];
  expected: Pick<WindowStats, 'requests' | 'errors' | 'latency' | 'restarted'>;
}

const windows: WindowCase[] = [
  {
    // deltas: 200s [50, 80, 88, 89, 90], 500s [0, 0, 2, 9, 10] -> together [50, 80, 90, 98, 100].
    // The 95th of 100 is the 5th of the 8 in (0.5, 1]: 0.5 + 0.5 * 5/8 = 0.8125.
    name: 'steady traffic with 10 of 100 requests failing',
    before: [
      { labels: ok('/cases'), buckets: [5, 8, 9, 9, 9] },
      { labels: failed('/cases'), buckets: [0, 0, 1, 1, 1] },
    ],
    after: [
      { labels: ok('/cases'), buckets: [55, 88, 97, 98, 99] },
      { labels: failed('/cases'), buckets: [0, 0, 3, 10, 11] },
    ],
    expected: { requests: 100, errors: 10, latency: 0.8125, restarted: false },
  },
  {
    // /cases/:id is new (counted from 0): [10, 30, 40, 50, 50]; /cases grew by [40, 50, 50, 50, 50].
    // Together [50, 80, 90, 100, 100]: the 95th is the 5th of the 10 in (0.5, 1]: 0.5 + 0.5 * 5/10 = 0.75.
    name: 'a label set first seen in the window',
    before: [{ labels: ok('/cases'), buckets: [10, 10, 10, 10, 10] }],
    after: [
      { labels: ok('/cases'), buckets: [50, 60, 60, 60, 60] },
      { labels: ok('/cases/:id'), buckets: [10, 30, 40, 50, 50] },
    ],
    expected: { requests: 100, errors: 0, latency: 0.75, restarted: false },
  },
  {
    // Every counter is lower: a new process, whose values are the whole window: [40, 70, 80, 90, 95] and
    // [0, 0, 0, 0, 5] -> [40, 70, 80, 90, 100]. The 95th is in the +Inf bucket: the highest finite bound, 1.
    name: 'a restart that lowered every counter',
    before: [
      { labels: ok('/cases'), buckets: [500, 800, 900, 950, 1000] },
      { labels: failed('/cases'), buckets: [0, 0, 10, 20, 20] },
    ],
    after: [
      { labels: ok('/cases'), buckets: [40, 70, 80, 90, 95] },
      { labels: failed('/cases'), buckets: [0, 0, 0, 0, 5] },
    ],
    expected: { requests: 100, errors: 5, latency: 1, restarted: true },
  },
  {
    // /health is left out; /cases grew by [0, 12, 20, 20, 20]: the 95th of 20 (19) is the 7th of the 8 in
    // (0.25, 0.5]: 0.25 + 0.25 * 7/8 = 0.46875.
    name: 'health checks left out of the figures',
    before: [
      { labels: ok('/health'), buckets: [100, 100, 100, 100, 100] },
      { labels: ok('/cases'), buckets: [0, 0, 0, 0, 0] },
    ],
    after: [
      { labels: ok('/health'), buckets: [1100, 1100, 1100, 1100, 1100] },
      { labels: ok('/cases'), buckets: [0, 12, 20, 20, 20] },
    ],
    include: (labels) => labels.route !== '/health',
    matchers: ['route!="/health"'],
    expected: { requests: 20, errors: 0, latency: 0.46875, restarted: false },
  },
  {
    // All 20 in the first bucket (0, 0.1]: the 19th of 20 is at 0.1 * 19/20 = 0.095.
    name: 'every request in the first bucket',
    before: [],
    after: [{ labels: ok('/cases'), buckets: [20, 20, 20, 20, 20] }],
    expected: { requests: 20, errors: 0, latency: 0.095, restarted: false },
  },
];

describe('windowStats on hand-computed windows', () => {
  test.each(windows)('when the window has $name, then the figures are the hand-computed ones', (c) => {
    const stats = windowStats(parsePrometheusText(scrape(c.before)), parsePrometheusText(scrape(c.after)), {
      include: c.include,
    });
    expect(stats).toEqual({
      ...c.expected,
      errorShare: c.expected.errors / c.expected.requests,
    });
  });

  test('when nothing was served in the window, then the counts are 0 and the share and latency are unknown', () => {
    const same = parsePrometheusText(scrape([{ labels: ok('/cases'), buckets: [5, 8, 9, 9, 9] }]));
    expect(windowStats(same, same)).toEqual({
      requests: 0,
      errors: 0,
      errorShare: undefined,
      latency: undefined,
      restarted: false,
    });
  });

  test('when only process_start_time_seconds shows the restart (every counter grew past its old value), then the new values are the window', () => {
    // Before: 5 requests of the old process. After: 100 of the new one, [40, 70, 80, 90, 100]. increase()
    // would see 95 (it cannot know); the start time says all 100 are new. The 95th is in +Inf: 1.
    const before = scrape(
      [{ labels: ok('/cases'), buckets: [5, 5, 5, 5, 5] }],
      ['process_start_time_seconds 1000'],
    );
    const after = scrape(
      [{ labels: ok('/cases'), buckets: [40, 70, 80, 90, 100] }],
      ['process_start_time_seconds 2000'],
    );
    expect(windowStats(parsePrometheusText(before), parsePrometheusText(after))).toEqual({
      requests: 100,
      errors: 0,
      errorShare: 0,
      latency: 1,
      restarted: true,
    });
  });

  test('when one bucket of a label set went down and the others up, then the whole label set restarted', () => {
    // Per series (as increase() does) this would give [40, 25, 35, 45, 55]: fewer requests within 0.25s
    // than within 0.1s. Taken as one restarted histogram, the window is the new process's 100 requests.
    const before = scrape([{ labels: ok('/cases'), buckets: [45, 45, 45, 45, 45] }]);
    const after = scrape([{ labels: ok('/cases'), buckets: [40, 70, 80, 90, 100] }]);
    expect(windowStats(parsePrometheusText(before), parsePrometheusText(after))).toMatchObject({
      requests: 100,
      latency: 1,
      restarted: true,
    });
  });

  test('when the scrape has no request histogram, then the error names the histogram it looked for', () => {
    const other = parsePrometheusText('# TYPE up gauge\nup 1\n');
    expect(() => windowStats(other, other)).toThrow(CanaryStatsError);
    expect(() => windowStats(other, other)).toThrow(
      "The metrics have no histogram 'http_request_duration_seconds' (1 samples read)",
    );
    expect(() => windowStats(other, other, { histogram: 'rpc_seconds' })).toThrow(
      "no histogram 'rpc_seconds'",
    );
  });

  test('when a label set has no +Inf bucket, then the error names the series', () => {
    const text = `${H}_bucket{route="/x",le="0.1"} 1\n${H}_count{route="/x"} 1\n`;
    expect(() => windowStats(parsePrometheusText(''), parsePrometheusText(text))).toThrow(
      `${H}_bucket{route="/x"} has no le="+Inf" bucket.`,
    );
  });
});

/** One sample per series at 0m (before; a series not yet exported is 0) and one at 1m (after). */
function windowInput(c: WindowCase): { series: string; values: string }[] {
  const earlier = new Map(c.before.map((s) => [labelText(s.labels), s]));
  return c.after.flatMap((s) => {
    const then = earlier.get(labelText(s.labels))?.buckets ?? [0, 0, 0, 0, 0];
    return [
      ...LE.map((le, i) => ({
        series: `${H}_bucket{${labelText({ ...s.labels, le })}}`,
        values: `${then[i]} ${s.buckets[i]}`,
      })),
      { series: `${H}_count{${labelText(s.labels)}}`, values: `${then[4]} ${s.buckets[4]}` },
    ];
  });
}

function windowTest(c: WindowCase) {
  const m = (...more: string[]) => `{${[...(c.matchers ?? []), ...more].join(',')}}`;
  const sample = (value: number) => [{ labels: '{}', value }];
  return {
    name: c.name,
    interval: '1m',
    input_series: windowInput(c),
    promql_expr_test: [
      {
        expr: `sum(increase(${H}_count${m()}[1m]))`,
        eval_time: '1m',
        exp_samples: sample(c.expected.requests),
      },
      {
        expr: `sum(increase(${H}_count${m('status_code=~"5.."')}[1m])) or vector(0)`,
        eval_time: '1m',
        exp_samples: sample(c.expected.errors),
      },
      {
        expr: `histogram_quantile(0.95, sum by (le) (increase(${H}_bucket${m()}[1m])))`,
        eval_time: '1m',
        exp_samples: sample(c.expected.latency!),
      },
    ],
  };
}

const quantiles: [string, number, Bucket[], number][] = [
  // rank 95 of 100 is the 15th of the 20 in (0.5, 1]
  [
    'interpolation within a bucket',
    0.95,
    [
      { upperBound: 0.1, count: 50 },
      { upperBound: 0.5, count: 80 },
      { upperBound: 1, count: 100 },
      { upperBound: Infinity, count: 100 },
    ],
    0.875,
  ],
  // rank 95 of 100 lies beyond the 90 within 0.5s: the highest finite bound
  [
    'a rank in the +Inf bucket',
    0.95,
    [
      { upperBound: 0.1, count: 50 },
      { upperBound: 0.5, count: 90 },
      { upperBound: Infinity, count: 100 },
    ],
    0.5,
  ],
  // rank 5 of 10 in the first bucket, which starts at 0: 0.1 * 5/10
  [
    'the first bucket',
    0.5,
    [
      { upperBound: 0.1, count: 10 },
      { upperBound: Infinity, count: 10 },
    ],
    0.05,
  ],
  // buckets given out of order are sorted first; rank 100 of 100 is the 50th of the 50 in (0.1, 0.5]
  [
    'q = 1 with unsorted buckets',
    1,
    [
      { upperBound: Infinity, count: 100 },
      { upperBound: 0.5, count: 100 },
      { upperBound: 0.1, count: 50 },
    ],
    0.5,
  ],
  // 55 within 0.5s after 60 within 0.1s is lifted to 60; rank 50 of 100 is in the first bucket: 0.1 * 50/60,
  // which in float64 is 0.1 * 0.8333333333333334 = 0.08333333333333334
  [
    'non-monotonic counts',
    0.5,
    [
      { upperBound: 0.1, count: 60 },
      { upperBound: 0.5, count: 55 },
      { upperBound: Infinity, count: 100 },
    ],
    0.08333333333333334,
  ],
  // a first bucket with a bound at or below 0 is returned as it is: rank 2.5 of 10 lies within it
  [
    'a first bucket with a negative bound',
    0.25,
    [
      { upperBound: -1, count: 5 },
      { upperBound: 0, count: 10 },
      { upperBound: Infinity, count: 10 },
    ],
    -1,
  ],
  [
    'q above 1',
    1.5,
    [
      { upperBound: Infinity, count: 1 },
      { upperBound: 1, count: 1 },
    ],
    Infinity,
  ],
  [
    'q below 0',
    -0.5,
    [
      { upperBound: Infinity, count: 1 },
      { upperBound: 1, count: 1 },
    ],
    -Infinity,
  ],
];

describe('histogramQuantile as Prometheus computes it', () => {
  test.each(quantiles)(
    'when the case is %s, then the quantile is the hand-computed one',
    (_what, q, buckets, expected) => {
      expect(histogramQuantile(q, buckets)).toBe(expected);
    },
  );

  test.each<[string, number, Bucket[]]>([
    ['without a +Inf bucket', 0.5, [{ upperBound: 1, count: 3 }]],
    ['with only the +Inf bucket', 0.5, [{ upperBound: Infinity, count: 3 }]],
    [
      'without observations',
      0.5,
      [
        { upperBound: 1, count: 0 },
        { upperBound: Infinity, count: 0 },
      ],
    ],
    [
      'with q = NaN',
      NaN,
      [
        { upperBound: 1, count: 1 },
        { upperBound: Infinity, count: 1 },
      ],
    ],
    ['without buckets', 0.5, []],
  ])('when the case is %s, then the quantile is NaN', (_what, q, buckets) => {
    expect(histogramQuantile(q, buckets)).toBeNaN();
  });
});

describe('the same tables evaluated by promtool', () => {
  skipReason('the promtool evaluation of the canary tables');
  const maybe = havePromtool ? test : test.skip;

  maybe(
    'when promtool evaluates increase() and histogram_quantile over each window, then it finds the table figures',
    () => {
      const tests = windows.map(windowTest);
      const r = testRules(stringify({ tests }));
      expect(r.out).not.toContain('FAILED');
      expect(r.status).toBe(0);
    },
  );

  maybe(
    'when promtool evaluates histogram_quantile on each bucket table, then it finds the table figures',
    () => {
      const tests = quantiles.map(([what, q, buckets, expected]) => ({
        name: what,
        interval: '1m',
        input_series: buckets.map((b) => ({
          series: `h_bucket{le="${b.upperBound === Infinity ? '+Inf' : b.upperBound}"}`,
          values: String(b.count),
        })),
        promql_expr_test: [
          {
            expr: `histogram_quantile(${q}, h_bucket)`,
            eval_time: '0m',
            exp_samples: [{ labels: '{}', value: expected }],
          },
        ],
      }));
      const r = testRules(stringify({ tests }));
      expect(r.out).not.toContain('FAILED');
      expect(r.status).toBe(0);
    },
  );

  maybe('when a table figure is off by one ulp, then promtool fails it (the comparison is exact)', () => {
    const [, q, buckets] = quantiles[0]!;
    const r = testRules(
      stringify({
        tests: [
          {
            interval: '1m',
            input_series: buckets.map((b) => ({
              series: `h_bucket{le="${b.upperBound === Infinity ? '+Inf' : b.upperBound}"}`,
              values: String(b.count),
            })),
            promql_expr_test: [
              {
                expr: `histogram_quantile(${q}, h_bucket)`,
                eval_time: '0m',
                exp_samples: [{ labels: '{}', value: 0.8750000000000001 }],
              },
            ],
          },
        ],
      }),
    );
    expect(r.status).toBe(1);
    expect(r.out).toContain('got: {} 8.75E-01');
  });
});
