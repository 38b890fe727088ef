/**
 * The roles' permissions, one function per role, each statement named for the step that needs it. Every
 * action here is one the actions (or the workflow steps named) call; test/least-privilege.test.ts proves
 * that against the calls the action-tests record, and that nothing else is allowed.
 */
import { PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** ecr-push in deploy.yml's build job: log in, look at the repository and its tags, push layers and manifests. */
export function pushPolicy(repositoryArn: string): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'], // GetAuthorizationToken has no resource-level permissions
      }),
      new PolicyStatement({
        sid: 'PushToTheRepository',
        actions: [
          'ecr:DescribeRepositories',
          'ecr:BatchGetImage',
          'ecr:BatchCheckLayerAvailability',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
        ],
        resources: [repositoryArn],
      }),
    ],
  });
}

export interface DeployPolicyProps {
  documentArn: string;
  anyInstanceArn: string;
  instanceTagKey: string;
  environment: string;
  lockParameterArn: string;
  releaseParameterArn: string;
}

/** ssm-rollout in one environment's deploy job. */
export function deployPolicy(props: DeployPolicyProps): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'ResolveTargetsAndFollowCommands',
        // None of these has resource-level permissions: they take '*' only.
        actions: [
          'ssm:DescribeInstanceInformation',
          'ec2:DescribeInstances',
          'ssm:ListCommandInvocations',
          'ssm:GetCommandInvocation', // the canary analysis reads the metrics command's whole output
          'ssm:CancelCommand',
          'ssm:DescribeParameters',
        ],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'RunShellScriptDocumentOnly',
        actions: ['ssm:SendCommand'],
        resources: [props.documentArn],
      }),
      new PolicyStatement({
        sid: 'OnlyThisEnvironmentsInstances',
        actions: ['ssm:SendCommand'],
        resources: [props.anyInstanceArn],
        conditions: {
          StringEquals: { [`ssm:resourceTag/${props.instanceTagKey}`]: props.environment },
        },
      }),
      new PolicyStatement({
        sid: 'RolloutLock',
        actions: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter'],
        resources: [props.lockParameterArn],
      }),
      new PolicyStatement({
        sid: 'ReleaseRecord',
        // Read before a rollout: ssm-rollout refuses a commit older than the live release's (downgrade check).
        actions: ['ssm:PutParameter', 'ssm:GetParameter'],
        resources: [props.releaseParameterArn],
      }),
    ],
  });
}

export interface InstancePolicyProps {
  repositoryArn: string;
  /** ARN of the environment's parameter path (arn:...:parameter/service/env/env). */
  parametersPathArn: string;
  parametersKeyArn: string;
  region: string;
}

/** The deploy script on each instance: ECR login and pull, the environment's parameters (ssm-rollout's script.ts). */
export function instancePolicy(props: InstancePolicyProps): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'PullFromTheRepository',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [props.repositoryArn],
      }),
      new PolicyStatement({
        sid: 'ListTheEnvironment',
        actions: ['ssm:GetParametersByPath'],
        resources: [props.parametersPathArn],
      }),
      new PolicyStatement({
        sid: 'ReadTheEnvironment',
        actions: ['ssm:GetParameter'],
        resources: [`${props.parametersPathArn}/*`],
      }),
      new PolicyStatement({
        sid: 'DecryptTheEnvironmentThroughSsm',
        actions: ['kms:Decrypt'],
        resources: [props.parametersKeyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `ssm.${props.region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': `${props.parametersPathArn}/*` },
        },
      }),
    ],
  });
}

/** security.yml's nightly rescan: read the live release record, log in and pull that image. */
export function scanPolicy(repositoryArn: string, releaseParameterArn: string): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'ReadTheLiveRelease',
        actions: ['ssm:GetParameter'],
        resources: [releaseParameterArn],
      }),
      new PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'PullFromTheRepository',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [repositoryArn],
      }),
    ],
  });
}
