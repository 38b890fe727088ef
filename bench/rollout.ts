/**
 * npm run bench:rollout — the rollout orchestrator (actions/ssm-rollout/src/rollout.ts) against a
 * simulated Systems Manager with 500 instances, each command taking a simulated time (60 s plus up to
 * 30 s of per-instance jitter), and 50 ms of simulated latency per API call. Time is virtual (injected
 * clock and sleep), so the run takes seconds.
 *
 * Baseline, computed in the same run: an ideal orchestrator that learns the instant each invocation
 * ends and starts the next wave right then, so a wave costs exactly its slowest instance. The printed
 * overhead is (action's time / ideal time - 1); API calls are counted per instance.
 */
import type { CommandInvocation } from '@aws-sdk/client-ssm';
import { planWaves, type Plan, type PlanOptions } from '../actions/ssm-rollout/src/planner.js';
import { runRollout } from '../actions/ssm-rollout/src/rollout.js';

const API_LATENCY_MS = 50;
const BASE_MS = 60_000;
const JITTER_MS = 30_000;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Sim {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  ssm: {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => Promise<unknown>;
  };
  calls: Record<string, number>;
}

function simulate(durations: Map<string, number>): Sim {
  let t = 0;
  const calls: Record<string, number> = {};
  const commands = new Map<string, { start: number; ids: string[] }>();
  let counter = 0;
  const ssm = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const op = command.constructor.name.replace(/Command$/, '');
      calls[op] = (calls[op] ?? 0) + 1;
      t += API_LATENCY_MS;
      const input = command.input;
      if (op === 'SendCommand') {
        const id = `cmd-${++counter}`;
        commands.set(id, { start: t, ids: input.InstanceIds as string[] });
        return { Command: { CommandId: id } };
      }
      if (op === 'ListCommandInvocations') {
        const c = commands.get(input.CommandId as string)!;
        const from = input.NextToken ? Number(input.NextToken) : 0;
        const page = c.ids.slice(from, from + 50);
        const invocations: CommandInvocation[] = page.map((instanceId) => {
          const done = t >= c.start + durations.get(instanceId)!;
          return {
            InstanceId: instanceId,
            Status: done ? 'Success' : 'InProgress',
            StatusDetails: done ? 'Success' : 'InProgress',
            CommandPlugins: [{ Output: done ? 'SSM_ROLLOUT_RESULT=healthy\n' : '' }],
          };
        });
        return {
          CommandInvocations: invocations,
          NextToken: from + 50 < c.ids.length ? String(from + 50) : undefined,
        };
      }
      throw new Error(`unexpected ${op}`);
    },
  };
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    ssm,
    calls,
  };
}

/** The ideal: each wave lasts exactly as long as its slowest instance, and nothing else costs time. */
function idealMs(plan: Plan, durations: Map<string, number>): number {
  return plan.waves.reduce((sum, w) => sum + Math.max(...w.instanceIds.map((id) => durations.get(id)!)), 0);
}

async function measure(n: number, label: string, options: PlanOptions) {
  const random = prng(42 + n);
  const ids = Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
  const durations = new Map(ids.map((id) => [id, BASE_MS + Math.floor(random() * JITTER_MS)]));
  const plan = planWaves(ids, options);
  const sim = simulate(durations);
  const started = performance.now();
  const result = await runRollout(
    { ssm: sim.ssm as never, sleep: sim.sleep, now: sim.now, log: () => {} },
    {
      plan,
      deployScript: '#',
      rollbackScript: '#',
      commandTimeoutSeconds: 600,
      rollback: true,
      comment: 'bench',
    },
  );
  const cpuMs = performance.now() - started;
  if (result.status !== 'succeeded' || result.updated.length !== n)
    throw new Error(`${label}: rollout did not succeed`);
  const ideal = idealMs(plan, durations);
  const actual = sim.now();
  const total = Object.values(sim.calls).reduce((a, b) => a + b, 0);
  return {
    n,
    label,
    waves: plan.waves.length,
    ideal,
    actual,
    ratio: actual / ideal,
    calls: total,
    perInstance: total / n,
    cpuMs,
    byOp: sim.calls,
  };
}

const scenarios: [string, PlanOptions][] = [
  ['canary, batch 10%', { strategy: 'canary', batchSize: { kind: 'percent', value: 10 } }],
  ['half-at-a-time', { strategy: 'half-at-a-time' }],
  ['all-at-once', { strategy: 'all-at-once' }],
  ['one-at-a-time', { strategy: 'one-at-a-time' }],
];

const min = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;
console.log(
  `ssm-rollout orchestrator, simulated SSM: command ${BASE_MS / 1000}s + up to ${JITTER_MS / 1000}s jitter, ${API_LATENCY_MS} ms per API call\n`,
);
console.log(
  '| instances | strategy | waves | ideal | action | ratio | overhead | API calls | calls/instance | CPU |',
);
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const rows = [];
for (const [label, options] of scenarios) rows.push(await measure(500, label, options));
for (const n of [100, 250, 1000]) rows.push(await measure(n, 'canary, batch 10%', scenarios[0]![1]));
for (const r of rows) {
  console.log(
    `| ${r.n} | ${r.label} | ${r.waves} | ${min(r.ideal)} | ${min(r.actual)} | ${r.ratio.toFixed(4)} | ${((r.ratio - 1) * 100).toFixed(2)}% | ${r.calls} | ${r.perInstance.toFixed(2)} | ${r.cpuMs.toFixed(0)} ms |`,
  );
}
const worst = Math.max(...rows.map((r) => r.ratio));
console.log(
  `\nworst overhead over the ideal orchestrator: ${((worst - 1) * 100).toFixed(2)}% (goal: at most 5%)`,
);
