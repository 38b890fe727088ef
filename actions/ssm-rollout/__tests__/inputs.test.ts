import { describe, expect, test } from '@jest/globals';
import { inputVariables } from '../../../stand-ins/runner-files.js';
import { getInputs } from '../src/inputs.js';
import { parseImage } from '../src/image.js';

const DIGEST = `sha256:${'0'.repeat(64)}`;
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api@${DIGEST}`;
const valid: Record<string, string> = {
  targets: 'i-0123456789abcdef0\ntag:Role=web',
  image: IMAGE,
  'container-name': 'legal-api',
  'container-port': '3000',
};
/** The valid inputs with `overrides`; an undefined one is left out. */
const env = (overrides: Record<string, string | undefined>): NodeJS.ProcessEnv => {
  const given = Object.entries({ ...valid, ...overrides }).filter(([, v]) => v !== undefined);
  return { AWS_REGION: 'eu-west-1', ...inputVariables(Object.fromEntries(given) as Record<string, string>) };
};

describe('inputs', () => {
  test('when only the required inputs are set, then the defaults apply', () => {
    const inputs = getInputs(env({}));
    expect(inputs).toMatchObject({
      hostPort: 3000,
      healthPath: '/health',
      healthTimeoutMs: 60_000,
      runtime: 'docker',
      registryLogin: true,
      strategy: 'canary',
      batchSize: undefined,
      minHealthy: { kind: 'count', value: 0 },
      skipOffline: false,
      commandTimeoutMs: 600_000,
      rollback: true,
      commit: '',
      allowDowngrade: false,
      restoreOnCancel: true,
      dryRun: false,
      region: 'eu-west-1',
    });
    expect(inputs.targets).toEqual([
      { kind: 'instance', id: 'i-0123456789abcdef0' },
      { kind: 'tag', key: 'Role', value: 'web' },
    ]);
  });

  test.each<[string, string | undefined, RegExp]>([
    ['targets', undefined, /^Input 'targets': is required but was empty or not set\.$/],
    ['targets', 'web-1', /^Input 'targets': expected instance IDs .* got 'web-1'\.$/],
    ['image', undefined, /^Input 'image': is required/],
    [
      'image',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api:latest',
      /^Input 'image': '.*:latest' is not pinned to a digest\. .*allow-mutable-image: true\.$/,
    ],
    [
      'image',
      'legal-api@sha256:abc',
      /^Input 'image': the digest in 'legal-api@sha256:abc' is not sha256: followed by 64 lowercase hex characters\.$/,
    ],
    ['image', `Legal API@${DIGEST}`, /^Input 'image': '.*' is not a valid image reference/],
    [
      'container-name',
      'legal api',
      /^Input 'container-name': expected letters, digits, '_', '.' or '-' \(a container name\), got 'legal api'\.$/,
    ],
    ['container-name', 'a\nb', /^Input 'container-name': must not contain newlines or control characters/],
    ['container-port', '0', /^Input 'container-port': expected a whole number from 1 to 65535, got '0'\.$/],
    ['host-port', '70000', /^Input 'host-port': expected a whole number from 1 to 65535, got '70000'\.$/],
    [
      'health-path',
      'health',
      /^Input 'health-path': expected a URL path starting with \/ and without spaces, got 'health'\.$/,
    ],
    ['health-path', '/a\tb', /^Input 'health-path': must not contain newlines or control characters/],
    ['health-timeout', 'soon', /^Input 'health-timeout': expected a duration such as 30s/],
    [
      'health-timeout',
      '20m',
      /^Input 'health-timeout': \(1200s\) must be shorter than half of command-timeout \(600s\)/,
    ],
    [
      'command-timeout',
      '5s',
      /^Input 'command-timeout': expected a duration .* between 10s and 172800s, got '5s'\.$/,
    ],
    [
      'env-parameters-path',
      'legal-api/prod',
      /^Input 'env-parameters-path': expected a Parameter Store path such as \/legal-api\/prod/,
    ],
    ['env-parameters-path', '/legal api', /^Input 'env-parameters-path': expected a Parameter Store path/],
    [
      'container-runtime',
      'containerd',
      /^Input 'container-runtime': expected one of docker, podman, got 'containerd'\.$/,
    ],
    [
      'strategy',
      'blue-green',
      /^Input 'strategy': expected one of canary, one-at-a-time, half-at-a-time, all-at-once, got 'blue-green'\.$/,
    ],
    ['batch-size', 'many', /^Input 'batch-size': expected a whole number of at least 1 or a percentage/],
    [
      'min-healthy',
      '150%',
      /^Input 'min-healthy': expected a whole number or a percentage such as 25% \(0-100%\), got '150%'\.$/,
    ],
    ['rollback', 'yes', /^Input 'rollback': expected true or false, got 'yes'\.$/],
    ['skip-offline', 'maybe', /^Input 'skip-offline': expected true or false/],
    ['dry-run', '1', /^Input 'dry-run': expected true or false/],
    ['registry-login', 'no', /^Input 'registry-login': expected true or false/],
    ['allow-mutable-image', 'y', /^Input 'allow-mutable-image': expected true or false/],
    ['release-parameter', 'release name', /^Input 'release-parameter': expected a Parameter Store name/],
    [
      'commit',
      'abc1234',
      /^Input 'commit': expected the full 40-character SHA of the commit the image was built from \(default: the workflow's commit\), got 'abc1234'\.$/,
    ],
    ['commit', `${'A'.repeat(40)}`, /^Input 'commit': expected the full 40-character SHA/],
    ['allow-downgrade', 'please', /^Input 'allow-downgrade': expected true or false, got 'please'\.$/],
    [
      'restore-on-cancel',
      'sometimes',
      /^Input 'restore-on-cancel': expected true or false, got 'sometimes'\.$/,
    ],
    [
      'canary-bake',
      'a while',
      /^Input 'canary-bake': expected a duration such as 30s, 5m or 1h30m .*got 'a while'\.$/,
    ],
    ['canary-bake', '7h', /^Input 'canary-bake': expected a duration .* between 0s and 21600s, got '7h'\.$/],
    [
      'metrics-path',
      'metrics',
      /^Input 'metrics-path': expected a URL path starting with \/ and without spaces, got 'metrics'\.$/,
    ],
    ['metrics-path', '/a\nb', /^Input 'metrics-path': must not contain newlines or control characters/],
    ['metrics-port', '0', /^Input 'metrics-port': expected a whole number from 1 to 65535, got '0'\.$/],
    [
      'metrics-token-parameter',
      'METRICS TOKEN',
      /^Input 'metrics-token-parameter': expected a Parameter Store name/,
    ],
    [
      'max-error-rate',
      '1',
      /^Input 'max-error-rate': expected a percentage from 0% to 100% such as 1% or 0\.5%, got '1'\.$/,
    ],
    ['max-error-rate', '150%', /^Input 'max-error-rate': expected a percentage/],
    [
      'max-latency-p95',
      '500',
      /^Input 'max-latency-p95': expected a duration with its unit such as 500ms or 2s, got '500'\.$/,
    ],
    ['max-latency-p95', 'quick', /^Input 'max-latency-p95': expected a duration with its unit/],
    ['compare-to-baseline', 'auto', /^Input 'compare-to-baseline': expected true or false, got 'auto'\.$/],
    ['min-requests', '0', /^Input 'min-requests': expected a whole number from 1 to \d+, got '0'\.$/],
    ['min-requests', 'many', /^Input 'min-requests': expected a whole number/],
    [
      'insufficient-traffic',
      'wait',
      /^Input 'insufficient-traffic': expected one of promote, fail, got 'wait'\.$/,
    ],
    ['region', 'eu\nwest', /^Input 'region': must not contain newlines/],
    [
      'region',
      'Europe',
      /^Input 'region': expected an AWS region such as eu-west-1 or us-gov-west-1, got 'Europe'\.$/,
    ],
  ])('when %s is %j, then the error names the input and what was expected', (name, value, message) => {
    expect(() => getInputs(env({ [name]: value }))).toThrow(message);
  });

  test('when no canary input is set, then there is no bake and the analysis defaults are as documented', () => {
    expect(getInputs(env({ 'host-port': '8080' })).canary).toEqual({
      bakeMs: 0,
      metricsPath: '/metrics',
      metricsPort: 8080,
      tokenParameter: '',
      compareToBaseline: true,
      policy: {
        maxErrorShare: 0.01,
        maxLatencySeconds: undefined,
        minRequests: 100,
        insufficientTraffic: 'fail',
      },
    });
  });

  test('when every canary input is set, then each is read', () => {
    const inputs = getInputs(
      env({
        'canary-bake': '5m',
        'metrics-path': '/internal/metrics',
        'metrics-port': '9464',
        'metrics-token-parameter': '/legal-api/prod/METRICS_TOKEN',
        'max-error-rate': '0.5%',
        'max-latency-p95': '750ms',
        'compare-to-baseline': 'false',
        'min-requests': '20',
        'insufficient-traffic': 'promote',
      }),
    );
    expect(inputs.canary).toEqual({
      bakeMs: 300_000,
      metricsPath: '/internal/metrics',
      metricsPort: 9464,
      tokenParameter: '/legal-api/prod/METRICS_TOKEN',
      compareToBaseline: false,
      policy: {
        maxErrorShare: 0.005,
        maxLatencySeconds: 0.75,
        minRequests: 20,
        insufficientTraffic: 'promote',
      },
    });
  });

  test('when commit is not given, then it is the workflow commit (GITHUB_SHA); a given one wins', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const other = 'fedcba9876543210fedcba9876543210fedcba98';
    expect(getInputs({ ...env({}), GITHUB_SHA: sha }).commit).toBe(sha);
    expect(
      getInputs({ ...env({ commit: other, 'allow-downgrade': 'true' }), GITHUB_SHA: sha }),
    ).toMatchObject({
      commit: other,
      allowDowngrade: true,
    });
  });

  test('when a mutable tag is explicitly allowed, then it is accepted', () => {
    const inputs = getInputs(
      env({
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api:v1.2.3',
        'allow-mutable-image': 'true',
      }),
    );
    expect(inputs.image).toMatchObject({ tag: 'v1.2.3', digest: undefined, ecrRegion: 'eu-west-1' });
  });

  test('when the image is not in ECR and registry-login is on, then the error says to turn it off', () => {
    expect(() => getInputs(env({ image: `ghcr.io/acme/legal-api@${DIGEST}` }))).toThrow(
      "Input 'registry-login': is true but 'ghcr.io' is not an ECR registry; set registry-login: false for other registries.",
    );
    expect(
      getInputs(env({ image: `ghcr.io/acme/legal-api@${DIGEST}`, 'registry-login': 'false' })).image.registry,
    ).toBe('ghcr.io');
  });

  test('when no region is set anywhere, then the ECR registry region is used', () => {
    const e = env({});
    delete e.AWS_REGION;
    expect(getInputs(e).region).toBe('eu-west-1');
  });
});

describe('image references', () => {
  test.each([
    [
      IMAGE,
      {
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        repository: 'legal-api',
        digest: DIGEST,
        tag: undefined,
        ecrRegion: 'eu-west-1',
      },
    ],
    [
      `123456789012.dkr.ecr.us-east-2.amazonaws.com/team/api:v1@${DIGEST}`,
      { repository: 'team/api', tag: 'v1', digest: DIGEST, ecrRegion: 'us-east-2' },
    ],
    [`localhost:5000/app@${DIGEST}`, { registry: 'localhost:5000', repository: 'app', ecrRegion: undefined }],
    [`library/nginx@${DIGEST}`, { registry: '', repository: 'library/nginx' }],
  ])('when the image is %s, then it is split into its parts', (ref, parts) => {
    expect(parseImage(ref, { allowMutable: false })).toMatchObject(parts);
  });
});
