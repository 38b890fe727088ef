/**
 * The service images the rehearsal ships: app/Dockerfile built with buildah (as the image test does, on a
 * Node base assembled from this machine's node: no base image can be pulled here), and a broken release
 * made from it.
 */
import { join } from 'node:path';
import { check, privateStorage } from '../action-tests/helpers/service-image.js';

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
 * A release that cannot become healthy: the good image with a database URL baked in that points at a port
 * nothing listens on, the kind of configuration mistake a rollout must catch. The service refuses to start
 * without its database, so /health never answers.
 */
export async function buildBrokenImage(storage: Storage, good: string, broken: string): Promise<void> {
  const container = (await storage.buildah(['from', good])).trim();
  try {
    await storage.buildah([
      'config',
      '--env',
      'DATABASE_URL=postgres://legal@127.0.0.1:9/legal',
      '--label',
      'org.opencontainers.image.description=broken release: DATABASE_URL points at nothing',
      container,
    ]);
    await storage.buildah(['commit', '--quiet', '--format', 'docker', container, broken]);
  } finally {
    await storage.buildah(['rm', container]).catch(() => undefined);
  }
}
