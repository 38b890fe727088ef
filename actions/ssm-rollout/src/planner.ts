/**
 * The wave planner: which instances are updated together, in what order. Pure. `min-healthy` is a hard
 * limit: every wave leaves at least that many instances untouched (serving the previous release), and a
 * plan that cannot keep it is refused rather than bent.
 */

export const STRATEGIES = ['canary', 'one-at-a-time', 'half-at-a-time', 'all-at-once'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A count (`3`) or a percentage of the fleet (`25%`). */
export type Amount = { kind: 'count'; value: number } | { kind: 'percent'; value: number };

export interface Wave {
  index: number;
  instanceIds: string[];
  /** Canary is the first wave of the canary strategy. */
  canary: boolean;
}

export interface Plan {
  strategy: Strategy;
  fleetSize: number;
  batchSize: number;
  minHealthy: number;
  waves: Wave[];
}

/** Parses `3` or `25%`; `what` names the input in the error. */
export function parseAmount(what: string, text: string, { allowZero }: { allowZero: boolean }): Amount {
  const value = text.trim();
  const percent = /^(\d{1,3})%$/.exec(value);
  if (percent) {
    const n = Number(percent[1]);
    if ((allowZero ? n >= 0 : n >= 1) && n <= 100) return { kind: 'percent', value: n };
  } else if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (allowZero || n >= 1) return { kind: 'count', value: n };
  }
  throw new Error(
    `Input '${what}': expected a whole number${allowZero ? '' : ' of at least 1'} or a percentage such as 25% ` +
      `(${allowZero ? '0' : '1'}-100%), got '${text}'.`,
  );
}

/** Batch sizes round up (a wave has at least one instance); min-healthy rounds up (never fewer healthy). */
export function resolveAmount(amount: Amount, fleetSize: number): number {
  return amount.kind === 'count' ? amount.value : Math.ceil((fleetSize * amount.value) / 100);
}

export interface PlanOptions {
  strategy: Strategy;
  /** Only used by canary (the waves after the canary); defaults to 25%. */
  batchSize?: Amount;
  minHealthy?: Amount;
}

function describe(amount: Amount | undefined): string {
  if (!amount) return '';
  return amount.kind === 'percent' ? `${amount.value}%` : String(amount.value);
}

export function planWaves(instanceIds: readonly string[], options: PlanOptions): Plan {
  const ids = [...new Set(instanceIds)];
  const n = ids.length;
  if (n === 0) throw new Error('There are no instances to update: the targets resolved to an empty fleet.');
  const minHealthy = options.minHealthy ? resolveAmount(options.minHealthy, n) : 0;
  if (options.batchSize && options.strategy !== 'canary') {
    throw new Error(
      `Input 'batch-size' is only used by strategy canary; strategy ${options.strategy} sets its own wave size.`,
    );
  }
  if (options.batchSize?.kind === 'count' && options.batchSize.value > n) {
    throw new Error(
      `Input 'batch-size': ${options.batchSize.value} is bigger than the fleet of ${n} instance${n === 1 ? '' : 's'}.`,
    );
  }
  if (minHealthy >= n) {
    throw new Error(
      `Input 'min-healthy': ${describe(options.minHealthy)} means ${minHealthy} of ${n} instances must stay healthy, ` +
        'so not even one instance could be updated at a time; lower min-healthy.',
    );
  }
  const allowed = n - minHealthy;
  let sizes: number[];
  let batchSize: number;
  switch (options.strategy) {
    case 'one-at-a-time':
      batchSize = 1;
      sizes = Array.from({ length: n }, () => 1);
      break;
    case 'half-at-a-time':
      batchSize = Math.ceil(n / 2);
      sizes = n === 1 ? [1] : [Math.ceil(n / 2), Math.floor(n / 2)];
      break;
    case 'all-at-once':
      batchSize = n;
      sizes = [n];
      break;
    case 'canary': {
      batchSize = Math.max(1, resolveAmount(options.batchSize ?? { kind: 'percent', value: 25 }, n));
      sizes = [1];
      for (let left = n - 1; left > 0; left -= Math.min(batchSize, left))
        sizes.push(Math.min(batchSize, left));
      break;
    }
  }
  const largest = Math.max(...sizes);
  if (largest > allowed) {
    const what =
      options.strategy === 'canary'
        ? `batch-size ${describe(options.batchSize ?? { kind: 'percent', value: 25 })} (${largest} instances per wave)`
        : `strategy ${options.strategy} (${largest} instances in one wave)`;
    throw new Error(
      `Input 'min-healthy': ${describe(options.minHealthy)} requires ${minHealthy} of ${n} instances to stay healthy, ` +
        `but ${what} would leave only ${n - largest}; use at most ${allowed} instance${allowed === 1 ? '' : 's'} per wave ` +
        `(strategy canary with batch-size ${allowed}, or one-at-a-time) or lower min-healthy.`,
    );
  }
  const waves: Wave[] = [];
  let offset = 0;
  sizes.forEach((size, index) => {
    waves.push({
      index: index + 1,
      instanceIds: ids.slice(offset, offset + size),
      canary: options.strategy === 'canary' && index === 0,
    });
    offset += size;
  });
  return { strategy: options.strategy, fleetSize: n, batchSize, minHealthy, waves };
}
