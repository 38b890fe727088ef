/**
 * The metrics script of the canary analysis, run by bash against a stand-in instance: a stand-in docker whose
 * containers serve prom-client metrics (behind METRICS_TOKEN when their environment has one), the stand-in
 * aws CLI for the token parameter, and the real curl.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { parseSample } from '../src/canary.js';
import { histogramSeries } from '../src/prometheus-text.js';
import {
  deployScript,
  metricsScript,
  runShellCommand,
  type DeployScriptOptions,
  type MetricsScriptOptions,
} from '../src/script.js';
import { haveCurl, haveShellcheck, shellcheck } from './helpers/shellcheck.js';
import { calls, createStandIn, stopAll, type StandIn } from '../../../stand-ins/instances.js';
import { freePort } from '../../../stand-ins/net.js';
import { runScript } from './helpers/run-script.js';

jest.setTimeout(60_000);
const live = haveCurl ? test : test.skip;

const NEW = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api@sha256:${'b'.repeat(64)}`;
const TOKEN = 'metrics-token-0123456789abcdef';
const HOSTILE = `we'ird "name" $(touch pwned-dollar) \`touch pwned-tick\` ; touch pwned-semi`;

const standIns: StandIn[] = [];
afterEach(() => {
  for (const s of standIns.splice(0)) {
    stopAll(s);
    rmSync(s.root, { recursive: true, force: true });
  }
});

/** A stand-in instance whose parameters hold the service's environment, METRICS_TOKEN among it. */
async function instance(parameters: Record<string, string> = { '/legal-api/prod/METRICS_TOKEN': TOKEN }) {
  const s = createStandIn(mkdtempSync(join(tmpdir(), 'ssm-rollout-metrics-')));
  standIns.push(s);
  const file = join(s.root, 'parameters.json');
  writeFileSync(file, JSON.stringify(parameters));
  s.env.FAKE_AWS_PARAMETERS = file;
  // curl as the script calls it, recorded: the token must never be one of its arguments.
  const curlLog = join(s.root, 'curl-args.log');
  writeFileSync(
    join(s.bin, 'curl'),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >>'${curlLog}'\nexec /usr/bin/curl "$@"\n`,
  );
  chmodSync(join(s.bin, 'curl'), 0o755);
  return { s, port: await freePort(), curlArgs: () => readFileSync(curlLog, 'utf8') };
}

function deployOptions(
  s: StandIn,
  port: number,
  overrides: Partial<DeployScriptOptions> = {},
): DeployScriptOptions {
  return {
    runtime: 'docker',
    image: NEW,
    registry: '',
    region: 'eu-west-1',
    containerName: 'legal-api',
    containerPort: 3000,
    hostPort: port,
    healthPath: '/health',
    healthTimeoutSeconds: 5,
    envParametersPath: '/legal-api/prod',
    stateDir: s.scriptState,
    probeIntervalSeconds: 0.2,
    rolloutId: 'run-1',
    ...overrides,
  };
}

function metricsOptions(port: number, overrides: Partial<MetricsScriptOptions> = {}): MetricsScriptOptions {
  return {
    runtime: 'docker',
    containerName: 'legal-api',
    metricsPort: port,
    metricsPath: '/metrics',
    tokenParameter: '/legal-api/prod/METRICS_TOKEN',
    region: 'eu-west-1',
    histogram: 'http_request_duration_seconds',
    ...overrides,
  };
}

async function deployed(overrides: Partial<DeployScriptOptions> = {}, parameters?: Record<string, string>) {
  const i = await instance(parameters);
  const run = await runScript('bash', deployScript(deployOptions(i.s, i.port, overrides)), i.s.env, i.s.root);
  expect(run.code).toBe(0);
  return i;
}

describe('the metrics script', () => {
  (haveShellcheck ? test : test.skip)(
    'when generated, even with hostile values, then shellcheck finds nothing',
    () => {
      for (const o of [
        metricsOptions(8080),
        metricsOptions(8080, { tokenParameter: '', runtime: 'podman' }),
        metricsOptions(8080, {
          containerName: HOSTILE,
          metricsPath: `/m?${HOSTILE}`,
          tokenParameter: HOSTILE,
          region: HOSTILE,
        }),
      ]) {
        expect(shellcheck(metricsScript(o))).toEqual({ status: 0, output: '' });
        expect(shellcheck(runShellCommand(metricsScript(o)), 'sh')).toEqual({ status: 0, output: '' });
      }
    },
  );

  live(
    "when the token parameter is set, then it reads the token on the instance, sends it on curl's stdin and prints the image and the histogram",
    async () => {
      const { s, port, curlArgs } = await deployed();
      for (const path of ['/cases', '/cases', '/health']) await fetch(`http://127.0.0.1:${port}${path}`);
      const script = metricsScript(metricsOptions(port));
      const run = await runScript('sh', runShellCommand(script), s.env, s.root);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const sample = parseSample({ status: 'Success', output: run.stdout });
      expect(sample.image).toBe(NEW);
      if (!('exposition' in sample)) throw new Error(sample.problem);
      const series = histogramSeries(sample.exposition, 'http_request_duration_seconds');
      const count = (route: string) => series.find((x) => x.labels.route === route)?.count;
      expect([count('/cases'), count('/health')]).toEqual([2, 2]); // /health: also the deploy's own probe
      // Only the histogram and the start time come back, not the rest of the scrape.
      expect(new Set(sample.exposition.samples.map((x) => x.name.replace(/_(bucket|count)$/, '')))).toEqual(
        new Set(['http_request_duration_seconds', 'process_start_time_seconds']),
      );
      for (const text of [script, run.stdout, run.stderr, curlArgs()]) expect(text).not.toContain(TOKEN);
      const awsCalls = readFileSync(join(s.root, 'aws-calls.log'), 'utf8');
      expect(awsCalls).toContain(
        JSON.stringify([
          'ssm',
          'get-parameter',
          '--region',
          'eu-west-1',
          '--name',
          '/legal-api/prod/METRICS_TOKEN',
          '--with-decryption',
          '--query',
          'Parameter.Value',
          '--output',
          'text',
        ]),
      );
    },
  );

  live('when the metrics need a token and none is configured, then it fails saying so (401)', async () => {
    const { s, port } = await deployed();
    const run = await runScript(
      'bash',
      metricsScript(metricsOptions(port, { tokenParameter: '' })),
      s.env,
      s.root,
    );
    expect(run.code).toBe(5);
    expect(parseSample({ status: 'Failed', output: run.stdout })).toEqual({
      image: NEW,
      problem: `GET http://127.0.0.1:${port}/metrics answered 401 (does it need a bearer token? metrics-token-parameter)`,
    });
  });

  live(
    'when the token parameter cannot be read, then it fails naming the parameter and the permissions',
    async () => {
      const { s, port } = await deployed();
      const run = await runScript(
        'bash',
        metricsScript(metricsOptions(port, { tokenParameter: '/legal-api/prod/MISSING' })),
        s.env,
        s.root,
      );
      expect(run.code).toBe(5);
      expect(run.stdout).toContain(
        'SSM_ROLLOUT_METRICS_ERROR=could not read /legal-api/prod/MISSING (the instance role needs ssm:GetParameter and kms:Decrypt on it)',
      );
    },
  );

  live(
    'when the token parameter holds a line break, then it refuses to send it and never prints it',
    async () => {
      const { s, port } = await deployed(
        {},
        { '/legal-api/prod/LOG_LEVEL': 'info', '/legal-api/metrics/TOKEN': `${TOKEN}\nX-Injected: yes` },
      );
      const o = metricsOptions(port, { tokenParameter: '/legal-api/metrics/TOKEN' });
      const run = await runScript('bash', metricsScript(o), s.env, s.root);
      expect(run.stdout).toContain('holds a line break; a bearer token is one line');
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    },
  );

  live("when nothing listens on the metrics port, then the reason is curl's", async () => {
    const { s, port } = await deployed();
    const closed = await freePort();
    const run = await runScript(
      'bash',
      metricsScript(metricsOptions(port, { metricsPort: closed })),
      s.env,
      s.root,
    );
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      new RegExp(`SSM_ROLLOUT_METRICS_ERROR=GET http://127.0.0.1:${closed}/metrics: curl: \\(7\\)`),
    );
  });

  live('when the container is not there, then it says so', async () => {
    const { s, port } = await instance();
    const run = await runScript('bash', metricsScript(metricsOptions(port)), s.env, s.root);
    expect(run.stdout).toBe(
      'SSM_ROLLOUT_IMAGE=\nSSM_ROLLOUT_METRICS_ERROR=there is no container legal-api on this instance\n',
    );
  });
});

describe('a metrics port of its own', () => {
  live(
    'when metrics-port differs from host-port, then the deploy publishes it too and the metrics are read there',
    async () => {
      const metricsPort = await freePort();
      const { s, port } = await deployed({ metricsPort });
      const run = calls(s).find((c) => c.args[0] === 'run')!;
      expect(run.args).toEqual(
        expect.arrayContaining(['--publish', `${port}:3000`, '--publish', `${metricsPort}:${metricsPort}`]),
      );
      const read = await runScript('bash', metricsScript(metricsOptions(metricsPort)), s.env, s.root);
      expect(read.code).toBe(0);
    },
  );

  live('when metrics-port is host-port, then only host-port is published', async () => {
    const { s, port } = await instance();
    const o = deployOptions(s, port, { metricsPort: port });
    expect((await runScript('bash', deployScript(o), s.env, s.root)).code).toBe(0);
    const run = calls(s).find((c) => c.args[0] === 'run')!;
    expect(run.args.filter((a) => a === '--publish')).toHaveLength(1);
  });
});
