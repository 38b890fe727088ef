/** Reads the inputs, builds the ECR client and the pusher, and writes outputs and the job summary. */
import { existsSync, readFileSync } from 'node:fs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { awsClientConfig, checkRegion } from '../../lib/aws.js';
import { getBoolean, getEnum, getInteger, getList, getString, InputError } from '../../lib/inputs.js';
import { appendSummary, info, setOutput, setSecret, warning } from '../../lib/runner.js';
import { runMain } from '../../lib/run-main.js';
import { createWorkspace, removeOnSignal } from './auth-file.js';
import {
  ensureRepository,
  existingTags,
  getCredentials,
  lifecyclePolicyText,
  type EcrContext,
  type RepositorySettings,
} from './ecr.js';
import { spawnExec } from './exec.js';
import { checkExclusions, describeMutability, MUTABILITIES } from './mutability.js';
import { pushTags } from './push.js';
import { createPusher, type PusherName } from './pushers.js';
import { parseImage, parseProxyEndpoint, parseTags, validateRepository, type ImageSource } from './refs.js';
import { describeRepository, summaryMarkdown } from './report.js';

export interface Inputs {
  repository: string;
  tags: string[];
  image: ImageSource;
  pusher: PusherName;
  registryId?: string;
  region?: string;
  createRepository: boolean;
  settings: RepositorySettings;
  maskPassword: boolean;
  retryMaxAttempts: number;
}

export function resolvePusher(choice: 'auto' | PusherName, image: ImageSource): PusherName {
  if (choice === 'auto') return image.kind === 'local' ? 'docker' : 'skopeo';
  if (choice === 'docker' && image.kind !== 'local') {
    throw new InputError(
      'pusher',
      `docker pushes a local image name, but 'image' is the transport reference '${image.reference}'; use skopeo or podman (or auto).`,
    );
  }
  return choice;
}

export function getInputs(): Inputs {
  const repository = validateRepository(getString('repository', { required: true }));
  const tags = parseTags(getList('tags', { required: true }));
  const image = parseImage(getString('image', { required: true }));
  if (image.kind === 'transport' && image.path !== undefined && !existsSync(image.path)) {
    throw new InputError('image', `'${image.path}' (from '${image.reference}') does not exist.`);
  }
  const pusher = resolvePusher(
    getEnum('pusher', ['auto', 'docker', 'skopeo', 'podman'], { default: 'auto' }),
    image,
  );
  const registryId = getString('registry-id') || undefined;
  if (registryId !== undefined && !/^\d{12}$/.test(registryId)) {
    throw new InputError('registry-id', `expected a 12-digit AWS account ID, got '${registryId}'.`);
  }
  const region = checkRegion('region', getString('region'));
  const encryption = getEnum('encryption', ['AES256', 'KMS'], { default: 'AES256' });
  const kmsKey = getString('kms-key') || undefined;
  if (kmsKey && encryption !== 'KMS') {
    throw new InputError('kms-key', `is only used with encryption: KMS (encryption is ${encryption}).`);
  }
  const imageTagMutability = getEnum('image-tag-mutability', MUTABILITIES, { default: 'IMMUTABLE' });
  const settings: RepositorySettings = {
    imageTagMutability,
    mutabilityExclusions: checkExclusions(imageTagMutability, getList('mutability-exclusions')),
    scanOnPush: getBoolean('scan-on-push', { default: true }),
    encryption,
    kmsKey,
    lifecyclePolicy: lifecyclePolicyText(getString('lifecycle-policy'), (path) => readFileSync(path, 'utf8')),
  };
  return {
    repository,
    tags,
    image,
    pusher,
    registryId,
    region,
    createRepository: getBoolean('create-repository', { default: true }),
    settings,
    maskPassword: getBoolean('mask-password', { default: true }),
    retryMaxAttempts: getInteger('retry-max-attempts', { default: 5, min: 1, max: 20 }),
  };
}

export async function run(): Promise<void> {
  await runMain(async () => {
    const inputs = getInputs();
    const ctx: EcrContext = {
      client: new ECRClient(awsClientConfig(inputs.region)),
      registryId: inputs.registryId,
      maxAttempts: inputs.retryMaxAttempts,
    };
    if (!inputs.maskPassword) warning('mask-password is false: the registry password is not masked in logs.');
    const credentials = await getCredentials(ctx, inputs.maskPassword ? setSecret : () => undefined);
    const endpoint = parseProxyEndpoint(credentials.proxyEndpoint);
    info(`Registry ${endpoint.host}${endpoint.insecure ? ' (plain http, loopback)' : ''}.`);

    const repo = await ensureRepository(ctx, inputs.repository, inputs.createRepository, inputs.settings);
    info(describeRepository(repo));
    const mutability = { mutability: repo.imageTagMutability, exclusions: repo.mutabilityExclusions };
    const wanted = {
      mutability: inputs.settings.imageTagMutability,
      exclusions: inputs.settings.mutabilityExclusions,
    };
    if (!repo.created && describeMutability(mutability) !== describeMutability(wanted)) {
      warning(
        `Repository '${repo.name}' has tag mutability ${describeMutability(mutability)}, not ` +
          `${describeMutability(wanted)}; it was left as it is, and its own setting decides which tags may move.`,
      );
    }
    const existing = await existingTags(ctx, inputs.repository, inputs.tags);
    const workspace = createWorkspace(endpoint.host, credentials.token);
    const unregister = removeOnSignal(workspace);
    let result;
    try {
      const pusher = createPusher(
        inputs.pusher,
        {
          exec: spawnExec,
          target: { registry: endpoint.host, repository: inputs.repository, insecure: endpoint.insecure },
          workDir: workspace.dir,
          authFile: workspace.authFile,
          log: info,
        },
        inputs.image,
      );
      result = await pushTags({
        pusher,
        repository: inputs.repository,
        tags: inputs.tags,
        existing,
        mutability,
        log: info,
      });
    } finally {
      workspace.remove();
      unregister();
    }
    const imageUri = `${endpoint.host}/${inputs.repository}@${result.digest}`;
    info(`Pushed ${imageUri}: ${result.pushed.length} tag(s) pushed, ${result.skipped.length} skipped.`);
    setOutput('registry', endpoint.host);
    setOutput('digest', result.digest);
    setOutput('image-uri', imageUri);
    setOutput('tags-pushed', result.pushed.join('\n'));
    setOutput('tags-skipped', result.skipped.join('\n'));
    appendSummary(summaryMarkdown(imageUri, result, repo));
  });
}
