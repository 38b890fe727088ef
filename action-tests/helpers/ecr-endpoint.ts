/**
 * A local stand-in for the ECR API (JSON 1.1 protocol, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.*)
 * reached through AWS_ENDPOINT_URL_ECR. GetAuthorizationToken points at a real local registry;
 * BatchGetImage asks that registry's HTTP API, so tag -> digest answers are the registry's own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MANIFEST_ACCEPT } from './ecr-registry.js';
import { ecrRepositoryArn, signedRegion, type IamRequest } from './iam-recording.js';

export interface EndpointOptions {
  registryUrl: string;
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
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  lifecyclePolicyText?: string;
}

export interface EcrEndpoint {
  url: string;
  calls: Call[];
  /** What IAM authorizes for each call (recorded for infra/test/least-privilege.test.ts). */
  iamRequests: IamRequest[];
  repositories: Map<string, Repo>;
  addRepository(name: string, settings?: Partial<Pick<Repo, 'imageTagMutability'>>): void;
  close(): Promise<void>;
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
  const registryHost = new URL(options.registryUrl).host;
  const repositories = new Map<string, Repo>();
  const calls: Call[] = [];
  const iamRequests: IamRequest[] = [];
  const throttled: Record<string, number> = { ...(options.throttle ?? {}) };
  const authorization = `Basic ${Buffer.from(`${options.username ?? 'AWS'}:${options.password}`).toString('base64')}`;

  const makeRepo = (name: string, body: Record<string, unknown> = {}): Repo => ({
    repositoryName: name,
    repositoryArn: `arn:aws:ecr:us-east-1:${accountId}:repository/${name}`,
    registryId: accountId,
    repositoryUri: `${registryHost}/${name}`,
    createdAt: Math.floor(Date.now() / 1000),
    imageTagMutability: (body.imageTagMutability as string) ?? 'MUTABLE',
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
          proxyEndpoint: options.registryUrl,
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
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
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    iamRequests,
    repositories,
    addRepository: (name, settings = {}) => {
      repositories.set(name, { ...makeRepo(name), ...settings });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
