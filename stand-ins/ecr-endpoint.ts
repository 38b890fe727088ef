/**
 * A local stand-in for ECR, reached through AWS_ENDPOINT_URL_ECR, in two parts on one port:
 *
 * - the ECR API (JSON 1.1 protocol, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.*): repositories with
 *   their tag mutability and exclusion filters, validated as ECR validates them; BatchGetImage asks the real
 *   registry's HTTP API, so tag -> digest answers are the registry's own;
 * - the registry endpoint GetAuthorizationToken hands out (/v2/...): every request goes through to a real
 *   registry (docker-registry), and, as ECR's registry does, a manifest PUT that would move an existing tag to
 *   another digest is refused (400 TAG_INVALID) when the repository's tag mutability keeps that tag, and a
 *   repository that was never created is unknown (404 NAME_UNKNOWN).
 */
import { createHash } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tagMayMove } from '../actions/ecr-push/src/mutability.js';
import { MANIFEST_ACCEPT } from './registry.js';
import { ecrRepositoryArn, signedRegion, type IamRequest } from './iam.js';

export interface EndpointOptions {
  /** The real registry behind the endpoint. */
  registryUrl: string;
  /** What GetAuthorizationToken names as proxyEndpoint; defaults to this endpoint's own registry side. */
  proxyEndpoint?: string;
  username?: string;
  password: string;
  accountId?: string;
  /** Answer this many calls of an operation with ThrottlingException first, e.g. { GetAuthorizationToken: 2 }. */
  throttle?: Record<string, number>;
  /** Operations answered with AccessDeniedException. */
  deny?: string[];
}

export interface Call {
  operation: string;
  body: Record<string, unknown>;
  status: number;
}

interface Repo {
  repositoryName: string;
  repositoryArn: string;
  registryId: string;
  repositoryUri: string;
  createdAt: number;
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  lifecyclePolicyText?: string;
}

export interface EcrEndpoint {
  /** The API endpoint (AWS_ENDPOINT_URL_ECR), also the registry's base URL. */
  url: string;
  /** host:port of the registry side, as in image references (what ecr-push outputs as `registry`). */
  registryHost: string;
  calls: Call[];
  /** What IAM authorizes for each call (recorded for infra/test/least-privilege.test.ts). */
  iamRequests: IamRequest[];
  /** Manifest PUTs the registry side refused, as ECR would (tag, repository, reason). */
  refusedPushes: { repository: string; tag: string; message: string }[];
  repositories: Map<string, Repo>;
  addRepository(
    name: string,
    settings?: Partial<Pick<Repo, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'>>,
  ): void;
  close(): Promise<void>;
}

const MUTABILITIES = ['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'];
const FILTER_PATTERN = '^[0-9a-zA-Z._*-]{1,128}$';

/**
 * ImageTagMutability and ImageTagMutabilityExclusionFilters as the ECR API reference constrains them
 * (CreateRepository, PutImageTagMutability): enum values, 1 to 5 filters, WILDCARD filters matching the
 * pattern (ValidationException, in the SDK's "1 validation error detected" form); filters only with, and
 * required by, the *_WITH_EXCLUSION settings (InvalidParameterException).
 */
