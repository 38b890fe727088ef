/** cdk-nag's AWS Solutions pack runs at every synthesis (src/app.ts); every finding it accepts has a reason. */
import { describe, expect, test } from '@jest/globals';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import nag from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildDeployment } from '../src/app.js';
import { exampleConfig } from './deployment.js';

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id, reason })),
  );
}

describe('cdk-nag AwsSolutions', () => {
  test('when the example deployment is synthesized, then no finding is left unacknowledged and each acknowledgement gives its reason', () => {
    const { app } = buildDeployment(new App(), exampleConfig());
    expect(() => app.synth()).not.toThrow();
    const acknowledged = acknowledgements(app);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect({ path, id, reason: reason.length >= 40 }).toEqual({ path, id, reason: true });
    }
    expect(new Set(acknowledged.map((a) => a.id.replace(/\[.*$/, '')))).toEqual(
      new Set(['Annotation::AwsSolutions-IAM4', 'Annotation::AwsSolutions-IAM5']),
    );
  });

  test('when an environment-agnostic deployment is synthesized (no account or region), then it passes the same checks', () => {
    const { app } = buildDeployment(new App(), exampleConfig({ account: '', region: '' }));
    expect(() => app.synth()).not.toThrow();
  });

  test('when a role with an unexplained wildcard is added, then synthesis stops on the AwsSolutions-IAM5 finding', () => {
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new Role(stack, 'Wide', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') }).addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
    );
    Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
