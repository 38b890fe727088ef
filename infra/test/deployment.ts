/** Synthesized templates of a deployment, for the tests. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDeployment, type Deployment } from '../src/app.js';
import { readConfig, type InfraConfig } from '../src/config.js';

/** The deployment deploy.yml and security.yml expect, with the context values of `npm run infra:synth`. */
export const EXAMPLE_CONTEXT: Record<string, string> = {
  owner: 'example-org',
  repo: 'shipwright',
  account: '123456789012',
  region: 'eu-west-1',
};

export function exampleConfig(overrides: Record<string, string> = {}): InfraConfig {
  const context = { ...EXAMPLE_CONTEXT, ...overrides };
  return readConfig((key) => context[key]);
}

export function synthesize(config: InfraConfig): Deployment & { templates: Map<string, Template> } {
  const deployment = buildDeployment(new App(), config);
  const templates = new Map<string, Template>([['shared', Template.fromStack(deployment.shared)]]);
  for (const [name, stack] of deployment.environments) templates.set(name, Template.fromStack(stack));
  return { ...deployment, templates };
}
