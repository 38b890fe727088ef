/**
 * The service images the rehearsal ships: app/Dockerfile built with buildah (as the image test does, on a
 * Node base assembled from this machine's node: no base image can be pulled here), and the broken release
 * and the release with bad metrics made from it.
 */
import { join } from 'node:path';
import { check } from '../stand-ins/commands.js';
import { privateStorage } from '../stand-ins/podman.js';

/** How long assembling the base and building app/Dockerfile may each take. */
export const BUILD_TIMEOUT_MS = 30 * 60_000;

export type Storage = ReturnType<typeof privateStorage>;

/** Builds app/Dockerfile as `image`, with the OCI labels sha-tag computed. */
export async function buildServiceImage(
  repo: string,
  storage: Storage,
  image: string,
  labels: string[],
): Promise<void> {
  const base = `${image}-node-base`;
  await check(join(repo, 'scripts/node-base-image.sh'), [base, ...storage.storage], {
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  await storage.buildah(
    [
      'bud',
      '--isolation',
      'chroot',
      '--format',
      'docker', // keeps HEALTHCHECK, which the OCI image format has no field for
      '--file',
      'app/Dockerfile',
      '--from', // replaces app/Dockerfile's pinned base stage (node:24-slim, not reachable here)
      base,
      ...labels.flatMap((label) => ['--label', label]),
      '--tag',
      image,
      '.',
    ],
    { cwd: repo, timeoutMs: BUILD_TIMEOUT_MS },
  );
  await storage.buildah(['rmi', base]).catch(() => undefined);
}

/**
 * A later release of the same service: the built image with the OCI labels of another commit (sha-tag's
 * labels for it), so it has its own digest, as a rebuild from a new commit on main would. Building
 * app/Dockerfile again would take a minute and change nothing else the rehearsal checks.
 */
export async function relabelImage(
  storage: Storage,
  from: string,
  to: string,
  labels: string[],
): Promise<void> {
  await derive(
    storage,
    from,
    to,
    labels.flatMap((label) => ['--label', label]),
  );
}

/**
 * A release that cannot become healthy: the good image with a database URL baked in that points at a port
 * nothing listens on, the kind of configuration mistake a rollout must catch. The service refuses to start
 * without its database, so /health never answers.
 */
export async function buildBrokenImage(storage: Storage, good: string, broken: string): Promise<void> {
  await derive(storage, good, broken, [
    '--env',
    'DATABASE_URL=postgres://legal@127.0.0.1:9/legal',
    '--label',
    'org.opencontainers.image.description=broken release: DATABASE_URL points at nothing',
  ]);
}

/**
 * A release that passes its health check but fails a share of real requests: the good image with its document
 * storage pointed at an S3 endpoint nothing answers on (a wrong S3_ENDPOINT, a setting the service supports).
 * /health and everything but documents work; every upload answers 503 (after about 2 s: the S3 client first looks
 * for credentials the container does not have). Only the canary analysis can tell.
 */
export async function buildBadMetricsImage(storage: Storage, good: string, bad: string): Promise<void> {
  await derive(storage, good, bad, [
    ...['S3_BUCKET=legal-documents-staging', 'S3_REGION=eu-west-1', 'S3_ENDPOINT=http://127.0.0.1:9'].flatMap(
      (variable) => ['--env', variable],
    ),
    '--label',
    'org.opencontainers.image.description=bad release: document storage points at an S3 endpoint that does not answer',
  ]);
}

/** `to` made from `from` with `buildah config` arguments applied, committed in docker format. */
async function derive(storage: Storage, from: string, to: string, config: string[]): Promise<void> {
  const container = (await storage.buildah(['from', from])).trim();
  try {
    await storage.buildah(['config', ...config, container]);
    await storage.buildah(['commit', '--quiet', '--format', 'docker', container, to]);
  } finally {
    await storage.buildah(['rm', container]).catch(() => undefined);
  }
}
