/** One IAM decision through @cloud-copilot/iam-simulate: identity policies, or a role's trust policy. */
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourcePolicy,
  validateTrustPolicy,
} from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './template-policies.js';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Request {
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  context: Record<string, string | string[]>;
}

/**
 * What the simulator's request validation (built from AWS's service authorization reference) does not
 * know: the OIDC keys `<provider>:sub` and `:aud` of a web identity trust policy, the ARN of an AWS-owned
 * SSM document, which has no account (arn:aws:ssm:REGION::document/AWS-RunShellScript), and KMS encryption
 * context keys (kms:EncryptionContext:PARAMETER_ARN, which SSM sets). Those requests are evaluated without
 * the request validation (the policies are still validated); every other request is validated (action,
 * resource type, condition keys), and a validation error fails the test.
 */
function outsideTheReference(request: Request, policies: Policies): boolean {
  return (
    policies.trustPolicy !== undefined ||
    /^arn:aws:ssm:[a-z0-9-]+::document\//.test(request.resource) ||
    Object.keys(request.context).some((key) => key.startsWith('kms:EncryptionContext:'))
  );
}

function validated(policy: PolicyDocument, validate: typeof validateTrustPolicy, name: string) {
  const result = createValidatedPolicy(policy, validate, { name });
  if (result.errors.length > 0)
    throw new Error(`${name} is not a valid policy: ${JSON.stringify(result.errors)}`);
  return result;
}

export interface Policies {
  identity: PolicyDocument[];
  /** A role's trust policy, for sts:AssumeRole* requests. */
  trustPolicy?: PolicyDocument;
  /** The resource's own policy (a KMS key policy). */
  resourcePolicy?: PolicyDocument;
}

export async function decide(request: Request, policies: Policies): Promise<Decision> {
  const resourcePolicy = policies.trustPolicy ?? policies.resourcePolicy;
  const simulation: Simulation = {
    identityPolicies: policies.identity.map((policy, index) => ({ name: `policy${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context,
    },
  };
  if (outsideTheReference(request, policies)) {
    return runUnsafeSimulation(
      {
        ...simulation,
        identityPolicies: policies.identity.map((policy, index) => ({
          name: `policy${index}`,
          policy: validated(policy, validateIdentityPolicy, `policy${index}`),
        })),
        resourcePolicy: policies.trustPolicy
          ? validated(policies.trustPolicy, validateTrustPolicy, 'trust policy')
          : policies.resourcePolicy &&
            validated(policies.resourcePolicy, validateResourcePolicy, 'resource policy'),
      },
      {},
    );
  }
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(
      `the simulator refused ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`,
    );
  }
  if (response.resultType === 'single' && response.result.ignoredContextKeys?.length) {
    throw new Error(
      `${request.action} on ${request.resource}: AWS does not evaluate ${response.result.ignoredContextKeys.join(', ')}`,
    );
  }
  return response.overallResult as Decision;
}
