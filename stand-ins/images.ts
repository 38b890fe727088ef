/** Small OCI images built for real with umoci (no network, no base image), and packed with skopeo. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds a one-layer OCI image with umoci from `files` (path -> content) and returns its OCI layout
 * directory and tag; `ociArchive` packs it with skopeo.
 */
export function buildImage(
  workDir: string,
  name: string,
  files: Record<string, string | Buffer>,
): { layout: string; ref: string } {
  const layout = join(workDir, `${name}-layout`);
  const bundle = join(workDir, `${name}-bundle`);
  const umoci = (...args: string[]) => execFileSync('umoci', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  umoci('init', '--layout', layout);
  umoci('new', '--image', `${layout}:${name}`);
  umoci('unpack', '--rootless', '--image', `${layout}:${name}`, bundle);
  for (const [path, content] of Object.entries(files)) {
    const target = join(bundle, 'rootfs', path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, content);
  }
  umoci('repack', '--image', `${layout}:${name}`, bundle);
  umoci('config', '--image', `${layout}:${name}`, '--config.cmd', '/bin/true', '--config.user', '65534');
  rmSync(bundle, { recursive: true, force: true });
  return { layout, ref: `oci:${layout}:${name}` };
}

/**
 * A two-platform image index (linux/amd64 + linux/arm64), each a one-layer umoci image, in one OCI
 * layout; returns the layout reference of the index and its digest (the hash of the index bytes).
 */
export function buildIndex(
  workDir: string,
  name: string,
): { ref: string; digest: string; children: string[] } {
  const layout = join(workDir, `${name}-layout`);
  const umoci = (...args: string[]) => execFileSync('umoci', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  umoci('init', '--layout', layout);
  for (const arch of ['amd64', 'arm64']) {
    const bundle = join(workDir, `${name}-${arch}-bundle`);
    umoci('new', '--image', `${layout}:${arch}`);
    umoci('unpack', '--rootless', '--image', `${layout}:${arch}`, bundle);
    writeFileSync(join(bundle, 'rootfs', 'arch'), `${arch}\n`);
    umoci('repack', '--image', `${layout}:${arch}`, bundle);
    umoci('config', '--image', `${layout}:${arch}`, '--architecture', arch, '--os', 'linux');
    rmSync(bundle, { recursive: true, force: true });
  }
  type Descriptor = { mediaType: string; digest: string; size: number; annotations?: Record<string, string> };
  const top = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const byRef = new Map(top.manifests.map((m) => [m.annotations?.['org.opencontainers.image.ref.name'], m]));
  const manifests = ['amd64', 'arm64'].map((architecture) => {
    const m = byRef.get(architecture)!;
    return {
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      platform: { architecture, os: 'linux' },
    };
  });
  const bytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  const hex = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(layout, 'blobs', 'sha256', hex), bytes);
  top.manifests.push({
    mediaType: 'application/vnd.oci.image.index.v1+json',
    digest: `sha256:${hex}`,
    size: bytes.length,
    annotations: { 'org.opencontainers.image.ref.name': 'multi' },
  });
  writeFileSync(join(layout, 'index.json'), JSON.stringify(top));
  return { ref: `oci:${layout}:multi`, digest: `sha256:${hex}`, children: manifests.map((m) => m.digest) };
}

export function ociArchive(workDir: string, source: { layout: string; ref: string }, file: string): string {
  const path = join(workDir, file);
  execFileSync('skopeo', ['copy', '--quiet', source.ref, `oci-archive:${path}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return path;
}
