/**
 * What IAM would authorize for each call the stand-ins see: the action, the resource ARN and the condition keys
 * AWS evaluates (resource tags, document, parameter path ...). The ECR and SSM endpoints and the registry's
 * access log produce these; action-tests/helpers/iam-recording.ts keeps them in fixtures for
 * infra/test/least-privilege.test.ts.
 */
export type ContextValue = string | string[];

export interface IamRequest {
  /** Who holds the credentials: the workflow job's role, or the EC2 instance's role. */
  principal: 'workflow' | 'instance';
  action: string;
  resource: string;
  context: Record<string, ContextValue>;
}

/** The account the stand-ins act for, unless a test says otherwise. */
export const LOCAL_ACCOUNT = '123456789012';

/** The region a SigV4-signed request was signed for (Authorization: ... Credential=AKID/date/REGION/service/...). */
export function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '')?.[1];
}

export function ecrRepositoryArn(region: string, account: string, repository: string): string {
  return `arn:aws:ecr:${region}:${account}:repository/${repository}`;
}

export function ssmParameterArn(region: string, account: string, name: string): string {
  return `arn:aws:ssm:${region}:${account}:parameter/${name.replace(/^\//, '')}`;
}

/** Tags as the condition keys SSM evaluates on a managed node (ssm:resourceTag/K and aws:ResourceTag/K). */
export function tagContext(tags: Record<string, string>): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    context[`ssm:resourceTag/${key}`] = value;
    context[`aws:ResourceTag/${key}`] = value;
  }
  return context;
}
