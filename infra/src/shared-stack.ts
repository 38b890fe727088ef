/**
 * What every environment shares: the GitHub OIDC provider, the ECR repository, the role that pushes to it
 * (deploy.yml's build job), the nightly scan's role, and the notification topic with the account's alarms.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  CfnRepository,
  ImageTagMutabilityExclusionFilter,
  Repository,
  TagMutability,
  TagStatus,
} from 'aws-cdk-lib/aws-ecr';
import { OidcProviderNative, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { parameterArn, repositoryArn } from './arns.js';
import type { InfraConfig } from './config.js';
import { GitHubRole, githubSubject } from './github-role.js';
import { pushPolicy, scanPolicy } from './policies.js';

export class SharedStack extends Stack {
  readonly providerArn: string;
  readonly repository: Repository;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, config: InfraConfig, props?: StackProps) {
    super(scope, id, props);

    this.providerArn =
      config.oidcProviderArn ??
      new OidcProviderNative(this, 'GitHubOidc', {
        url: 'https://token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
      }).oidcProviderArn;

    this.repository = new Repository(this, 'Repository', {
      repositoryName: config.repository,
      imageTagMutability: TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: config.mutableTags.map((tag) =>
        ImageTagMutabilityExclusionFilter.wildcard(tag),
      ),
      imageScanOnPush: true,
      // The rule ecr-push writes for `lifecycle-policy: keep-last=N`.
      lifecycleRules: [
        {
          rulePriority: 1,
          description: `Keep the last ${config.keepImages} images`,
          tagStatus: TagStatus.ANY,
          maxImageCount: config.keepImages,
        },
      ],
    });

    // AES256 is ECR's default; written out so the template states it.
    (this.repository.node.defaultChild as CfnRepository).encryptionConfiguration = {
      encryptionType: 'AES256',
    };

    const ecrArn = repositoryArn(this, config.repository);
    const push = new GitHubRole(this, 'PushRole', {
      providerArn: this.providerArn,
      subject: githubSubject(config.owner, config.repo, { branch: config.pushBranch }),
      description: `ecr-push from ${config.owner}/${config.repo}@${config.pushBranch} to ${config.repository}`,
      policy: pushPolicy(ecrArn),
    });
    const scanRelease = config.environments.find((e) => e.name === config.scanEnvironment)!.releaseParameter;
    const scan = new GitHubRole(this, 'ScanRole', {
      providerArn: this.providerArn,
      subject: githubSubject(config.owner, config.repo, { branch: config.pushBranch }),
      description: `nightly rescan of the ${config.scanEnvironment} release of ${config.owner}/${config.repo}`,
      policy: scanPolicy(ecrArn, parameterArn(this, scanRelease)),
    });
    for (const role of [push.role, scan.role]) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken has no resource-level permissions; it only returns a registry login.',
      });
    }

    // Alarms publish through CloudWatch, which needs the key of an encrypted topic.
    const topicKey = new Key(this, 'NotificationsKey', {
      enableKeyRotation: true,
      description: 'Encrypts the deploy notifications topic',
    });
    topicKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Notifications', {
      displayName: `${config.service} deploys`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (config.notificationEmail) this.topic.addSubscription(new EmailSubscription(config.notificationEmail));

    const alarm = (alarmId: string, description: string, metric: Metric | MathExpression) =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(this.topic));
    const runCommand = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SSM-RunCommand',
        metricName,
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    alarm(
      'CommandsFailed',
      'A Run Command invocation (an ssm-rollout wave) failed',
      runCommand('CommandsFailed'),
    );
    alarm(
      'CommandsDeliveryTimedOut',
      'A Run Command invocation was never delivered (instance offline)',
      runCommand('CommandsDeliveryTimedOut'),
    );
    alarm(
      'InstanceStatusCheckFailed',
      'An EC2 instance in this region fails its system or instance status check',
      new MathExpression({
        expression: 'SELECT MAX(StatusCheckFailed) FROM SCHEMA("AWS/EC2", InstanceId)',
        period: Duration.minutes(5),
        label: 'StatusCheckFailed (worst instance)',
      }),
    );

    new CfnOutput(this, 'PushRoleArn', {
      value: push.role.roleArn,
      description: 'Repository variable AWS_PUSH_ROLE_ARN (deploy.yml build job)',
    });
    new CfnOutput(this, 'ScanRoleArn', {
      value: scan.role.roleArn,
      description: 'Repository variable AWS_SCAN_ROLE_ARN (security.yml)',
    });
    new CfnOutput(this, 'RepositoryUri', { value: this.repository.repositoryUri });
    new CfnOutput(this, 'NotificationsTopicArn', { value: this.topic.topicArn });
  }
}
