/**
 * The canary analysis inside a rollout, against aws-sdk-client-mock's SSM: the first wave, two readings of
 * the metrics command (GetCommandInvocation for their whole output), then promotion or the rollback path.
 */
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { bake } from '../src/canary.js';
import type { CanaryPolicy } from '../src/canary-policy.js';
import { planWaves } from '../src/planner.js';
import { rolloutSummary } from '../src/report.js';
import { runRollout, type FirstWaveCheck, type RolloutOptions } from '../src/rollout.js';
import { clock, fakeSsm, type Outcome } from './helpers/fake-ssm.js';
import { MetricsService } from './helpers/metrics-service.js';

const OLD = 'repo@sha256:old';
const NEW = 'repo@sha256:new';
const FLEET = [
  'i-00000000000000001',
  'i-00000000000000002',
  'i-00000000000000003',
  'i-00000000000000004',
  'i-00000000000000005',
];
const [CANARY, ...LATER] = FLEET as [string, ...string[]];
const BASELINE = LATER.slice(0, 3);
const DEPLOY = '# deploy script';
const ROLLBACK = '# rollback script';
const METRICS = '# metrics script';
const PLAN = planWaves(FLEET, { strategy: 'canary', batchSize: { kind: 'percent', value: 50 } });
const POLICY: CanaryPolicy = {
  maxErrorShare: 0.01,
  maxLatencySeconds: 0.5,
  minRequests: 100,
  insufficientTraffic: 'fail',
};

afterEach(() => mockClient(SSMClient).restore());

/** What each instance's metrics command prints at the first and at the second reading. */
type Readings = [Map<string, string>, Map<string, string>];

/**
 * Readings of a fleet whose baseline serves 200 requests at 20 ms during the bake and whose canary serves
 * what `canaryTraffic` records on it.
 */
async function readings(canaryTraffic: (canary: MetricsService) => void): Promise<Readings> {
  const services = new Map(FLEET.map((id) => [id, new MetricsService(id === CANARY ? NEW : OLD)]));
  const read = async () =>
    new Map(await Promise.all(FLEET.map(async (id) => [id, await services.get(id)!.output()] as const)));
  const first = await read();
  canaryTraffic(services.get(CANARY)!);
  for (const id of BASELINE) services.get(id)!.serve(200, '/cases', 200, 0.02);
  return [first, await read()];
}

function ssm(r: Readings, metricsOutcome?: (id: string, reading: number) => Outcome | undefined) {
  const metricsCommands: string[] = [];
  return fakeSsm((id, script, commandId) => {
    if (script.includes(ROLLBACK)) return { status: 'Success', output: 'SSM_ROLLOUT_RESULT=rolled-back\n' };
    if (script.includes(METRICS)) {
      if (!metricsCommands.includes(commandId)) metricsCommands.push(commandId);
      const reading = metricsCommands.indexOf(commandId);
      return metricsOutcome?.(id, reading) ?? { status: 'Success', output: r[reading]!.get(id)! };
    }
    return {
      polls: 1,
      status: 'Success',
      output: `SSM_ROLLOUT_PREVIOUS_IMAGE=${OLD}\nSSM_ROLLOUT_RESULT=healthy\n`,
    };
  });
}

function run(policy: Partial<CanaryPolicy> = {}) {
  const c = clock();
  const log: string[] = [];
  const deps = {
    ssm: new SSMClient({ region: 'eu-west-1' }),
    sleep: c.sleep,
    now: c.now,
    log: (l: string) => void log.push(l),
    random: () => 0.5,
  };
  const touched: string[][] = [];
  const options: RolloutOptions = {
    plan: PLAN,
    deployScript: DEPLOY,
    rollbackScript: ROLLBACK,
    commandTimeoutSeconds: 600,
    rollback: true,
    comment: 'test',
    afterFirstWave: (check: FirstWaveCheck) =>
      bake(deps, check.run(METRICS, 60), {
        canaryIds: check.wave.instanceIds,
        baselineIds: check.laterIds.slice(0, 3),
        bakeMs: 120_000,
        policy: { ...POLICY, ...policy },
        window: { include: (labels) => labels.route !== '/health' },
      }),
  };
  return runRollout(
    { ...deps, onCommandSent: (_ids, instances) => touched.push([...instances]) },
    options,
  ).then((result) => ({ result, touched, log, sleeps: c.sleeps }));
}

const sends = (mock: ReturnType<typeof fakeSsm>['mock']) =>
  mock.commandCalls(SendCommandCommand).map((c) => ({
    what: [DEPLOY, ROLLBACK, METRICS].find((script) =>
      c.args[0].input.Parameters!.commands![0]!.includes(script),
    ),
    ids: c.args[0].input.InstanceIds!,
    timeout: c.args[0].input.Parameters!.executionTimeout![0],
  }));

