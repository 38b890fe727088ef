/**
 * The IAM policies of a synthesized template in the form AWS evaluates them: CloudFormation references
 * (Ref, Fn::GetAtt, Fn::Join) resolved to the ARNs the resources would have once deployed.
 */

export interface PolicyDocument {
  Version?: string;
  Statement: Record<string, unknown>[];
}

export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

export interface Where {
  account: string;
  region: string;
  /** Key IDs for AWS::KMS::Key resources, by logical ID (default: a name derived from the logical ID). */
  keyIds?: Record<string, string>;
}

export interface RolePolicies {
  logicalId: string;
  arn: string;
  trust: PolicyDocument;
  identity: PolicyDocument[];
  managedPolicyArns: string[];
}

/** The ARN a resource of the template gets when deployed (only the types the role policies refer to). */
function physicalArn(template: Template, where: Where, logicalId: string): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  const { account, region } = where;
  const props = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${region}:${account}:key/${where.keyIds?.[logicalId] ?? logicalId.toLowerCase()}`;
    case 'AWS::IAM::OIDCProvider':
      return `arn:aws:iam::${account}:oidc-provider/${String(props.Url).replace(/^https:\/\//, '')}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${account}:role/${logicalId}`;
    case 'AWS::ECR::Repository':
      return `arn:aws:ecr:${region}:${account}:repository/${String(props.RepositoryName)}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${account}:${logicalId}`;
    default:
      throw new Error(`no ARN rule for ${resource.Type} (${logicalId})`);
  }
}

export function resolve(template: Template, where: Where, value: unknown): unknown {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': where.account,
    'AWS::Region': where.region,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      if (fn === 'Ref') return pseudo[arg as string] ?? physicalArn(template, where, arg as string);
      if (fn === 'Fn::GetAtt') {
        const [id, attribute] = arg as [string, string];
        if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute}`);
        return physicalArn(template, where, id);
      }
      if (fn === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return parts.map((part) => String(walk(part))).join(separator);
      }
      if (fn.startsWith('Fn::')) throw new Error(`cannot resolve ${fn}`);
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, walk(child)]));
  };
  return walk(value);
}

/** Every role of the template with its trust policy, inline and attached policies, resolved. */
export function rolePolicies(template: Template, where: Where): Map<string, RolePolicies> {
  const roles = new Map<string, RolePolicies>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const props = resolve(template, where, resource.Properties) as {
      AssumeRolePolicyDocument: PolicyDocument;
      Policies?: { PolicyDocument: PolicyDocument }[];
      ManagedPolicyArns?: string[];
    };
    roles.set(logicalId, {
      logicalId,
      arn: physicalArn(template, where, logicalId),
      trust: props.AssumeRolePolicyDocument,
      identity: (props.Policies ?? []).map((p) => p.PolicyDocument),
      managedPolicyArns: props.ManagedPolicyArns ?? [],
    });
  }
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const props = resource.Properties as { PolicyDocument: unknown; Roles?: { Ref: string }[] };
    for (const role of props.Roles ?? []) {
      roles.get(role.Ref)?.identity.push(resolve(template, where, props.PolicyDocument) as PolicyDocument);
    }
  }
  return roles;
}

/** The one role whose logical ID starts with `prefix` (CDK appends a hash). */
export function roleNamed(roles: Map<string, RolePolicies>, prefix: string): RolePolicies {
  const found = [...roles.values()].filter((role) => role.logicalId.startsWith(prefix));
  if (found.length !== 1)
    throw new Error(
      `expected one role ${prefix}*, found ${found.map((r) => r.logicalId).join(', ') || 'none'}`,
    );
  return found[0]!;
}

/** Key policies of the template's KMS keys, by key ARN (KMS needs its key policy to let IAM policies apply). */
export function keyPolicies(template: Template, where: Where): Map<string, PolicyDocument> {
  const policies = new Map<string, PolicyDocument>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::KMS::Key') continue;
    const arn = physicalArn(template, where, logicalId);
    policies.set(arn, resolve(template, where, resource.Properties?.KeyPolicy) as PolicyDocument);
  }
  return policies;
}
