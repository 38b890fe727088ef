/**
 * Least privilege by simulation: the IAM requests the action-tests recorded (infra/test/fixtures/recorded-calls,
 * written by `npm run infra:record`; the action-tests fail when the actions make a call not in them) are
 * evaluated with @cloud-copilot/iam-simulate against the role policies of the synthesized templates.
 * Every recorded call must be allowed, every action of a policy must be used by a recorded call, and a table
 * of calls outside each role's job must be denied.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { RecordedCall } from '../../action-tests/helpers/iam-recording.js';
import { environmentDefaults, type InfraConfig } from '../src/config.js';
import { exampleConfig, synthesize } from './deployment.js';
import { decide, type Decision } from './simulate.js';
import {
  keyPolicies,
  rolePolicies,
  roleNamed,
  type PolicyDocument,
  type RolePolicies,
  type Where,
} from './template-policies.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`fixtures/recorded-calls/${name}.json`, import.meta.url), 'utf8'),
  ) as RecordedCall[];

const ACCOUNT = '123456789012';

/** The roles of one synthesized deployment, with their resolved policies. */
function roles(config: InfraConfig, keyIds: Record<string, string> = {}) {
  const { templates } = synthesize(config);
  const where = (region: string): Where => ({ account: ACCOUNT, region, keyIds });
  const of = (stack: string) => {
    const template = templates.get(stack)!.toJSON() as Parameters<typeof rolePolicies>[0];
    // The environment's KMS key gets the key ID the test world used, whatever CDK's logical ID is.
    const keys = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::KMS::Key')
      .map(([id]) => id);
    const ids = Object.fromEntries(
      keys.map((id) => [id, keyIds[id.replace(/[A-F0-9]{8}$/, '')] ?? `${stack}-${id}`.toLowerCase()]),
    );
    const resolved = { ...where(config.region!), keyIds: ids };
    for (const [arn, policy] of keyPolicies(template, resolved)) resourcePolicies.set(arn, policy);
    return rolePolicies(template, resolved);
  };
  return { of };
}

/** KMS key policies of every stack synthesized here, by key ARN: KMS applies IAM policies only through them. */
const resourcePolicies = new Map<string, PolicyDocument>();

async function decision(
  role: RolePolicies,
  call: Omit<RecordedCall, 'test' | 'principal'>,
): Promise<Decision> {
  const account = /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(call.resource)?.[1] ?? ACCOUNT;
  return decide(
    {
      principal: role.arn,
      action: call.action,
      resource: call.resource,
      resourceAccount: account,
      context: call.context,
    },
    { identity: role.identity, resourcePolicy: resourcePolicies.get(call.resource) },
  );
}

function actionsOf(role: RolePolicies): Set<string> {
  const actions = new Set<string>();
  for (const policy of role.identity)
    for (const statement of policy.Statement)
      for (const action of [statement.Action].flat()) actions.add(String(action));
  return actions;
}

/**
 * Calls the ecr-push tests make that deploy.yml's push never makes, each with why: the role must deny them.
 * The stack creates the repository with its settings, so ecr-push finds it (DescribeRepositories) and
 * neither creates it nor writes its lifecycle policy.
 */
const OUTSIDE_THE_PUSH_ROLE: Record<string, string> = {
  'ecr:CreateRepository': 'the stack creates the repository',
  'ecr:PutLifecyclePolicy': 'the stack sets the lifecycle rule when it creates the repository',
};

