import { describe, expect, test } from '@jest/globals';
import { parseAmount, planWaves, type Amount, type Strategy } from '../src/planner.js';

const fleet = (n: number) => Array.from({ length: n }, (_, i) => `i-${String(i).padStart(17, '0')}`);
const sizes = (n: number, strategy: Strategy, batch?: string, min?: string) =>
  planWaves(fleet(n), {
    strategy,
    batchSize: batch ? parseAmount('batch-size', batch, { allowZero: false }) : undefined,
    minHealthy: min ? parseAmount('min-healthy', min, { allowZero: true }) : undefined,
  }).waves.map((w) => w.instanceIds.length);

describe('wave sizes', () => {
  test.each<[number, Strategy, string | undefined, string | undefined, number[]]>([
    [1, 'canary', undefined, undefined, [1]],
    [4, 'canary', undefined, undefined, [1, 1, 1, 1]],
    [10, 'canary', undefined, undefined, [1, 3, 3, 3]],
    [10, 'canary', '4', undefined, [1, 4, 4, 1]],
    [10, 'canary', '50%', '5', [1, 5, 4]],
    [10, 'canary', '10%', '90%', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    [7, 'canary', '33%', '4', [1, 3, 3]],
    [3, 'canary', '100%', undefined, [1, 2]],
    [5, 'one-at-a-time', undefined, undefined, [1, 1, 1, 1, 1]],
    [5, 'one-at-a-time', undefined, '4', [1, 1, 1, 1, 1]],
    [1, 'half-at-a-time', undefined, undefined, [1]],
    [5, 'half-at-a-time', undefined, undefined, [3, 2]],
    [6, 'half-at-a-time', undefined, '3', [3, 3]],
    [6, 'all-at-once', undefined, undefined, [6]],
    [6, 'all-at-once', undefined, '0', [6]],
    [6, 'all-at-once', undefined, '0%', [6]],
    [500, 'canary', '10%', '80%', [1, ...Array(9).fill(50), 49]],
  ])(
    'when %i instances use %s with batch-size %s and min-healthy %s, then the waves are %j',
    (n, strategy, batch, min, expected) => {
      expect(sizes(n, strategy, batch, min)).toEqual(expected);
    },
  );
});

describe('min-healthy is never violated', () => {
  test.each<[number, Strategy, string | undefined, string, RegExp]>([
    [
      5,
      'half-at-a-time',
      undefined,
      '3',
      /requires 3 of 5 instances to stay healthy, but strategy half-at-a-time \(3 instances in one wave\) would leave only 2; use at most 2 instances per wave/,
    ],
    [
      4,
      'all-at-once',
      undefined,
      '1',
      /requires 1 of 4 .* all-at-once \(4 instances in one wave\) would leave only 0/,
    ],
    [
      10,
      'canary',
      '5',
      '60%',
      /60% requires 6 of 10 .* batch-size 5 \(5 instances per wave\) would leave only 5; use at most 4 instances per wave/,
    ],
    [
      10,
      'canary',
      undefined,
      '90%',
      /batch-size 25% \(3 instances per wave\) would leave only 7; use at most 1 instance per wave/,
    ],
    [
      3,
      'one-at-a-time',
      undefined,
      '3',
      /'min-healthy': 3 means 3 of 3 instances must stay healthy, so not even one instance could be updated/,
    ],
    [3, 'one-at-a-time', undefined, '67%', /67% means 3 of 3 instances must stay healthy/],
    [1, 'canary', undefined, '1', /1 of 1 instances must stay healthy/],
  ])(
    'when %i instances use %s (batch %s) with min-healthy %s, then planning fails clearly',
    (n, strategy, batch, min, message) => {
      expect(() => sizes(n, strategy, batch, min)).toThrow(message);
    },
  );

  test('when every combination of fleet, batch and min-healthy up to 12 plans, then each wave leaves min-healthy untouched and every instance is updated once, in order', () => {
    for (let n = 1; n <= 12; n++) {
      for (let batch = 1; batch <= n; batch++) {
        for (let min = 0; min < n; min++) {
          for (const strategy of ['canary', 'one-at-a-time', 'half-at-a-time', 'all-at-once'] as Strategy[]) {
            const batchSize: Amount | undefined =
              strategy === 'canary' ? { kind: 'count', value: batch } : undefined;
            let plan;
            try {
              plan = planWaves(fleet(n), { strategy, batchSize, minHealthy: { kind: 'count', value: min } });
            } catch (err) {
              // Refused only when some wave really would be too big for min-healthy.
              expect((err as Error).message).toMatch(/^Input 'min-healthy': /);
              const biggest = {
                canary: Math.min(batch, Math.max(1, n - 1)),
                'one-at-a-time': 1,
                'half-at-a-time': Math.ceil(n / 2),
                'all-at-once': n,
              }[strategy];
              expect(biggest).toBeGreaterThan(n - min);
              continue;
            }
            for (const wave of plan.waves) expect(n - wave.instanceIds.length).toBeGreaterThanOrEqual(min);
            expect(plan.waves.flatMap((w) => w.instanceIds)).toEqual(fleet(n));
          }
        }
      }
    }
  });
});

describe('inputs', () => {
  test.each([
    [
      'batch-size',
      '0',
      false,
      /Input 'batch-size': expected a whole number of at least 1 or a percentage such as 25% \(1-100%\), got '0'/,
    ],
    ['batch-size', '0%', false, /got '0%'/],
    ['batch-size', '101%', false, /got '101%'/],
    ['batch-size', 'half', false, /got 'half'/],
    [
      'min-healthy',
      '-1',
      true,
      /Input 'min-healthy': expected a whole number or a percentage such as 25% \(0-100%\), got '-1'/,
    ],
    ['min-healthy', '2.5', true, /got '2.5'/],
  ])('when %s is %j, then it is refused with the input named', (name, value, allowZero, message) => {
    expect(() => parseAmount(name, value, { allowZero })).toThrow(message);
  });

  test('when batch-size is bigger than the fleet, then planning says so', () => {
    expect(() => sizes(3, 'canary', '4')).toThrow(
      "Input 'batch-size': 4 is bigger than the fleet of 3 instances.",
    );
  });

  test('when batch-size is given to a strategy that sets its own waves, then planning says it is canary only', () => {
    expect(() => sizes(3, 'all-at-once', '2')).toThrow(/'batch-size' is only used by strategy canary/);
  });

  test('when the fleet is empty, then planning refuses', () => {
    expect(() => planWaves([], { strategy: 'canary' })).toThrow(/no instances to update/);
  });

  test('when an instance is listed twice, then it is updated once and the canary flag marks wave 1', () => {
    const plan = planWaves(['i-00000000000000001', 'i-00000000000000001', 'i-00000000000000002'], {
      strategy: 'canary',
    });
    expect(plan.waves.map((w) => [w.index, w.canary, w.instanceIds])).toEqual([
      [1, true, ['i-00000000000000001']],
      [2, false, ['i-00000000000000002']],
    ]);
  });
});
