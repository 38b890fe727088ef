/** One IAM decision through @cloud-copilot/iam-simulate: identity policies, or a role's trust policy. */
import { runSimulation } from '@cloud-copilot/iam-simulate';
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

export async function decide(
  request: Request,
  policies: { identity: PolicyDocument[]; resourcePolicy?: PolicyDocument },
): Promise<Decision> {
  const response = await runSimulation(
    {
      identityPolicies: policies.identity.map((policy, index) => ({ name: `policy${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resourcePolicy,
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: request.context,
      },
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`the simulator refused ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as Decision;
}
