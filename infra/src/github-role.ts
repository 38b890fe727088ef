/** A role that only GitHub Actions runs of one repository, for one environment or branch, can assume. */
import { Duration } from 'aws-cdk-lib';
import { PolicyDocument, Role, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/** The `sub` claim GitHub writes for a job with `environment: NAME`, or for a job on a branch without one. */
export function githubSubject(
  owner: string,
  repo: string,
  of: { environment: string } | { branch: string },
): string {
  return 'environment' in of
    ? `repo:${owner}/${repo}:environment:${of.environment}`
    : `repo:${owner}/${repo}:ref:refs/heads/${of.branch}`;
}

export interface GitHubRoleProps {
  providerArn: string;
  subject: string;
  description: string;
  policy: PolicyDocument;
}

export class GitHubRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: GitHubRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      description: props.description,
      assumedBy: new WebIdentityPrincipal(props.providerArn, {
        StringEquals: {
          [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_ISSUER}:sub`]: props.subject,
        },
      }),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: { Permissions: props.policy },
    });
  }
}
