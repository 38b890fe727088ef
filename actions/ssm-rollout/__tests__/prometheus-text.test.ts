import { describe, expect, test } from '@jest/globals';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  ExpositionError,
  histogramSeries,
  parseFloatValue,
  parsePrometheusText,
  type Sample,
} from '../src/prometheus-text.js';
import { checkMetrics, havePromtool, skipReason } from './helpers/promtool.js';

const values = (samples: Sample[], name: string) =>
  samples.filter((s) => s.name === name).map((s) => [s.labels, s.value]);

describe('reading what a real client library writes', () => {
  test('when prom-client serialises values set through its API, then the parser reads back exactly those values', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'files_read_total',
      help: 'Files read, with a backslash \\ and a\nsecond line',
      labelNames: ['path', 'message'],
      registers: [registry],
    });
    counter.inc({ path: 'C:\\DIR\\FILE.TXT', message: 'Cannot find file:\n"FILE.TXT"' }, 3);
    counter.inc({ path: '/tmp/ünïcode', message: 'comma, and = and {braces}' }, 0.5);
    new Gauge({ name: 'temperature_celsius', help: 'T', registers: [registry] }).set(-1.5e-7);
    const histogram = new Histogram({
      name: 'request_seconds',
      help: 'R',
      labelNames: ['route'],
      buckets: [0.1, 0.5],
      registers: [registry],
    });
    for (const [route, seconds] of [
      ['/a', 0.05],
      ['/a', 0.3],
      ['/a', 2],
      ['/b/:id', 0.1],
    ] as const)
      histogram.observe({ route }, seconds);

    const e = parsePrometheusText(await registry.metrics());
    expect(values(e.samples, 'files_read_total')).toEqual([
      [{ path: 'C:\\DIR\\FILE.TXT', message: 'Cannot find file:\n"FILE.TXT"' }, 3],
      [{ path: '/tmp/ünïcode', message: 'comma, and = and {braces}' }, 0.5],
    ]);
    expect(values(e.samples, 'temperature_celsius')).toEqual([[{}, -1.5e-7]]);
    expect(e.types).toEqual(
      new Map([
        ['files_read_total', 'counter'],
        ['temperature_celsius', 'gauge'],
        ['request_seconds', 'histogram'],
      ]),
    );
    expect(e.help.get('files_read_total')).toBe('Files read, with a backslash \\ and a\nsecond line');
    // 0.05 and 0.3 and 2 on /a; 0.1 on /b/:id (le is "less or equal": 0.1 falls in the 0.1 bucket)
    expect(histogramSeries(e, 'request_seconds')).toEqual([
      {
        labels: { route: '/a' },
        buckets: [
          { upperBound: 0.1, count: 1 },
          { upperBound: 0.5, count: 2 },
          { upperBound: Infinity, count: 3 },
        ],
        count: 3,
        sum: 2.35,
      },
      {
        labels: { route: '/b/:id' },
        buckets: [
          { upperBound: 0.1, count: 1 },
          { upperBound: 0.5, count: 1 },
          { upperBound: Infinity, count: 1 },
        ],
        count: 1,
        sum: 0.1,
      },
    ]);
  });
});

describe('the format written by hand', () => {
  test('when lines use blanks, tabs, a trailing comma, timestamps and special values, then each reads as the format says', () => {
    const text = [
      '# A plain comment, then a blank line',
      '',
      '# HELP up_time Seconds \\\\ up,\\nsince start',
      '#TYPE up_time gauge',
      'up_time{ host = "a" , zone="b", } 12.5 1700000000000',
      '\tup_time{host="c"}\t-Inf',
      'up_time{host="d"} NaN -42',
      'up_time{} +Inf',
      'counter_x 1e3',
      'counter_x{k="v"} .5',
      '',
    ].join('\n');
    const e = parsePrometheusText(text);
    expect(e.help.get('up_time')).toBe('Seconds \\ up,\nsince start');
    expect(e.types.get('up_time')).toBe('gauge');
    expect(e.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs])).toEqual([
      ['up_time', { host: 'a', zone: 'b' }, 12.5, 1700000000000],
      ['up_time', { host: 'c' }, -Infinity, undefined],
      ['up_time', { host: 'd' }, NaN, -42],
      ['up_time', {}, Infinity, undefined],
      ['counter_x', {}, 1000, undefined],
      ['counter_x', { k: 'v' }, 0.5, undefined],
    ]);
  });

  test('when a label is named __proto__, then it is an ordinary label of the sample', () => {
    const [sample] = parsePrometheusText('a{__proto__="x",b="y"} 1\n').samples;
    expect(Object.entries(sample!.labels)).toEqual([
      ['__proto__', 'x'],
      ['b', 'y'],
    ]);
    expect(Object.getPrototypeOf(sample!.labels)).toBe(Object.prototype);
  });

  test.each([
    ['1', 1],
    ['-0.25', -0.25],
    ['+.5e-3', 0.0005],
    ['5.', 5],
    ['1E+05', 100000],
    ['Inf', Infinity],
    ['+infinity', Infinity],
    ['-INF', -Infinity],
    ['nan', NaN],
    ['-nan', undefined],
    ['0x1p-2', undefined],
    ['1_000', undefined],
    ['', undefined],
    ['1.2.3', undefined],
  ])('when a value reads %j, then it is %p', (text, expected) => {
    expect(parseFloatValue(text)).toBe(expected);
  });
});

/**
 * Accept or refuse: the reference parser (promtool check metrics exits 1 on a parse error) decides, and
 * this parser must agree and name the line and the problem.
 */
