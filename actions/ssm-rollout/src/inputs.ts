/** ssm-rollout's inputs, read and checked in one place; values that reach the generated script are plain text. */
import { checkRegion } from '../../lib/aws.js';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getList,
  getString,
  InputError,
} from '../../lib/inputs.js';
import { INSUFFICIENT_TRAFFIC, parseLatency, parsePercent } from './canary-policy.js';
import { parseImage } from './image.js';
import { parseAmount, STRATEGIES } from './planner.js';
import type { DeployScriptOptions } from './script.js';
import { parseTargets } from './targets.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function plain(name: string, value: string): string {
  if (CONTROL.test(value)) {
    throw new InputError(
      name,
      'must not contain newlines or control characters (they could break the generated script).',
    );
  }
  return value;
}

function urlPath(name: string, value: string): string {
  if (!/^\/[^\s]*$/.test(plain(name, value))) {
    throw new InputError(name, `expected a URL path starting with / and without spaces, got '${value}'.`);
  }
  return value;
}

function parameterName(name: string, value: string): string {
  if (value && !/^[A-Za-z0-9_.\-/]{1,1011}$/.test(plain(name, value))) {
    throw new InputError(name, `expected a Parameter Store name (letters, digits, _ . - /), got '${value}'.`);
  }
  return value;
}

/** The canary analysis inputs (canary-bake 0: none of them is used). */
function getCanaryInputs(env: NodeJS.ProcessEnv, hostPort: number) {
  const bakeMs = getDuration('canary-bake', { default: '0', maxMs: 6 * 3_600_000, env });
  const latency = getString('max-latency-p95', { env });
  return {
    bakeMs,
    metricsPath: urlPath('metrics-path', getString('metrics-path', { default: '/metrics', env })),
    metricsPort: getInteger('metrics-port', { default: hostPort, min: 1, max: 65535, env }),
    tokenParameter: parameterName('metrics-token-parameter', getString('metrics-token-parameter', { env })),
    compareToBaseline: getBoolean('compare-to-baseline', { default: true, env }),
    policy: {
      maxErrorShare: parsePercent('max-error-rate', getString('max-error-rate', { default: '1%', env })),
      maxLatencySeconds: latency ? parseLatency('max-latency-p95', latency) : undefined,
      minRequests: getInteger('min-requests', { default: 100, min: 1, env }),
      insufficientTraffic: getEnum('insufficient-traffic', INSUFFICIENT_TRAFFIC, { default: 'fail', env }),
    },
  };
}