describe('the push role against the calls the ecr-push action-tests recorded', () => {
  const calls = fixture('ecr-push');
  // Each test pushes to its own repository (team/...): each is checked against a stack made for it.
  const repositories = [
    ...new Set(calls.map((c) => /repository\/(.+)$/.exec(c.resource)?.[1]).filter(Boolean)),
  ] as string[];
  const pushRoles = new Map<string, RolePolicies>();

  beforeAll(() => {
    for (const repository of repositories) {
      const config = exampleConfig({ region: 'us-east-1', repository });
      pushRoles.set(repository, roleNamed(roles(config).of('shared'), 'PushRole'));
    }
  });

  test('when the fixture is read, then it holds the calls of a push (login, describe, tag lookup, layer and manifest upload)', () => {
    expect(new Set(calls.map((c) => c.action))).toEqual(
      new Set([
        'ecr:GetAuthorizationToken',
        'ecr:DescribeRepositories',
        'ecr:BatchGetImage',
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:CreateRepository',
        'ecr:PutLifecyclePolicy',
      ]),
    );
  });

  test('when each recorded call is simulated, then the push role of a stack for that repository allows it, except repository creation, which it denies', async () => {
    const outcomes: string[] = [];
    for (const call of calls) {
      const repository = /repository\/(.+)$/.exec(call.resource)?.[1];
      const role = pushRoles.get(repository ?? repositories[0]!)!;
      const expected = OUTSIDE_THE_PUSH_ROLE[call.action] ? 'ImplicitlyDenied' : 'Allowed';
      const got = await decision(role, call);
      if (got !== expected)
        outcomes.push(`${call.action} ${call.resource}: ${got}, expected ${expected} (${call.test})`);
    }
    expect(outcomes).toEqual([]);
  });

  test('when the push role is read, then each of its actions is used by a recorded call it allows', () => {
    const used = new Set(calls.filter((c) => !OUTSIDE_THE_PUSH_ROLE[c.action]).map((c) => c.action));
    expect([...actionsOf(pushRoles.get(repositories[0]!)!)].filter((a) => !used.has(a))).toEqual([]);
  });
});

/** The deployment the ssm-rollout action-tests rehearse (their inputs and stand-in instances). */
function rolloutWorld(): InfraConfig {
  const config = exampleConfig({ service: 'legal-api', repository: 'legal-api', environments: 'prod' });
  return {
    ...config,
    environments: [
      {
        ...environmentDefaults('legal-api', 'prod'),
        parametersPath: '/legal-api/prod',
        releaseParameter: '/legal-api/prod/release',
        lockParameter: '/ssm-rollout/locks/legal-api', // ssm-rollout's default for container-name legal-api
      },
    ],
  };
}

describe('the deploy and instance roles against the calls the ssm-rollout action-tests recorded', () => {
  const calls = fixture('ssm-rollout');
  let deployRole: RolePolicies;
  let instanceRole: RolePolicies;

  beforeAll(() => {
    // The SecureString of the tests is encrypted with this key; in the stack it is the environment's key.
    const stackRoles = roles(rolloutWorld(), { ParametersKey: '1234abcd-12ab-34cd-56ef-1234567890ab' }).of(
      'prod',
    );
    deployRole = roleNamed(stackRoles, 'DeployRole');
    instanceRole = roleNamed(stackRoles, 'InstanceRole');
  });

  test('when each recorded call is simulated, then the role that made it (workflow: deploy role, instance: instance role) allows it', async () => {
    const denied: string[] = [];
    for (const call of calls) {
      const role = call.principal === 'workflow' ? deployRole : instanceRole;
      const got = await decision(role, call);
      if (got !== 'Allowed')
        denied.push(`${call.principal} ${call.action} ${call.resource}: ${got} (${call.test})`);
    }
    expect(denied).toEqual([]);
  });

  test('when the roles are read, then each of their actions is used by a recorded call', () => {
    for (const [principal, role] of [
      ['workflow', deployRole],
      ['instance', instanceRole],
    ] as const) {
      const used = new Set(calls.filter((c) => c.principal === principal).map((c) => c.action));
      expect({ principal, unused: [...actionsOf(role)].filter((a) => !used.has(a)) }).toEqual({
        principal,
        unused: [],
      });
    }
  });
});

/**
 * security.yml's `live` step, as IAM requests of the scan role: `aws ssm get-parameter` of the production
 * release, `aws ecr get-login-password`, `docker pull` of the image (manifest, then layers).
 */
const SCAN_COMMANDS = [
  'aws ssm get-parameter --name /legal-service/production/release',
  'aws ecr get-login-password',
  'docker pull "$image"',
];
const scanCalls = (region: string) => [
  {
    action: 'ssm:GetParameter',
    resource: `arn:aws:ssm:${region}:${ACCOUNT}:parameter/legal-service/production/release`,
    context: {},
  },
  { action: 'ecr:GetAuthorizationToken', resource: '*', context: {} },
  {
    action: 'ecr:BatchGetImage',
    resource: `arn:aws:ecr:${region}:${ACCOUNT}:repository/legal-service`,
    context: {},
  },
  {
    action: 'ecr:GetDownloadUrlForLayer',
    resource: `arn:aws:ecr:${region}:${ACCOUNT}:repository/legal-service`,
    context: {},
  },
];

