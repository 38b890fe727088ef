/** Builds the stacks of a deployment into an app; bin/shipwright.ts and the tests share it. */
import { App, Validations } from 'aws-cdk-lib';
import nag from 'cdk-nag';
import type { InfraConfig } from './config.js';
import { EnvironmentStack } from './environment-stack.js';
import { SharedStack } from './shared-stack.js';

export interface Deployment {
  app: App;
  shared: SharedStack;
  environments: Map<string, EnvironmentStack>;
}

export function buildDeployment(app: App, config: InfraConfig): Deployment {
  const env = { account: config.account, region: config.region };
  const shared = new SharedStack(app, 'Shipwright', config, { env });
  const environments = new Map<string, EnvironmentStack>();
  for (const environment of config.environments) {
    const stack = new EnvironmentStack(app, `Shipwright-${environment.name}`, {
      env,
      config,
      environment,
      providerArn: config.oidcProviderArn,
    });
    stack.addStackDependency(shared);
    environments.set(environment.name, stack);
  }
  // AWS Solutions checks run at every synthesis; a finding without an acknowledged reason fails it.
  Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  return { app, shared, environments };
}
