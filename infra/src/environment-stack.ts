/**
 * One deployment environment: the role its deploy job assumes (ssm-rollout), the role and instance profile of
 * its EC2 hosts, and the KMS key that encrypts its SecureString parameters.
 */
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { InstanceProfile, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  anyInstanceArn,
  awsDocumentArn,
  githubOidcProviderArn,
  nagArn,
  parameterArn,
  repositoryArn,
} from './arns.js';
import type { EnvironmentConfig, InfraConfig } from './config.js';
import { GitHubRole, githubSubject } from './github-role.js';
import { deployPolicy, instancePolicy } from './policies.js';

export interface EnvironmentStackProps extends StackProps {
  config: InfraConfig;
  environment: EnvironmentConfig;
  /** An existing provider's ARN; by default the one the shared stack creates in this account. */
  providerArn?: string;
}

export class EnvironmentStack extends Stack {
  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    const { config, environment } = props;

    const deploy = new GitHubRole(this, 'DeployRole', {
      providerArn: props.providerArn ?? githubOidcProviderArn(this),
      subject: githubSubject(config.owner, config.repo, { environment: environment.name }),
      description: `ssm-rollout of ${config.service} to the ${environment.name} instances`,
      policy: deployPolicy({
        documentArn: awsDocumentArn(this, 'AWS-RunShellScript'),
        anyInstanceArn: anyInstanceArn(this),
        instanceTagKey: config.instanceTagKey,
        environment: environment.name,
        lockParameterArn: parameterArn(this, environment.lockParameter),
        releaseParameterArn: parameterArn(this, environment.releaseParameter),
      }),
    });
    Validations.of(deploy.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'DescribeInstanceInformation, ec2:DescribeInstances, ListCommandInvocations, GetCommandInvocation, ' +
          'CancelCommand and DescribeParameters have no resource-level permissions; none of them changes anything ' +
          'but CancelCommand, which only stops a command.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(this, anyInstanceArn(this))}]`,
        reason: `SendCommand reaches an instance only when it carries the tag ${config.instanceTagKey}=${environment.name} (ssm:resourceTag condition).`,
      },
    );

    const parametersKey = new Key(this, 'ParametersKey', {
      enableKeyRotation: true,
      alias: `${config.service}/${environment.name}`,
      description: `SecureString parameters under ${environment.parametersPath}`,
    });

    const instanceRole = new Role(this, 'InstanceRole', {
      description: `EC2 hosts of ${config.service} in ${environment.name}`,
      assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
      inlinePolicies: {
        Permissions: instancePolicy({
          repositoryArn: repositoryArn(this, config.repository),
          parametersPathArn: parameterArn(this, environment.parametersPath),
          parametersKeyArn: parametersKey.keyArn,
          region: this.region,
        }),
      },
    });
    Validations.of(instanceRole).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        reason:
          'The SSM agent needs it to register and receive Run Command; AWS keeps it current with the agent.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken has no resource-level permissions; it only returns a registry login.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(this, parameterArn(this, environment.parametersPath))}/*]`,
        reason: `The deploy script reads every parameter under ${environment.parametersPath}, whatever their names.`,
      },
    );
    const profile = new InstanceProfile(this, 'InstanceProfile', { role: instanceRole });

    new CfnOutput(this, 'DeployRoleArn', {
      value: deploy.role.roleArn,
      description: `Environment variable AWS_DEPLOY_ROLE_ARN of the GitHub environment ${environment.name}`,
    });
    new CfnOutput(this, 'InstanceProfileName', { value: profile.instanceProfileName });
    new CfnOutput(this, 'ParametersKeyAlias', { value: `alias/${config.service}/${environment.name}` });
  }
}