export function getInputs(env: NodeJS.ProcessEnv = process.env) {
  const targets = parseTargets(getList('targets', { required: true, comma: false, env }));
  const allowMutable = getBoolean('allow-mutable-image', { default: false, env });
  const image = parseImage(getString('image', { required: true, env }), { allowMutable });
  const containerName = plain('container-name', getString('container-name', { required: true, env }));
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(containerName)) {
    throw new InputError(
      'container-name',
      `expected letters, digits, '_', '.' or '-' (a container name), got '${containerName}'.`,
    );
  }
  const containerPort = getInteger('container-port', { required: true, min: 1, max: 65535, env });
  const hostPort = getInteger('host-port', { default: containerPort, min: 1, max: 65535, env });
  const healthPath = urlPath('health-path', getString('health-path', { default: '/health', env }));
  const healthTimeoutMs = getDuration('health-timeout', {
    default: '60s',
    minMs: 1000,
    maxMs: 3_600_000,
    env,
  });
  const envParametersPath = plain('env-parameters-path', getString('env-parameters-path', { env }));
  if (envParametersPath && !/^\/[A-Za-z0-9_.\-/]*$/.test(envParametersPath)) {
    throw new InputError(
      'env-parameters-path',
      `expected a Parameter Store path such as /legal-api/prod (starting with /; letters, digits, _ . - /), got '${envParametersPath}'.`,
    );
  }
  const runtime = getEnum('container-runtime', ['docker', 'podman'] as const, { default: 'docker', env });
  const registryLogin = getBoolean('registry-login', { default: true, env });
  const strategy = getEnum('strategy', STRATEGIES, { default: 'canary', env });
  const batchText = getString('batch-size', { env });
  const batchSize = batchText ? parseAmount('batch-size', batchText, { allowZero: false }) : undefined;
  const minHealthy = parseAmount('min-healthy', getString('min-healthy', { default: '0', env }), {
    allowZero: true,
  });
  const skipOffline = getBoolean('skip-offline', { default: false, env });
  const commandTimeoutMs = getDuration('command-timeout', {
    default: '10m',
    minMs: 10_000,
    maxMs: 172_800_000,
    env,
  });
  if (2 * healthTimeoutMs >= commandTimeoutMs) {
    throw new InputError(
      'health-timeout',
      `(${healthTimeoutMs / 1000}s) must be shorter than half of command-timeout (${commandTimeoutMs / 1000}s): the script may wait for the new container, then for the restored one, and needs time to pull.`,
    );
  }
  const rollback = getBoolean('rollback', { default: true, env });
  const canary = getCanaryInputs(env, hostPort);
  const releaseParameter = parameterName('release-parameter', getString('release-parameter', { env }));
  const commit = getString('commit', { env }) || env.GITHUB_SHA || '';
  if (commit !== '' && !/^[0-9a-f]{40}$/.test(commit)) {
    throw new InputError(
      'commit',
      `expected the full 40-character SHA of the commit the image was built from (default: the workflow's commit), got '${commit}'.`,
    );
  }
  const allowDowngrade = getBoolean('allow-downgrade', { default: false, env });
  const restoreOnCancel = getBoolean('restore-on-cancel', { default: true, env });
  const dryRun = getBoolean('dry-run', { default: false, env });
  const lockParameter = plain(
    'lock-parameter',
    getString('lock-parameter', { default: `/ssm-rollout/locks/${containerName}`, env }),
  );
  if (!/^\/[A-Za-z0-9_.\-/]{1,1010}$/.test(lockParameter)) {
    throw new InputError(
      'lock-parameter',
      `expected a Parameter Store name starting with /, got '${lockParameter}'.`,
    );
  }
  const region =
    checkRegion('region', plain('region', getString('region', { env }))) ||
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    image.ecrRegion ||
    '';
  if (!region) {
    throw new InputError(
      'region',
      'is needed: set it, or AWS_REGION (aws-actions/configure-aws-credentials does).',
    );
  }
  if (registryLogin && !image.ecrRegion) {
    throw new InputError(
      'registry-login',
      `is true but '${image.registry || 'docker.io'}' is not an ECR registry; set registry-login: false for other registries.`,
    );
  }
  return {
    targets,
    image,
    containerName,
    containerPort,
    hostPort,
    healthPath,
    healthTimeoutMs,
    envParametersPath,
    runtime,
    registryLogin,
    strategy,
    batchSize,
    minHealthy,
    skipOffline,
    commandTimeoutMs,
    rollback,
    releaseParameter,
    commit,
    allowDowngrade,
    restoreOnCancel,
    dryRun,
    lockParameter,
    region,
    canary,
  };
}

export type Inputs = ReturnType<typeof getInputs>;

/** The generated scripts' options from the inputs (the deploy and rollback scripts of one rollout). */
export function scriptOptions(inputs: Inputs, rolloutId: string): DeployScriptOptions {
  return {
    runtime: inputs.runtime,
    image: inputs.image.reference,
    registry: inputs.registryLogin ? inputs.image.registry : '',
    region: inputs.region ?? inputs.image.ecrRegion,
    ecrRegion: inputs.image.ecrRegion ?? inputs.region,
    containerName: inputs.containerName,
    containerPort: inputs.containerPort,
    hostPort: inputs.hostPort,
    healthPath: inputs.healthPath,
    healthTimeoutSeconds: Math.ceil(inputs.healthTimeoutMs / 1000),
    envParametersPath: inputs.envParametersPath,
    rolloutId,
    metricsPort: inputs.canary.metricsPort,
  };
}
