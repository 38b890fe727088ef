/**
 * The ECR API calls, each retried through the shared helper and with access-denied errors rewritten to
 * name the IAM permission. The client and sleep are injected.
 */
import { InputError } from '../../lib/inputs.js';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { awsCall } from '../../lib/aws.js';
import type { Sleep } from '../../lib/retry.js';
import type { Mutability } from './mutability.js';

export interface EcrContext {
  client: Pick<ECRClient, 'send'>;
  registryId?: string;
  maxAttempts: number;
  sleep?: Sleep;
  log?: (line: string) => void;
}

function call<T>(ctx: EcrContext, permission: string, operation: () => Promise<T>): Promise<T> {
  return awsCall(operation, {
    operation: `ECR ${permission.replace(/^ecr:/, '')}`,
    permission,
    maxAttempts: ctx.maxAttempts,
    sleep: ctx.sleep,
    log: ctx.log,
  });
}

export interface Credentials {
  /** base64("AWS:password"), the docker config.json `auth` value. */
  token: string;
  username: string;
  password: string;
  proxyEndpoint: string;
  expiresAt?: Date;
}

/** GetAuthorizationToken, decoded. `mask` runs on the token and the password before anything else. */
export async function getCredentials(ctx: EcrContext, mask: (secret: string) => void): Promise<Credentials> {
  const response = await call(ctx, 'ecr:GetAuthorizationToken', () =>
    ctx.client.send(
      new GetAuthorizationTokenCommand(ctx.registryId ? { registryIds: [ctx.registryId] } : {}),
    ),
  );
  const data = response.authorizationData?.[0];
  const token = data?.authorizationToken ?? '';
  if (token) mask(token);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon > 0 ? decoded.slice(colon + 1) : '';
  if (password) mask(password);
  if (!data || !token || colon <= 0 || !password || !data.proxyEndpoint) {
    throw new Error(
      'ECR GetAuthorizationToken returned no usable authorization data (expected a base64 "user:password" ' +
        'token and a proxyEndpoint).',
    );
  }
  return {
    token,
    username: decoded.slice(0, colon),
    password,
    proxyEndpoint: data.proxyEndpoint,
    expiresAt: data.expiresAt,
  };
}

export interface RepositorySettings {
  imageTagMutability: Mutability;
  /** Wildcard exclusion filters, with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION only. */
  mutabilityExclusions: string[];
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  kmsKey?: string;
  /** Lifecycle policy text (JSON), applied when the repository is created. */
  lifecyclePolicy?: string;
}

export interface RepositoryState {
  name: string;
  uri?: string;
  created: boolean;
  imageTagMutability: string;
  /** The repository's exclusion filters (values of its WILDCARD filters). */
  mutabilityExclusions: string[];
  scanOnPush: boolean;
  encryption: string;
  kmsKey?: string;
  lifecyclePolicyApplied: boolean;
}

function stateOf(repo: Repository, created: boolean, lifecyclePolicyApplied: boolean): RepositoryState {
  return {
    name: repo.repositoryName ?? '',
    uri: repo.repositoryUri,
    created,
    imageTagMutability: repo.imageTagMutability ?? 'MUTABLE',
    mutabilityExclusions: (repo.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter ?? ''),
    scanOnPush: repo.imageScanningConfiguration?.scanOnPush ?? false,
    encryption: repo.encryptionConfiguration?.encryptionType ?? 'AES256',
    kmsKey: repo.encryptionConfiguration?.kmsKey,
    lifecyclePolicyApplied,
  };
}

async function describe(ctx: EcrContext, name: string): Promise<Repository | undefined> {
  try {
    const response = await call(ctx, 'ecr:DescribeRepositories', () =>
      ctx.client.send(
        new DescribeRepositoriesCommand({ repositoryNames: [name], registryId: ctx.registryId }),
      ),
    );
    return response.repositories?.[0];
  } catch (err) {
    if ((err as Error).name === 'RepositoryNotFoundException') return undefined;
    throw err;
  }
}

/**
 * The repository as it is: an existing one is left untouched (its settings, tag mutability and exclusion
 * filters included, are read with DescribeRepositories and returned: they decide which tags may move);
 * a missing one is created with `settings` when `create` is set.
 */