describe('the canary analysis in a rollout', () => {
  test('when the canary serves well, then after two readings and the bake the rollout goes on to every wave', async () => {
    const { mock } = ssm(
      await readings((c) => c.serve(150, '/cases', 200, 0.03).serve(40, '/health', 200, 0.001)),
    );
    const { result, touched, sleeps } = await run();
    expect(sends(mock).map((s) => [s.what, s.ids])).toEqual([
      [DEPLOY, [CANARY]],
      [METRICS, [CANARY, ...BASELINE]],
      [METRICS, [CANARY, ...BASELINE]],
      [DEPLOY, LATER.slice(0, 3)],
      [DEPLOY, LATER.slice(3)],
    ]);
    expect(sends(mock)[1]!.timeout).toBe('60');
    expect(sleeps).toContain(120_000);
    // Every metrics output read whole, twice per instance.
    expect(mock.commandCalls(GetCommandInvocationCommand)).toHaveLength(8);
    // Reading the baseline does not make it an instance a cancel would have to restore.
    expect(touched[2]).toEqual([CANARY]);
    expect(result.status).toBe('succeeded');
    expect(result.updated).toEqual(FLEET);
    expect(result.canary).toMatchObject({ promote: true, outcome: 'passed' });
    expect(result.canary!.rows[0]!.stats).toMatchObject({ requests: 150, errors: 0 });
  });

  test('when the canary answers 5xx, then it is rolled back and no later wave is sent', async () => {
    const { mock } = ssm(
      await readings((c) => c.serve(180, '/cases', 200, 0.03).serve(20, '/cases', 500, 0.03)),
    );
    const { result } = await run();
    expect(sends(mock).map((s) => [s.what, s.ids])).toEqual([
      [DEPLOY, [CANARY]],
      [METRICS, [CANARY, ...BASELINE]],
      [METRICS, [CANARY, ...BASELINE]],
      [ROLLBACK, [CANARY]],
    ]);
    expect(result).toMatchObject({
      status: 'rolled-back',
      failedWave: 1,
      failed: [CANARY],
      rolledBack: [CANARY],
      updated: [],
    });
    // 20 of 200 = 10 %.
    expect(result.canary!.rows[0]).toMatchObject({
      verdict: 'failed',
      reasons: ['5xx share 10.0% above max-error-rate 1.0% (previous release: 0.0%)'],
    });
    // p95: the canary's 200 in (0.025, 0.05], the 190th at 0.025 + 0.025 * 190/200 = 48.75 ms; the
    // baseline's in (0.01, 0.025], at 0.01 + 0.015 * 190/200 = 24.25 ms.
    const summary = rolloutSummary(PLAN, NEW, result);
    expect(summary).toContain('### Canary analysis: failed: rolled back');
    expect(summary).toContain(
      `| ${CANARY} | canary | ${NEW} | 200 | 10.0% (20) | 49 ms | failed: 5xx share 10.0% above max-error-rate 1.0% (previous release: 0.0%) |`,
    );
    expect(summary).toContain(`| ${BASELINE[0]} | baseline | ${OLD} | 200 | 0.0% (0) | 24 ms | baseline |`);
  });

  test('when the canary is slow, then it is rolled back on its p95', async () => {
    // 200 requests at 0.8 s: all in (0.5, 1]; the 190th is at 0.5 + 0.5 * 190/200 = 0.975 s.
    const { mock } = ssm(await readings((c) => c.serve(200, '/cases', 200, 0.8)));
    const { result } = await run();
    expect(sends(mock).at(-1)).toMatchObject({ what: ROLLBACK, ids: [CANARY] });
    expect(result.canary!.rows[0]!.reasons).toEqual([
      'p95 975 ms above max-latency-p95 500 ms (previous release: 24 ms)',
    ]);
  });

  test('when the canary metrics cannot be read, then the analysis fails with the reason and the canary is rolled back', async () => {
    const r = await readings((c) => c.serve(200, '/cases', 200, 0.03));
    const { mock } = ssm(r, (id) =>
      id === CANARY
        ? {
            status: 'Failed',
            output: `SSM_ROLLOUT_IMAGE=${NEW}\nSSM_ROLLOUT_METRICS_ERROR=GET http://127.0.0.1:80/metrics answered 401 (does it need a bearer token? metrics-token-parameter)\n`,
          }
        : undefined,
    );
    const { result } = await run();
    expect(sends(mock).at(-1)).toMatchObject({ what: ROLLBACK, ids: [CANARY] });
    expect(result.canary!.rows[0]).toMatchObject({
      verdict: 'unreadable',
      reasons: [
        'first reading: GET http://127.0.0.1:80/metrics answered 401 (does it need a bearer token? metrics-token-parameter)',
      ],
    });
  });

  test.each([
    ['fail', 'rolled-back', 'failed'],
    ['promote', 'succeeded', 'insufficient-traffic'],
  ] as const)(
    'when the canary served too few requests and insufficient-traffic is %s, then the rollout %s',
    async (mode, status, outcome) => {
      ssm(await readings((c) => c.serve(30, '/cases', 200, 0.03).serve(500, '/health', 200, 0.001)));
      const { result } = await run({ insufficientTraffic: mode });
      expect(result.status).toBe(status);
      expect(result.canary).toMatchObject({ outcome });
      expect(result.canary!.rows[0]!.reasons).toEqual(['served 30 request(s), fewer than min-requests 100']);
    },
  );
});
