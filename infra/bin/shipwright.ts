/** The CDK app: `npx cdk synth|diff|deploy` in infra/ runs this (see infra/README.md). */
import { App } from 'aws-cdk-lib';
import { buildDeployment } from '../src/app.js';
import { readConfig } from '../src/config.js';

const app = new App();
buildDeployment(
  app,
  readConfig((key) => {
    if (key === 'account') return app.node.tryGetContext(key) ?? process.env.CDK_DEFAULT_ACCOUNT;
    if (key === 'region') return app.node.tryGetContext(key) ?? process.env.CDK_DEFAULT_REGION;
    return app.node.tryGetContext(key);
  }),
);
app.synth();
