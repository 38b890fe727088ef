import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { Registry } from 'prom-client';
import { bake, parseSample, SSM_OUTPUT_LIMIT, type Invocation, type Sampler } from '../src/canary.js';
import type { CanaryPolicy } from '../src/canary-policy.js';
import { clock } from './helpers/fake-ssm.js';
import { MetricsService as Service } from './helpers/metrics-service.js';

const NEW = 'repo@sha256:new';
const OLD = 'repo@sha256:old';
const POLICY: CanaryPolicy = {
  maxErrorShare: 0.01,
  maxLatencySeconds: 0.5,
  minRequests: 100,
  insufficientTraffic: 'fail',
};

/** A sampler over services by instance ID; `between` runs after the first reading (the traffic of the bake). */
function sampler(
  services: Record<string, Service | Invocation>,
  between: () => void,
): { sample: Sampler; calls: string[][] } {
  const calls: string[][] = [];
  const sample: Sampler = async (ids) => {
    calls.push(ids);
    const out = new Map<string, Invocation>();
    for (const id of ids) {
      const s = services[id]!;
      out.set(id, s instanceof Service ? { status: 'Success', output: await s.output() } : s);
    }
    if (calls.length === 1) between();
    return out;
  };
  return { sample, calls };
}

const deps = () => ({ ...clock(), log: () => undefined });
const excludeHealth = { include: (labels: Readonly<Record<string, string>>) => labels.route !== '/health' };

describe('a metrics command output', () => {
  test('when it carries the image and the metrics, then both are read', async () => {
    const service = new Service(NEW);
    service.serve(3, '/cases', 200, 0.02);
    const sample = parseSample({ status: 'Success', output: await service.output() });
    expect(sample.image).toBe(NEW);
    expect(
      'exposition' in sample &&
        sample.exposition.samples.some((s) => s.name === 'http_request_duration_seconds_count'),
    ).toBe(true);
  });

  test.each<[string, Invocation | undefined, string]>([
    ['no invocation', undefined, 'no answer from the metrics command'],
    [
      'the script said why',
      {
        status: 'Failed',
        output: `SSM_ROLLOUT_IMAGE=${NEW}\nSSM_ROLLOUT_METRICS_ERROR=GET http://127.0.0.1:80/metrics answered 401\n`,
      },
      'GET http://127.0.0.1:80/metrics answered 401',
    ],
    [
      'a command that ended otherwise',
      { status: 'TimedOut', output: 'pulling\nstill waiting\n' },
      'the metrics command ended TimedOut: pulling / still waiting',
    ],
    [
      'an undelivered command',
      { status: 'Undeliverable', output: '' },
      'the metrics command ended Undeliverable',
    ],
    [
      'output that is not gzip',
      { status: 'Success', output: 'SSM_ROLLOUT_METRICS=bm90IGd6aXA=\n' },
      'the metrics could not be read: not gzip data',
    ],
    [
      'metrics that are not the text format',
      { status: 'Success', output: `SSM_ROLLOUT_METRICS=${gzipSync('up{ 1\n').toString('base64')}\n` },
      'the metrics could not be read: Prometheus text format, line 1:',
    ],
    [
      "output cut at Run Command's limit",
      { status: 'Success', output: `SSM_ROLLOUT_METRICS=${'A'.repeat(SSM_OUTPUT_LIMIT)}` },
      `the metrics were cut off at Run Command's ${SSM_OUTPUT_LIMIT} characters of output`,
    ],
  ])('when it is %s, then the problem says so', (_what, invocation, problem) => {
    const sample = parseSample(invocation);
    expect('problem' in sample && sample.problem).toContain(problem);
  });
});

