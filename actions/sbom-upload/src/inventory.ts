/**
 * The one shape every SBOM source is read into and every output is written from: the packages of a
 * project (or image), their licences and hashes, and who depends on whom.
 */
export type Scope = 'required' | 'optional';

export interface Hash {
  /** CycloneDX algorithm name: SHA-1, SHA-256, SHA-384, SHA-512, MD5 ... */
  alg: string;
  /** Lower-case hex. */
  content: string;
}

export interface Package {
  /** Unique within the inventory (the purl when there is one). */
  ref: string;
  name: string;
  /** npm scope or other namespace (e.g. `@actions`, a Debian vendor); part of the purl, not the name. */
  group?: string;
  version?: string;
  purl?: string;
  /** SPDX ids or expressions, or free-text licence names as found. */
  licenses: string[];
  hashes: Hash[];
  scope: Scope;
  /** Only needed for development (npm `dev: true`). */
  dev: boolean;
  /** The project's own code, not fetched from a registry: an npm workspace or a `file:` dependency. */
  local?: boolean;
  /** Its package.json says `"private": true`: never published, so its purl names nothing public. */
  private?: boolean;
  /** Refs of the packages this one depends on. */
  dependsOn: string[];
}

export interface Inventory {
  /** The project or image the SBOM describes. */
  root: { ref: string; name: string; version?: string; purl?: string };
  packages: Package[];
  /** Refs the root depends on directly. */
  rootDependsOn: string[];
  /** Where the inventory came from, relative to the workspace (used as the snapshot manifest name). */
  source: string;
}

/** The ecosystem of a package: its purl type (npm, deb, golang ...), or `unknown`. */
export function ecosystemOf(pkg: Pick<Package, 'purl'>): string {
  const match = /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\//.exec(pkg.purl ?? '');
  return match ? match[1]!.toLowerCase() : 'unknown';
}

/** The purl type name a GitHub-style display uses: `@scope/name` for npm, `group/name` elsewhere. */
export function displayName(pkg: Pick<Package, 'name' | 'group'>): string {
  return pkg.group ? `${pkg.group}/${pkg.name}` : pkg.name;
}