function validateMutability(body: Record<string, unknown>): {
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
} {
  const mutability = (body.imageTagMutability as string | undefined) ?? 'MUTABLE';
  const filters = body.imageTagMutabilityExclusionFilters as
    { filterType?: string; filter?: string }[] | undefined;
  const invalid = (value: unknown, field: string, constraint: string) =>
    new ApiError(
      'ValidationException',
      `1 validation error detected: Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
    );
  if (!MUTABILITIES.includes(mutability)) {
    throw invalid(
      mutability,
      'imageTagMutability',
      `Member must satisfy enum value set: [${MUTABILITIES.join(', ')}]`,
    );
  }
  if (filters !== undefined) {
    if (!Array.isArray(filters) || filters.length < 1) {
      throw invalid(
        filters,
        'imageTagMutabilityExclusionFilters',
        'Member must have length greater than or equal to 1',
      );
    }
    if (filters.length > 5) {
      throw invalid(
        filters,
        'imageTagMutabilityExclusionFilters',
        'Member must have length less than or equal to 5',
      );
    }
    for (const [i, f] of filters.entries()) {
      if (f.filterType !== 'WILDCARD') {
        throw invalid(
          f.filterType,
          `imageTagMutabilityExclusionFilters.${i + 1}.member.filterType`,
          'Member must satisfy enum value set: [WILDCARD]',
        );
      }
      if (typeof f.filter !== 'string' || !new RegExp(FILTER_PATTERN).test(f.filter)) {
        throw invalid(
          f.filter,
          `imageTagMutabilityExclusionFilters.${i + 1}.member.filter`,
          `Member must satisfy regular expression pattern: ${FILTER_PATTERN}`,
        );
      }
    }
  }
  const withExclusion = mutability.endsWith('_WITH_EXCLUSION');
  if (withExclusion && !filters) {
    throw new ApiError('InvalidParameterException', `Exclusion filters are required with ${mutability}.`);
  }
  if (!withExclusion && filters) {
    throw new ApiError(
      'InvalidParameterException',
      `Exclusion filters are only valid with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not ${mutability}.`,
    );
  }
  return {
    imageTagMutability: mutability,
    ...(filters
      ? {
          imageTagMutabilityExclusionFilters: filters.map((f) => ({
            filterType: 'WILDCARD',
            filter: f.filter!,
          })),
        }
      : {}),
  };
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startEcrEndpoint(options: EndpointOptions): Promise<EcrEndpoint> {
  const accountId = options.accountId ?? '123456789012';
  const repositories = new Map<string, Repo>();
  const calls: Call[] = [];
  const iamRequests: IamRequest[] = [];
  const throttled: Record<string, number> = { ...(options.throttle ?? {}) };
  const authorization = `Basic ${Buffer.from(`${options.username ?? 'AWS'}:${options.password}`).toString('base64')}`;

  let registryHost = '';
  const refusedPushes: EcrEndpoint['refusedPushes'] = [];

  const makeRepo = (name: string, body: Record<string, unknown> = {}): Repo => ({
    repositoryName: name,
    repositoryArn: `arn:aws:ecr:us-east-1:${accountId}:repository/${name}`,
    registryId: accountId,
    repositoryUri: `${registryHost}/${name}`,
    createdAt: Math.floor(Date.now() / 1000),
    ...validateMutability(body),
    imageScanningConfiguration: (body.imageScanningConfiguration as { scanOnPush: boolean }) ?? {
      scanOnPush: false,
    },
    encryptionConfiguration: (body.encryptionConfiguration as Repo['encryptionConfiguration']) ?? {
      encryptionType: 'AES256',
    },
  });
  const repo = (name: unknown): Repo => {
    const found = repositories.get(String(name));
    if (!found) {
      throw new ApiError(
        'RepositoryNotFoundException',
        `The repository with name '${String(name)}' does not exist in the registry with id '${accountId}'`,
      );
    }
    return found;
  };

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    GetAuthorizationToken: async () => ({
      authorizationData: [
        {
          authorizationToken: Buffer.from(`${options.username ?? 'AWS'}:${options.password}`).toString(
            'base64',
          ),
          expiresAt: Math.floor(Date.now() / 1000) + 43200,
          proxyEndpoint: options.proxyEndpoint ?? `http://${registryHost}`,
        },
      ],
    }),
    DescribeRepositories: async (body) => ({
      repositories: ((body.repositoryNames as string[]) ?? [...repositories.keys()]).map(repo),
    }),
    CreateRepository: async (body) => {
      const name = String(body.repositoryName);
      if (repositories.has(name))
        throw new ApiError('RepositoryAlreadyExistsException', `'${name}' already exists`);
      const created = makeRepo(name, body);
      repositories.set(name, created);
      return { repository: created };
    },
    PutImageTagMutability: async (body) => {
      const target = repo(body.repositoryName);
      const setting = validateMutability(body);
      target.imageTagMutability = setting.imageTagMutability;
      if (setting.imageTagMutabilityExclusionFilters)
        target.imageTagMutabilityExclusionFilters = setting.imageTagMutabilityExclusionFilters;
      else delete target.imageTagMutabilityExclusionFilters;
      return { registryId: accountId, repositoryName: target.repositoryName, ...setting };
    },
    PutLifecyclePolicy: async (body) => {
      const target = repo(body.repositoryName);
      target.lifecyclePolicyText = String(body.lifecyclePolicyText);
      return {
        registryId: accountId,
        repositoryName: target.repositoryName,
        lifecyclePolicyText: target.lifecyclePolicyText,
      };
    },
    BatchGetImage: async (body) => {
      const target = repo(body.repositoryName);
      const images: unknown[] = [];
      const failures: unknown[] = [];
      for (const id of (body.imageIds as { imageTag?: string; imageDigest?: string }[]) ?? []) {
        const reference = id.imageTag ?? id.imageDigest ?? '';
        const response = await fetch(
          `${options.registryUrl}/v2/${target.repositoryName}/manifests/${reference}`,
          {
            headers: { Accept: MANIFEST_ACCEPT, Authorization: authorization },
          },
        );
        const text = await response.text();
        if (response.status === 404) {
          failures.push({
            imageId: id,
            failureCode: 'ImageNotFound',
            failureReason: 'Requested image not found',
          });
        } else if (response.ok) {
          images.push({
            registryId: accountId,
            repositoryName: target.repositoryName,
            imageId: { imageTag: id.imageTag, imageDigest: response.headers.get('docker-content-digest') },
            imageManifest: text,
            imageManifestMediaType: response.headers.get('content-type'),
          });
        } else {
          throw new ApiError('ServerException', `registry answered ${response.status}`);
        }
      }
      return { images, failures };
    },
  };

  /** The registry side: through to the real registry, refusing what ECR's registry refuses. */
  const registry = async (req: IncomingMessage, res: ServerResponse) => {
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ code, message, detail: null }] }));
    };
    const path = new URL(req.url ?? '/', 'http://registry').pathname;
    const name = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(path)?.[1];
    if (name !== undefined && !repositories.has(name)) {
      refuse(
        404,
        'NAME_UNKNOWN',
        `The repository with name '${name}' does not exist in the registry with id '${accountId}'`,
      );
      return;
    }
    const manifest = /^\/v2\/(.+)\/manifests\/([^/:]+)$/.exec(path);
    let body: Buffer | undefined;
    if (req.method === 'PUT' && manifest) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
      const [, repository, tag] = manifest as unknown as [string, string, string];
      const held = await fetch(`${options.registryUrl}/v2/${repository}/manifests/${tag}`, {
        method: 'HEAD',
        headers: { Accept: MANIFEST_ACCEPT, Authorization: authorization },
      });
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const existing = held.ok ? held.headers.get('docker-content-digest') : null;
      const target = repositories.get(repository)!;
      const setting = {
        mutability: target.imageTagMutability,
        exclusions: (target.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter),
      };
      if (existing && existing !== digest && !tagMayMove(setting, tag).mayMove) {
        const message = `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the tag is immutable.`;
        refusedPushes.push({ repository, tag, message });
        refuse(400, 'TAG_INVALID', message);
        return;
      }
    }
    const upstream = new URL(options.registryUrl);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // Host unchanged: the registry builds upload Location URLs from it, so they point back here.
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err) => {
      if (!res.headersSent) refuse(502, 'UNAVAILABLE', `registry unreachable: ${err.message}`);
      else res.destroy(err);
    });
    if (body !== undefined) forward.end(body);
    else req.pipe(forward);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').startsWith('/v2/')) {
      await registry(req, res).catch((err: unknown) => res.destroy(err as Error));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.split('.').pop() ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      // leave empty
    }
    // Unsigned requests never reach IAM, so only signed ones are recorded.
    const region = signedRegion(req.headers.authorization);
    if (region) iamRequests.push(...ecrIamRequests(operation, body, region, accountId));
    const send = (status: number, payload: unknown, errorType?: string) => {
      calls.push({ operation, body, status });
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(JSON.stringify(payload));
    };
    try {
      if ((throttled[operation] ?? 0) > 0) {
        throttled[operation]!--;
        throw new ApiError('ThrottlingException', 'Rate exceeded');
      }
      if (options.deny?.includes(operation)) {
        throw new ApiError(
          'AccessDeniedException',
          `User: arn:aws:sts::${accountId}:assumed-role/ci/job is not authorized to perform: ecr:${operation}`,
        );
      }
      const implementation = operations[operation];
      if (!implementation) throw new ApiError('UnknownOperationException', `unknown operation '${target}'`);
      send(200, await implementation(body));
    } catch (err) {
      const type = err instanceof ApiError ? err.type : 'ServerException';
      send(type === 'ServerException' ? 500 : 400, { __type: type, message: (err as Error).message }, type);
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  registryHost = `127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    registryHost,
    calls,
    iamRequests,
    refusedPushes,
    repositories,
    addRepository: (name, settings = {}) => {
      repositories.set(name, makeRepo(name, settings));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The IAM action and resource of an ECR API call: the repository in the registry's account, or '*' for the login. */
export function ecrIamRequests(
  operation: string,
  body: Record<string, unknown>,
  region: string,
  accountId: string,
): IamRequest[] {
  const action = `ecr:${operation}`;
  if (operation === 'GetAuthorizationToken')
    return [{ principal: 'workflow', action, resource: '*', context: {} }];
  const account = typeof body.registryId === 'string' ? body.registryId : accountId;
  const names =
    typeof body.repositoryName === 'string'
      ? [body.repositoryName]
      : ((body.repositoryNames as string[] | undefined) ?? ['*']);
  return names.map((name) => ({
    principal: 'workflow',
    action,
    resource: ecrRepositoryArn(region, account, name),
    context: {},
  }));
}
