/**
 * Pure parsing and validation of what the workflow names: tags (plain or full references), the ECR
 * repository name, the image source (local name or transport reference) and the registry endpoint.
 */
import { InputError } from '../../lib/inputs.js';

/** Docker / ECR tag grammar: up to 128 characters, word character first. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** ECR repository names: lowercase path components separated by '/', 2 to 256 characters. */
export const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function validateRepository(name: string): string {
  if (name.length < 2 || name.length > 256 || !REPOSITORY_PATTERN.test(name)) {
    throw new InputError(
      'repository',
      `'${name}' is not a valid ECR repository name: expected 2 to 256 characters of lowercase letters, ` +
        `digits and single '.', '_' or '-' separators, in path components joined by '/' (e.g. team/service).`,
    );
  }
  return name;
}

/**
 * The tag of one `tags` item: a plain tag (`v1.2.3`) or the tag part of a full reference
 * (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1.2.3`, `app:v1.2.3`).
 */
export function tagOf(item: string): string {
  const value = item.trim();
  const lastSlash = value.lastIndexOf('/');
  const last = value.slice(lastSlash + 1);
  if (last.includes('@')) {
    throw new InputError('tags', `'${value}' is a digest reference; give a tag (name:tag or a plain tag).`);
  }
  let tag: string;
  if (lastSlash >= 0) {
    const colon = last.lastIndexOf(':');
    if (colon < 0)
      throw new InputError('tags', `'${value}' is a reference without a tag; expected name:tag.`);
    tag = last.slice(colon + 1);
  } else {
    const colon = value.lastIndexOf(':');
    tag = colon >= 0 ? value.slice(colon + 1) : value;
  }
  if (!TAG_PATTERN.test(tag)) {
    throw new InputError(
      'tags',
      `'${tag}'${tag === value ? '' : ` (from '${value}')`} is not a valid image tag: expected 1 to 128 ` +
        `characters of letters, digits, '_', '.' or '-', not starting with '.' or '-'.`,
    );
  }
  return tag;
}

/** Tags in the order given, duplicates dropped. */
export function parseTags(items: string[]): string[] {
  if (items.length === 0) throw new InputError('tags', 'is required: give at least one tag.');
  return [...new Set(items.map(tagOf))];
}

export type Transport = 'oci-archive' | 'docker-archive' | 'oci' | 'containers-storage';
export const TRANSPORTS: readonly Transport[] = [
  'oci-archive',
  'docker-archive',
  'oci',
  'containers-storage',
];
/** Transports containers/image knows but this action does not push from. */
const OTHER_TRANSPORTS = ['docker', 'docker-daemon', 'dir', 'tarball', 'sif', 'ostree', 'atomic'];

export type ImageSource =
  | { kind: 'local'; name: string }
  | { kind: 'transport'; transport: Transport; reference: string; path?: string };

// [host[:port]/]path[:tag][@digest], lowercase path components (docker reference grammar).
const LOCAL_NAME =
  /^(?:(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d+)?)\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function parseImage(value: string): ImageSource {
  if (value === '') {
    throw new InputError(
      'image',
      `is required: a local image name (docker, podman) or one of ${TRANSPORTS.map((t) => `${t}:...`).join(', ')}.`,
    );
  }
  const prefix = /^([a-z][a-z0-9-]*):(.*)$/s.exec(value);
  if (prefix && (TRANSPORTS as readonly string[]).includes(prefix[1]!)) {
    const transport = prefix[1] as Transport;
    const rest = prefix[2]!;
    if (rest === '')
      throw new InputError(
        'image',
        `'${value}' names no ${transport === 'containers-storage' ? 'image' : 'path'}.`,
      );
    if (transport === 'containers-storage') return { kind: 'transport', transport, reference: value };
    // oci:DIR[:REF] and the archives' PATH[:REF]: the path is what must exist.
    const path = transport === 'docker-archive' ? rest.replace(/:[^/]*$/, '') : rest.replace(/:[^/:]*$/, '');
    return { kind: 'transport', transport, reference: value, path: path || rest };
  }
  if (prefix && (OTHER_TRANSPORTS.includes(prefix[1]!) || prefix[2]!.startsWith('/'))) {
    throw new InputError(
      'image',
      `'${value}' uses the transport '${prefix[1]}:', which this action does not push from; expected a local ` +
        `image name or one of ${TRANSPORTS.map((t) => `${t}:`).join(', ')}.`,
    );
  }
  if (!LOCAL_NAME.test(value)) {
    throw new InputError(
      'image',
      `'${value}' is neither a local image name (name[:tag]) nor a transport reference ` +
        `(${TRANSPORTS.map((t) => `${t}:...`).join(', ')}).`,
    );
  }
  return { kind: 'local', name: value };
}

export interface RegistryEndpoint {
  /** host[:port], as used in image references. */
  host: string;
  /** True when the endpoint is plain http (accepted only on loopback). */
  insecure: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** The registry from ECR's proxyEndpoint: https anywhere, plain http only on a loopback address. */
export function parseProxyEndpoint(proxyEndpoint: string): RegistryEndpoint {
  let url: URL;
  try {
    url = new URL(proxyEndpoint.includes('://') ? proxyEndpoint : `https://${proxyEndpoint}`);
  } catch {
    throw new Error(`ECR returned a registry endpoint that is not a URL: '${proxyEndpoint}'.`);
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new Error(
        `The registry endpoint '${proxyEndpoint}' uses plain http on a non-loopback host; only https is ` +
          `accepted, plain http only on 127.0.0.0/8, ::1 or localhost.`,
      );
    }
    return { host: url.host, insecure: true };
  }
  if (url.protocol !== 'https:') {
    throw new Error(`The registry endpoint '${proxyEndpoint}' must be https (got ${url.protocol}).`);
  }
  return { host: url.host, insecure: false };
}