const cases: [string, string, RegExp | null][] = [
  ['a label value with the three escapes', 'a{b="\\\\ \\" \\n"} 1\n', null],
  ['no blank between labels and value', 'a{b="c"}1\n', null],
  ['a type in capitals', '# TYPE a COUNTER\na 1\n', null],
  ['a signed timestamp', 'a 1 +5\n', null],
  ['TYPE and HELP without enough words (plain comments)', '# TYPE\n# HELP\n# TYPE a\na 1\n', null],
  ['a histogram typed after its _bucket samples', 'a_bucket{le="+Inf"} 1\n# TYPE a histogram\n', null],
  ['an empty label set', 'a{} 1\n', null],
  ['an unterminated label value', 'a{b="c} 1\n', /line 1: label value of 'b' has no closing quote/],
  ['an invalid escape', 'a{b="c\\q"} 1\n', /line 1: label value of 'b' has an invalid escape '\\q'/],
  ['a label given twice', 'a{b="c",b="d"} 1\n', /line 1: label 'b' appears twice in the labels of 'a'/],
  ['the reserved __name__ label', 'a{__name__="x"} 1\n', /line 1: label name '__name__' is reserved/],
  [
    'an unquoted label value',
    'a{b=c} 1\n',
    /line 1: expected a double-quoted value for label 'b', found 'c} 1'/,
  ],
  ['a label name starting with a digit', 'a{1b="c"} 1\n', /line 1: expected a label name or '}'/],
  ['a lone comma in the labels', 'a{,} 1\n', /line 1: expected a label name or '}'/],
  [
    'labels never closed',
    'x 1\na{b="c"\n',
    /line 2: expected ',' or '}' after a label of 'a', found the end of the line/,
  ],
  ['no value', 'a{b="c"}\n', /line 1: expected a value, found the end of the line/],
  ['a value that is no number', 'a one\n', /line 1: expected a number as the value of 'a', found 'one'/],
  ['a hexadecimal value', 'a 0x1p-2\n', /expected a number as the value of 'a', found '0x1p-2'/],
  [
    'a fractional timestamp',
    'a 1 1.5\n',
    /line 1: expected a timestamp in whole milliseconds after the value of 'a', found '1.5'/,
  ],
  ['a blank after the value and no timestamp', 'a 1 \n', /line 1: expected a timestamp .* found ''/],
  ['something after the timestamp', 'a 1 2 3\n', /line 1: unexpected ' 3' after the timestamp of 'a'/],
  ['a metric name starting with a digit', '1a 1\n', /line 1: expected a metric name, found '1a 1'/],
  ['an unknown type', '# TYPE a countr\n', /line 1: unknown metric type 'countr' for 'a'/],
  ['a type with a trailing blank', '# TYPE a counter \n', /line 1: unknown metric type 'counter ' for 'a'/],
  ['two TYPE lines', '# TYPE a counter\n# TYPE a gauge\n', /line 2: second TYPE line for metric 'a'/],
  ['TYPE after the samples', 'a 1\n# TYPE a counter\n', /line 2: TYPE line for metric 'a' after its samples/],
  ['two HELP lines', '# HELP a x\n# HELP a y\n', /line 2: second HELP line for metric 'a'/],
  ['a carriage return', 'a 1\r\n', /line 1: expected a number as the value of 'a', found '1\r'/],
];

describe('accepting and refusing as the reference parser does', () => {
  test.each(cases)(
    'when the text has %s, then the parser accepts or names the problem',
    (_what, text, error) => {
      if (error === null) expect(() => parsePrometheusText(text)).not.toThrow();
      else {
        expect(() => parsePrometheusText(text)).toThrow(ExpositionError);
        expect(() => parsePrometheusText(text)).toThrow(error);
      }
    },
  );

  skipReason('the comparison with promtool check metrics');
  (havePromtool ? test.each(cases) : test.skip.each(cases))(
    'when the text has %s, then promtool accepts or refuses it alike',
    (_what, text, error) => {
      const r = checkMetrics(text);
      // exit 1 with 'text format parsing error' is a refusal; 0 or 3 (lint findings only) an acceptance
      expect([r.status === 1, r.out.includes('text format parsing error')]).toEqual([
        error !== null,
        error !== null,
      ]);
    },
  );
});

describe('histogram series', () => {
  test('when buckets come in any order and with several label sets, then each series has its buckets sorted, count and sum', () => {
    const e = parsePrometheusText(
      [
        'h_bucket{le="+Inf",r="x"} 4',
        'h_bucket{r="x",le="0.5"} 3',
        'h_bucket{r="y",le="0.5"} 0',
        'h_sum{r="x"} 1.25',
        'h_count{r="x"} 4',
        'h_bucket{r="x",le="1e-1"} 1',
        'h_bucket{r="y",le="+Inf"} 0',
        'other_bucket{le="1"} 9',
      ].join('\n'),
    );
    expect(histogramSeries(e, 'h')).toEqual([
      {
        labels: { r: 'x' },
        buckets: [
          { upperBound: 0.1, count: 1 },
          { upperBound: 0.5, count: 3 },
          { upperBound: Infinity, count: 4 },
        ],
        count: 4,
        sum: 1.25,
      },
      {
        labels: { r: 'y' },
        buckets: [
          { upperBound: 0.5, count: 0 },
          { upperBound: Infinity, count: 0 },
        ],
        count: undefined,
        sum: undefined,
      },
    ]);
  });

  test.each([
    ['h_bucket{r="x"} 1', /h_bucket\{r="x"\} has no le label/],
    ['h_bucket{le="soon"} 1', /h_bucket\{le="soon"\} has le="soon", not a number/],
    ['h_bucket{le="NaN"} 1', /has le="NaN", not a number/],
  ])('when a bucket reads %s, then the error names it', (text, message) => {
    expect(() => histogramSeries(parsePrometheusText(text), 'h')).toThrow(message);
  });
});