describe('the example deployment (deploy.yml, security.yml) against calls outside each role', () => {
  const config = exampleConfig();
  const region = config.region!;
  const other = { instance: `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-0bbbbbbbbbbbbbbb1` };
  let shared: Map<string, RolePolicies>;
  let staging: Map<string, RolePolicies>;
  let production: Map<string, RolePolicies>;

  beforeAll(() => {
    const r = roles(config);
    shared = r.of('shared');
    staging = r.of('staging');
    production = r.of('production');
  });

  test("when security.yml's live step is read, then it makes exactly the calls the scan role is checked with", () => {
    const workflow = readFileSync(new URL('../../.github/workflows/security.yml', import.meta.url), 'utf8');
    for (const command of SCAN_COMMANDS) expect(workflow).toContain(command);
  });

  test('when the scan calls are simulated, then the scan role allows them and has no other action', async () => {
    const scan = roleNamed(shared, 'ScanRole');
    for (const call of scanCalls(region)) expect(await decision(scan, call)).toBe('Allowed');
    expect([...actionsOf(scan)].sort()).toEqual([...new Set(scanCalls(region).map((c) => c.action))].sort());
  });

  const param = (name: string) => `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name}`;
  const repo = (name: string, account = ACCOUNT) => `arn:aws:ecr:${region}:${account}:repository/${name}`;
  const env = (tag?: string): Record<string, string> =>
    tag ? { 'ssm:resourceTag/Environment': tag, 'aws:ResourceTag/Environment': tag } : {};

  type Denial = [
    who: 'push' | 'scan' | 'staging' | 'staging-instance',
    action: string,
    resource: string,
    why: string,
    context: Record<string, string>,
  ];
  const denials: Denial[] = [
    ['push', 'ecr:PutImage', repo('other-service'), 'another repository', {}],
    ['push', 'ecr:PutImage', repo('legal-service', '210987654321'), 'the same name in another account', {}],
    ['push', 'ecr:BatchDeleteImage', repo('legal-service'), 'deleting images', {}],
    ['push', 'ecr:CreateRepository', repo('legal-service'), 'creating the repository (the stack does)', {}],
    ['push', 'ssm:SendCommand', `arn:aws:ssm:${region}::document/AWS-RunShellScript`, 'a rollout', {}],
    ['staging', 'ssm:SendCommand', other.instance, 'an instance of production', env('production')],
    ['staging', 'ssm:SendCommand', other.instance, 'an instance without the environment tag', env()],
    [
      'staging',
      'ssm:SendCommand',
      other.instance,
      'the environment name under another tag',
      { 'ssm:resourceTag/Role': 'staging' },
    ],
    [
      'staging',
      'ssm:SendCommand',
      `arn:aws:ssm:${region}::document/AWS-RunPowerShellScript`,
      'another SSM document',
      {},
    ],
    [
      'staging',
      'ssm:SendCommand',
      `arn:aws:ssm:${region}:${ACCOUNT}:document/Anything`,
      'a document of the account',
      {},
    ],
    [
      'staging',
      'ssm:PutParameter',
      param('/legal-service/production/release'),
      "production's release record",
      {},
    ],
    ['staging', 'ssm:DeleteParameter', param('/legal-service/production/lock'), "production's lock", {}],
    [
      'staging',
      'ssm:PutParameter',
      param('/legal-service/staging/env/DATABASE_URL'),
      "its own environment's values",
      {},
    ],
    [
      'staging',
      'ssm:GetParameter',
      param('/legal-service/staging/env/DATABASE_URL'),
      'reading an environment value',
      {},
    ],
    [
      'staging',
      'ssm:DeleteParameter',
      param('/legal-service/staging/release'),
      'deleting the release record',
      {},
    ],
    ['staging', 'ecr:PutImage', repo('legal-service'), 'pushing an image', {}],
    ['staging', 'ssm:StartSession', other.instance, 'a shell on an instance', env('staging')],
    [
      'staging-instance',
      'ssm:GetParametersByPath',
      param('/legal-service/production/env'),
      "production's environment",
      {},
    ],
    [
      'staging-instance',
      'ssm:PutParameter',
      param('/legal-service/staging/release'),
      'writing a parameter',
      {},
    ],
    ['staging-instance', 'ecr:PutImage', repo('legal-service'), 'pushing an image', {}],
    ['staging-instance', 'ecr:BatchGetImage', repo('other-service'), 'pulling from another repository', {}],
    [
      'scan',
      'ssm:GetParameter',
      param('/legal-service/production/env/DATABASE_URL'),
      "production's environment values",
      {},
    ],
    ['scan', 'ecr:PutImage', repo('legal-service'), 'pushing an image', {}],
  ];

  test.each(denials)(
    'when the %s role calls %s on %s, then it is denied: %s',
    async (who, action, resource, _why, context) => {
      const role =
        who === 'push'
          ? roleNamed(shared, 'PushRole')
          : who === 'scan'
            ? roleNamed(shared, 'ScanRole')
            : who === 'staging'
              ? roleNamed(staging, 'DeployRole')
              : roleNamed(staging, 'InstanceRole');
      expect(await decision(role, { action, resource, context })).toBe('ImplicitlyDenied');
    },
  );

  test("when a staging instance asks SSM to decrypt production's SecureString, or its own outside SSM, then KMS denies it", async () => {
    const instance = roleNamed(staging, 'InstanceRole');
    const decrypt = instance.identity.flatMap((p) => p.Statement).find((s) => s.Action === 'kms:Decrypt')!;
    const stagingKey = String(decrypt.Resource);
    const productionKey = String(
      roleNamed(production, 'InstanceRole')
        .identity.flatMap((p) => p.Statement)
        .find((s) => s.Action === 'kms:Decrypt')!.Resource,
    );
    const viaSsm = (name: string) => ({
      'kms:ViaService': `ssm.${region}.amazonaws.com`,
      'kms:EncryptionContext:PARAMETER_ARN': param(name),
    });
    expect(productionKey).not.toBe(stagingKey);
    expect(
      await decision(instance, {
        action: 'kms:Decrypt',
        resource: stagingKey,
        context: viaSsm('/legal-service/staging/env/DATABASE_URL'),
      }),
    ).toBe('Allowed');
    expect(
      await decision(instance, {
        action: 'kms:Decrypt',
        resource: productionKey,
        context: viaSsm('/legal-service/production/env/DATABASE_URL'),
      }),
    ).toBe('ImplicitlyDenied');
    expect(
      await decision(instance, {
        action: 'kms:Decrypt',
        resource: stagingKey,
        context: viaSsm('/legal-service/production/env/DATABASE_URL'),
      }),
    ).toBe('ImplicitlyDenied');
    expect(await decision(instance, { action: 'kms:Decrypt', resource: stagingKey, context: {} })).toBe(
      'ImplicitlyDenied',
    );
  });

  const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const token = (sub: string, aud = 'sts.amazonaws.com') => ({
    'token.actions.githubusercontent.com:sub': sub,
    'token.actions.githubusercontent.com:aud': aud,
  });
  const assume = (role: RolePolicies, context: Record<string, string>) =>
    decide(
      {
        principal: provider,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: role.arn,
        resourceAccount: ACCOUNT,
        context,
      },
      { identity: [], trustPolicy: role.trust },
    );

  test.each([
    ['repo:example-org/shipwright:environment:production', 'sts.amazonaws.com', 'production', 'Allowed'],
    [
      'repo:example-org/shipwright:environment:staging',
      'sts.amazonaws.com',
      'production',
      'ImplicitlyDenied',
    ],
    ['repo:example-org/shipwright:environment:staging', 'sts.amazonaws.com', 'staging', 'Allowed'],
    ['repo:example-org/shipwright:ref:refs/heads/main', 'sts.amazonaws.com', 'staging', 'ImplicitlyDenied'],
    ['repo:example-org/other:environment:staging', 'sts.amazonaws.com', 'staging', 'ImplicitlyDenied'],
    ['repo:example-org/shipwright:environment:staging', 'https://example.com', 'staging', 'ImplicitlyDenied'],
    ['repo:example-org/shipwright:ref:refs/heads/main', 'sts.amazonaws.com', 'push', 'Allowed'],
    ['repo:example-org/shipwright:ref:refs/heads/feature', 'sts.amazonaws.com', 'push', 'ImplicitlyDenied'],
    ['repo:example-org/shipwright:pull_request', 'sts.amazonaws.com', 'push', 'ImplicitlyDenied'],
    ['repo:example-org/shipwright:environment:production', 'sts.amazonaws.com', 'push', 'ImplicitlyDenied'],
  ] as const)(
    'when a token with sub %s and aud %s asks for the %s role, then it is %s',
    async (sub, aud, which, expected) => {
      const role =
        which === 'push'
          ? roleNamed(shared, 'PushRole')
          : which === 'staging'
            ? roleNamed(staging, 'DeployRole')
            : roleNamed(production, 'DeployRole');
      expect(await assume(role, token(sub, aud))).toBe(expected);
    },
  );
});
