/** The image reference: digest-pinned unless the workflow explicitly allows a mutable tag. */

import { InputError } from '../../lib/inputs.js';

export interface ImageRef {
  reference: string;
  /** Registry host ('' for Docker Hub style references without one). */
  registry: string;
  repository: string;
  digest?: string;
  tag?: string;
  /** The AWS region of an ECR registry host, if it is one. */
  ecrRegion?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function parseImage(reference: string, { allowMutable }: { allowMutable: boolean }): ImageRef {
  const ref = reference.trim();
  if (ref === '')
    throw new InputError('image', 'is required: pass the image-uri output of ecr-push (repo@sha256:...).');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new InputError(
        'image',
        `the digest in '${ref}' is not sha256: followed by 64 lowercase hex characters.`,
      );
    }
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag))
      throw new InputError('image', `'${tag}' in '${ref}' is not a valid tag.`);
  }
  const parts = rest.split('/');
  let registry = '';
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift()!;
  if (parts.length === 0 || !parts.every((p) => NAME_COMPONENT.test(p))) {
    throw new InputError(
      'image',
      `'${ref}' is not a valid image reference (registry/repository[:tag]@sha256:digest).`,
    );
  }
  if (!digest && !allowMutable) {
    throw new InputError(
      'image',
      `'${ref}' is not pinned to a digest. Pass a digest reference (repo@sha256:..., e.g. ecr-push's image-uri ` +
        'output) so every instance runs the same bytes, or set allow-mutable-image: true.',
    );
  }
  const ecr = ECR_HOST.exec(registry);
  return { reference: ref, registry, repository: parts.join('/'), digest, tag, ecrRegion: ecr?.[1] };
}
