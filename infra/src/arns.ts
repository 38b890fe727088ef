/** ARNs of the resources the roles are scoped to, built in the stack's own account, region and partition. */
import { ArnFormat, Stack } from 'aws-cdk-lib';

export function repositoryArn(stack: Stack, repository: string): string {
  return stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: repository });
}

/** A Parameter Store ARN for a parameter name or path ('/a/b' -> arn:...:parameter/a/b). */
export function parameterArn(stack: Stack, name: string): string {
  return stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') });
}

/** AWS-owned SSM documents such as AWS-RunShellScript have no account in their ARN. */
export function awsDocumentArn(stack: Stack, document: string): string {
  return stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: document });
}

export function anyInstanceArn(stack: Stack): string {
  return stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
}

export function githubOidcProviderArn(stack: Stack): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'oidc-provider',
    resourceName: 'token.actions.githubusercontent.com',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * An ARN as cdk-nag writes it in finding IDs: CloudFormation references become `<AWS::Partition>`,
 * `<Logical.Attribute>`, so acknowledgements can name the exact resource they accept.
 */
export function nagArn(stack: Stack, arn: string): string {
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: string }).Ref;
    if (ref) return `<${ref}>`;
    const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt) return `<${getAtt.join('.')}>`;
    const join = (part as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(render).join(join[0]);
    throw new Error(`nagArn: cannot render ${JSON.stringify(part)}`);
  };
  return render(stack.resolve(arn));
}
