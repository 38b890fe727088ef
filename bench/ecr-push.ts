/**
 * ecr-push benchmark: a cold push of a generated image (new repository, every blob uploaded) against a
 * re-push of the same image under new tags (manifests only), both through dist/ecr-push/index.js run as
 * a runner runs it, against a real local registry. Prints medians and their ratio.
 *
 *   npm run build -- ecr-push && npm run bench:ecr-push     (BENCH_MB=64 BENCH_RUNS=5 to change)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEcrEndpoint } from '../stand-ins/ecr-endpoint.js';
import { ECR_PUSH_BUNDLE, runEcrPush } from '../stand-ins/ecr-push-runner.js';
import { buildImage, ociArchive } from '../stand-ins/images.js';
import { REGISTRY_PASSWORD, startRegistry } from '../stand-ins/registry.js';

const MB = Number(process.env.BENCH_MB ?? 32);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (!existsSync(ECR_PUSH_BUNDLE)) {
  console.error('dist/ecr-push/index.js is missing: run `npm run build -- ecr-push` first.');
  process.exit(1);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const work = mkdtempSync(join(tmpdir(), 'ecr-push-bench-'));
try {
  // Random bytes do not compress: the layer is as big on the wire as on disk.
  const image = buildImage(work, 'bench', {
    'data/blob-1.bin': randomBytes((MB / 2) * 1024 * 1024),
    'data/blob-2.bin': randomBytes((MB / 2) * 1024 * 1024),
    'app/hello.txt': 'bench\n',
  });
  const archive = ociArchive(work, image, 'bench.tar');
  const cold: number[] = [];
  const warm: number[] = [];
  let coldUploads = 0;
  let warmUploads = 0;
  for (let run = 0; run < RUNS; run++) {
    // A fresh registry per round, so the cold push cannot reuse blobs from an earlier round.
    const registry = await startRegistry();
    const endpoint = await startEcrEndpoint({ registryUrl: registry.url, password: REGISTRY_PASSWORD });
    const env = { AWS_ENDPOINT_URL_ECR: endpoint.url };
    try {
      let start = performance.now();
      const first = await runEcrPush(
        { repository: 'bench/app', tags: 'c1,c2,c3', image: `oci-archive:${archive}` },
        env,
      );
      cold.push(performance.now() - start);
      if (first.code !== 0) throw new Error(`cold push failed:\n${first.stdout}\n${first.stderr}`);
      coldUploads = registry.blobUploads();
      const logFrom = registry.log().length;
      start = performance.now();
      const again = await runEcrPush(
        { repository: 'bench/app', tags: 'r1,r2,r3', image: `oci-archive:${archive}` },
        env,
      );
      warm.push(performance.now() - start);
      if (again.code !== 0) throw new Error(`re-push failed:\n${again.stdout}\n${again.stderr}`);
      warmUploads = registry.blobUploads(logFrom);
    } finally {
      await endpoint.close();
      await registry.stop();
    }
  }
  const coldMs = median(cold);
  const warmMs = median(warm);
  console.log(
    `ecr-push benchmark: ${MB} MiB image (incompressible), 3 tags per push, ${RUNS} rounds, median wall time`,
  );
  console.log(`  cold push (new repository)        ${coldMs.toFixed(0)} ms, ${coldUploads} blob uploads`);
  console.log(`  re-push under 3 new tags         ${warmMs.toFixed(0)} ms, ${warmUploads} blob uploads`);
  console.log(`  ratio cold / re-push              ${(coldMs / warmMs).toFixed(2)}x`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