describe('the bake', () => {
  test('when the canary answers 10 % 5xx and the baseline none, then the figures are the hand-computed ones and the canary fails', async () => {
    const canary = new Service(NEW);
    const bases = [new Service(OLD), new Service(OLD)];
    canary.serve(40, '/cases', 200, 0.02); // before the bake: not in the window
    const { sample, calls } = sampler({ 'i-c': canary, 'i-b1': bases[0]!, 'i-b2': bases[1]! }, () => {
      canary.serve(90, '/cases', 200, 0.02);
      canary.serve(10, '/cases', 500, 0.02);
      canary.serve(50, '/health', 200, 0.001); // probes: left out
      for (const b of bases) b.serve(100, '/cases', 200, 0.003);
    });
    const d = deps();
    const report = await bake(d, sample, {
      canaryIds: ['i-c'],
      baselineIds: ['i-b1', 'i-b2'],
      bakeMs: 300_000,
      policy: POLICY,
      window: excludeHealth,
    });
    expect(calls).toEqual([
      ['i-c', 'i-b1', 'i-b2'],
      ['i-c', 'i-b1', 'i-b2'],
    ]);
    expect(d.sleeps).toEqual([300_000]);
    expect(report.windowMs).toBe(300_000);
    // Canary: 100 requests in (0.01, 0.025]; the 95th: 0.01 + 0.015 * 95/100 = 0.02425.
    expect(report.rows[0]).toMatchObject({
      instanceId: 'i-c',
      role: 'canary',
      image: NEW,
      verdict: 'failed',
    });
    expect(report.rows[0]!.stats).toEqual({
      requests: 100,
      errors: 10,
      errorShare: 0.1,
      latency: 0.02425,
      restarted: false,
    });
    // Baseline pooled: 200 requests in (0, 0.005]; the 190th: 0.005 * 190/200 = 0.00475.
    expect(report.baseline).toEqual({
      requests: 200,
      errors: 0,
      errorShare: 0,
      latency: 0.00475,
      restarted: false,
    });
    expect(report.rows.slice(1).map((r) => [r.instanceId, r.verdict, r.stats?.requests])).toEqual([
      ['i-b1', 'baseline', 100],
      ['i-b2', 'baseline', 100],
    ]);
    expect(report).toMatchObject({
      promote: false,
      outcome: 'failed',
      canaryIds: ['i-c'],
      baselineIds: ['i-b1', 'i-b2'],
    });
  });

  test('when the canary is healthy, then it is promoted', async () => {
    const canary = new Service(NEW);
    const { sample } = sampler({ 'i-c': canary }, () => canary.serve(150, '/cases', 200, 0.04));
    const report = await bake(deps(), sample, {
      canaryIds: ['i-c'],
      baselineIds: [],
      bakeMs: 1000,
      policy: POLICY,
      window: excludeHealth,
    });
    expect(report).toMatchObject({ promote: true, outcome: 'passed' });
  });

  test('when the container changed between the readings, then the instance is unreadable with the reason', async () => {
    const before = new Service(NEW);
    const after = new Service(OLD);
    const services: Record<string, Service> = { 'i-c': before };
    const { sample } = sampler(services, () => (services['i-c'] = after));
    const report = await bake(deps(), sample, {
      canaryIds: ['i-c'],
      baselineIds: [],
      bakeMs: 1000,
      policy: POLICY,
      window: {},
    });
    expect(report.rows[0]).toMatchObject({
      verdict: 'unreadable',
      reasons: [`its container changed during the bake (${NEW} → ${OLD})`],
    });
    expect(report.promote).toBe(false);
  });

  test('when the metrics lack the request histogram, then the reason names it', async () => {
    const other = new Registry();
    const output = `SSM_ROLLOUT_IMAGE=${NEW}\nSSM_ROLLOUT_METRICS=${gzipSync(await other.metrics()).toString('base64')}\n`;
    const { sample } = sampler({ 'i-c': { status: 'Success', output } }, () => undefined);
    const report = await bake(deps(), sample, {
      canaryIds: ['i-c'],
      baselineIds: [],
      bakeMs: 1000,
      policy: POLICY,
      window: {},
    });
    expect(report.rows[0]!.reasons[0]).toMatch(
      /^The metrics have no histogram 'http_request_duration_seconds'/,
    );
  });

  test('when the second reading fails, then the instance is unreadable and the reason says which reading', async () => {
    const canary = new Service(NEW);
    const services: Record<string, Service | Invocation> = { 'i-c': canary };
    const { sample } = sampler(services, () => {
      services['i-c'] = {
        status: 'Failed',
        output: 'SSM_ROLLOUT_METRICS_ERROR=GET http://127.0.0.1:80/metrics: Connection refused\n',
      };
    });
    const report = await bake(deps(), sample, {
      canaryIds: ['i-c'],
      baselineIds: [],
      bakeMs: 1000,
      policy: POLICY,
      window: {},
    });
    expect(report.rows[0]!.reasons).toEqual([
      'second reading: GET http://127.0.0.1:80/metrics: Connection refused',
    ]);
  });
});