export async function ensureRepository(
  ctx: EcrContext,
  name: string,
  create: boolean,
  settings: RepositorySettings,
): Promise<RepositoryState> {
  const existing = await describe(ctx, name);
  if (existing) return stateOf(existing, false, false);
  if (!create) {
    throw new Error(
      `ECR repository '${name}' does not exist${ctx.registryId ? ` in registry ${ctx.registryId}` : ''} ` +
        `and create-repository is false.`,
    );
  }
  let repo: Repository | undefined;
  try {
    const response = await call(ctx, 'ecr:CreateRepository', () =>
      ctx.client.send(
        new CreateRepositoryCommand({
          repositoryName: name,
          registryId: ctx.registryId,
          imageTagMutability: settings.imageTagMutability,
          ...(settings.mutabilityExclusions.length > 0
            ? {
                imageTagMutabilityExclusionFilters: settings.mutabilityExclusions.map((filter) => ({
                  filterType: 'WILDCARD' as const,
                  filter,
                })),
              }
            : {}),
          imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
          encryptionConfiguration: {
            encryptionType: settings.encryption,
            ...(settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
          },
        }),
      ),
    );
    repo = response.repository;
  } catch (err) {
    // Created by a concurrent job between our describe and create: use theirs, as it is.
    if ((err as Error).name === 'RepositoryAlreadyExistsException') {
      const raced = await describe(ctx, name);
      if (raced) return stateOf(raced, false, false);
    }
    throw err;
  }
  if (!repo) throw new Error(`ECR CreateRepository returned no repository for '${name}'.`);
  if (settings.lifecyclePolicy) {
    await call(ctx, 'ecr:PutLifecyclePolicy', () =>
      ctx.client.send(
        new PutLifecyclePolicyCommand({
          repositoryName: name,
          registryId: ctx.registryId,
          lifecyclePolicyText: settings.lifecyclePolicy,
        }),
      ),
    );
  }
  return stateOf(repo, true, Boolean(settings.lifecyclePolicy));
}

/** Manifest media types we accept back from BatchGetImage, so ECR never converts the stored manifest. */
export const ACCEPTED_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/** tag -> digest for those of `tags` that exist in the repository. */
export async function existingTags(
  ctx: EcrContext,
  repository: string,
  tags: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < tags.length; i += 100) {
    const chunk = tags.slice(i, i + 100);
    const response = await call(ctx, 'ecr:BatchGetImage', () =>
      ctx.client.send(
        new BatchGetImageCommand({
          repositoryName: repository,
          registryId: ctx.registryId,
          imageIds: chunk.map((imageTag) => ({ imageTag })),
          acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
        }),
      ),
    );
    for (const image of response.images ?? []) {
      const tag = image.imageId?.imageTag;
      const digest = image.imageId?.imageDigest;
      if (tag && digest) found.set(tag, digest);
    }
    const failures = (response.failures ?? []).filter(
      (f) => f.failureCode !== 'ImageNotFound' && f.failureCode !== 'ImageTagDoesNotMatchDigest',
    );
    if (failures.length > 0) {
      const f = failures[0]!;
      throw new Error(
        `ECR BatchGetImage could not look up tag '${f.imageId?.imageTag ?? '?'}': ${f.failureCode} ${f.failureReason ?? ''}`.trim(),
      );
    }
  }
  return found;
}

/** `keep-last=N` as an ECR lifecycle policy, or the JSON text of a policy file, validated. */
export function lifecyclePolicyText(spec: string, readFile: (path: string) => string): string | undefined {
  if (spec === '') return undefined;
  const keep = /^keep-last=(\d+)$/.exec(spec);
  if (keep) {
    const count = Number(keep[1]);
    if (count < 1 || count > 10000) {
      throw new InputError('lifecycle-policy', `keep-last must be from 1 to 10000, got ${keep[1]}.`);
    }
    return JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Keep the last ${count} images`,
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count },
          action: { type: 'expire' },
        },
      ],
    });
  }
  if (spec.startsWith('keep-last')) {
    throw new InputError('lifecycle-policy', `expected keep-last=N with N a whole number, got '${spec}'.`);
  }
  let text: string;
  try {
    text = readFile(spec);
  } catch (err) {
    throw new InputError(
      'lifecycle-policy',
      `expected keep-last=N or a readable JSON policy file; cannot read '${spec}' (${(err as Error).message}).`,
    );
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (err) {
    throw new InputError('lifecycle-policy', `'${spec}' is not valid JSON (${(err as Error).message}).`);
  }
  const rules = (policy as { rules?: unknown })?.rules;
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new InputError(
      'lifecycle-policy',
      `'${spec}' must be an ECR lifecycle policy with a non-empty "rules" array.`,
    );
  }
  return JSON.stringify(policy);
}
