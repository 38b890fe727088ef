/**
 * A real OCI registry for tests, the rehearsal and the benchmark: Debian's `docker-registry` (distribution) on
 * a free loopback port, storage in a temp dir, htpasswd basic auth for the user "AWS" (as ECR), its log in a
 * file so tests can count blob uploads and read which Registry API requests a pusher made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ecrRepositoryArn, type IamRequest } from './iam.js';
import { freePort } from './net.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
/** The registry password the local ECR endpoint hands out, and its bcrypt hash (cost 4, for speed). */
export const REGISTRY_PASSWORD = 'ecr-local-pw-4f9c2a7e1b';
const REGISTRY_HTPASSWD = 'AWS:$2b$04$rTg0a180xYdGwNMlNJrnEuRyQC6R5iiz070OTuWz7dqYo4.HJ4aOW';

export interface LocalRegistry {
  url: string;
  host: string;
  dir: string;
  logFile: string;
  /** Basic auth header value for the registry's own HTTP API. */
  authorization: string;
  log(): string;
  /** Blob upload sessions started (POST .../blobs/uploads/) in the log since `from` characters. */
  blobUploads(from?: number): number;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-registry-'));
  const port = await freePort();
  writeFileSync(join(dir, 'htpasswd'), `${REGISTRY_HTPASSWD}\n`);
  mkdirSync(join(dir, 'storage'));
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: info',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      'auth:',
      '  htpasswd:',
      '    realm: local-ecr',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'registry.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', fd, fd],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 401 || response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`docker-registry did not start: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = () => readFileSync(logFile, 'utf8');
  return {
    url,
    host: `127.0.0.1:${port}`,
    dir,
    logFile,
    authorization: `Basic ${Buffer.from(`AWS:${REGISTRY_PASSWORD}`).toString('base64')}`,
    log,
    blobUploads: (from = 0) =>
      (
        log()
          .slice(from)
          .match(/"POST \/v2\/[^ ]+\/blobs\/uploads\/[^ ]* HTTP/g) ?? []
      ).length,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          rmSync(dir, { recursive: true, force: true });
          resolve();
          return;
        }
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** GET /v2/<repo>/manifests/<ref> from the registry's own API. */
export async function getManifest(
  registry: Pick<LocalRegistry, 'url' | 'authorization'>,
  repository: string,
  reference: string,
): Promise<{ status: number; digest: string | null; mediaType: string | null; body: Buffer }> {
  const response = await fetch(`${registry.url}/v2/${repository}/manifests/${reference}`, {
    headers: { Accept: MANIFEST_ACCEPT, Authorization: registry.authorization },
  });
  return {
    status: response.status,
    digest: response.headers.get('docker-content-digest'),
    mediaType: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/**
 * The IAM action ECR authorizes for each Registry API request in the registry's access log, as a pusher
 * (skopeo, podman, docker) made it; requests from node (the ECR stand-in and the tests' own checks), the
 * /v2/ ping and unauthenticated 401 challenges are left out.
 */
export function registryIamRequests(log: string, region: string, account: string): IamRequest[] {
  const requests: IamRequest[] = [];
  const line =
    /"(GET|HEAD|POST|PATCH|PUT|DELETE) \/v2\/(.+?)\/(blobs\/uploads|blobs|manifests|tags)\/?(\S*) HTTP\/[\d.]+" (\d{3}) \S+ "[^"]*" "([^"]*)"/;
  for (const entry of log.split('\n')) {
    const match = line.exec(entry);
    if (!match) continue;
    const [, method, repository, kind, rest, status, agent] = match;
    if (agent === 'node' || status === '401') continue;
    const action = registryAction(method!, kind!, rest!);
    requests.push({
      principal: 'workflow',
      action,
      resource: ecrRepositoryArn(region, account, repository!),
      context: {},
    });
  }
  return requests;
}

/** ECR's mapping of Docker Registry HTTP API requests to IAM actions. */
function registryAction(method: string, kind: string, rest: string): string {
  if (kind === 'blobs/uploads') {
    if (method === 'POST') return 'ecr:InitiateLayerUpload';
    if (method === 'PATCH') return 'ecr:UploadLayerPart';
    if (method === 'PUT') return 'ecr:CompleteLayerUpload';
  }
  if (kind === 'blobs')
    return method === 'HEAD' ? 'ecr:BatchCheckLayerAvailability' : 'ecr:GetDownloadUrlForLayer';
  if (kind === 'manifests') {
    if (method === 'PUT') return 'ecr:PutImage';
    if (method === 'DELETE') return 'ecr:BatchDeleteImage';
    return 'ecr:BatchGetImage';
  }
  if (kind === 'tags') return 'ecr:ListImages';
  throw new Error(`no ECR action for ${method} ${kind}/${rest}`);
}
