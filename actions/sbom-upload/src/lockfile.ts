/**
 * package-lock.json (lockfileVersion 2 or 3, npm 7+) -> Inventory. Reads the flat `packages` map the
 * way npm's arborist lays out node_modules: a dependency of the package at `a/node_modules/b` is found
 * at `a/node_modules/b/node_modules/<dep>`, then one `node_modules` level up, and so on to the root.
 * Workspaces are the non-node_modules keys; `link: true` entries point at them.
 */
import { PackageURL } from 'packageurl-js';
import type { Hash, Inventory, Package } from './inventory.js';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: unknown;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion?: unknown;
  packages?: Record<string, LockEntry>;
}

const SRI_ALGORITHMS: Record<string, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** Subresource-integrity strings (`sha512-<base64> sha1-<base64>`) -> CycloneDX hashes in hex. */
export function integrityToHashes(integrity: string | undefined): Hash[] {
  if (!integrity) return [];
  const hashes: Hash[] = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)(?:\?.*)?$/.exec(token);
    if (!match) continue;
    hashes.push({
      alg: SRI_ALGORITHMS[match[1]!]!,
      content: Buffer.from(match[2]!, 'base64').toString('hex'),
    });
  }
  return hashes;
}

/** `license` as npm writes it into the lockfile: a string, or the legacy `{ type }` object. */
function licensesOf(value: unknown): string[] {
  if (typeof value === 'string' && value.trim()) return [value.trim()];
  if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
    return [(value as { type: string }).type];
  }
  if (Array.isArray(value)) return value.flatMap(licensesOf);
  return [];
}

/** The package name installed at a lockfile key (`node_modules/@a/b/node_modules/c` -> `c`). */
function nameFromKey(key: string): string {
  const idx = key.lastIndexOf('node_modules/');
  return idx >= 0 ? key.slice(idx + 'node_modules/'.length) : key.split('/').pop()!;
}

/** The key whose node_modules is searched next: `a/node_modules/b` -> `a`, `node_modules/b` -> ``. */
function parentKey(key: string): string {
  const idx = key.lastIndexOf('/node_modules/');
  return idx >= 0 ? key.slice(0, idx) : '';
}

export function npmPurl(name: string, version: string | undefined): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  return new PackageURL('npm', namespace, bare, version || undefined, undefined, undefined).toString();
}

function splitScope(name: string): { group?: string; name: string } {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0 ? { group: name.slice(0, slash), name: name.slice(slash + 1) } : { name };
}

export interface LockfileOptions {
  /**
   * The package.json of the package at a lockfile key (`app`, `node_modules/x`), relative to the
   * lockfile's folder, when it can be read: it tells whether a local package is private.
   */
  manifest?: (key: string) => { private?: unknown } | undefined;
}

/**
 * A package that is the project's own code: a workspace or the folder of a `file:` dependency (keys
 * outside node_modules), or a `file:` tarball.
 */
function isLocal(key: string, entry: LockEntry): boolean {
  return (
    !key.includes('node_modules/') ||
    (typeof entry.resolved === 'string' && entry.resolved.startsWith('file:'))
  );
}

/**
 * Parses the text of a lockfile. `file` names it in error messages; `source` is recorded as the
 * inventory's manifest path.
 */
export function inventoryFromLockfile(
  text: string,
  file: string,
  source = file,
  options: LockfileOptions = {},
): Inventory {
  let lock: Lockfile;
  try {
    lock = JSON.parse(text) as Lockfile;
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!lock || typeof lock !== 'object' || Array.isArray(lock)) {
    throw new Error(`${file} is not a package-lock.json: expected a JSON object.`);
  }
  const version = lock.lockfileVersion;
  if (version !== 2 && version !== 3) {
    throw new Error(
      `${file} has lockfileVersion ${JSON.stringify(version ?? null)}; expected 2 or 3. ` +
        `Regenerate it with npm 7 or later: npm install --package-lock-only`,
    );
  }
  const entries = lock.packages;
  if (!entries || typeof entries !== 'object') {
    throw new Error(`${file} (lockfileVersion ${version}) has no "packages" object.`);
  }
  const rootEntry = entries[''] ?? {};

  /** Follows `link: true` entries to the workspace folder they point at. */
  const target = (key: string): string | undefined => {
    const entry = entries[key];
    if (!entry) return undefined;
    if (entry.link)
      return typeof entry.resolved === 'string' && entries[entry.resolved] ? entry.resolved : undefined;
    return key;
  };

  const resolve = (from: string, dep: string): string | undefined => {
    let base = from;
    for (;;) {
      const found = target(`${base ? `${base}/` : ''}node_modules/${dep}`);
      if (found !== undefined) return found;
      if (base === '') return undefined;
      base = base.includes('node_modules/') ? parentKey(base) : '';
    }
  };

  const rootName = lock.name ?? rootEntry.name ?? 'project';
  const rootVersion = lock.version ?? rootEntry.version;
  const root = { ref: 'root', name: rootName, version: rootVersion, purl: npmPurl(rootName, rootVersion) };

  // One component per distinct package (purl): npm may install the same name@version at several paths.
  const refOfKey = new Map<string, string>();
  const byRef = new Map<string, Package & { depSet: Set<string> }>();
  for (const [key, entry] of Object.entries(entries)) {
    if (key === '' || entry.link) continue;
    const fullName = entry.name ?? nameFromKey(key);
    const purl = npmPurl(fullName, entry.version);
    refOfKey.set(key, purl);
    const dev = entry.dev === true;
    // devOptional: needed only in development or as an optional dependency, never required at run time
    const optional = dev || entry.optional === true || entry.devOptional === true;
    const local = isLocal(key, entry);
    const isPrivate = local && options.manifest?.(key)?.private === true;
    const existing = byRef.get(purl);
    if (existing) {
      // Needed at run time anywhere means needed at run time.
      if (!dev) existing.dev = false;
      if (!optional) existing.scope = 'required';
      if (local) existing.local = true;
      if (isPrivate) existing.private = true;
      if (existing.hashes.length === 0) existing.hashes = integrityToHashes(entry.integrity);
      if (existing.licenses.length === 0) existing.licenses = licensesOf(entry.license);
      continue;
    }
    byRef.set(purl, {
      ref: purl,
      ...splitScope(fullName),
      version: entry.version,
      purl,
      licenses: licensesOf(entry.license),
      hashes: integrityToHashes(entry.integrity),
      scope: optional ? 'optional' : 'required',
      dev,
      ...(local ? { local } : {}),
      ...(isPrivate ? { private: true } : {}),
      dependsOn: [],
      depSet: new Set(),
    });
  }

  const workspaces = Object.keys(entries).filter(
    (key) => key !== '' && !key.includes('node_modules/') && !entries[key]!.link,
  );
  const edgesOf = (key: string, entry: LockEntry): string[] => {
    const isProject = key === '' || workspaces.includes(key);
    const names = new Set([
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}),
      ...(isProject ? Object.keys(entry.devDependencies ?? {}) : []),
    ]);
    const refs: string[] = [];
    for (const name of names) {
      const found = resolve(key, name);
      const ref = found === undefined ? undefined : refOfKey.get(found);
      if (ref) refs.push(ref);
    }
    return refs;
  };

  for (const [key, entry] of Object.entries(entries)) {
    if (key === '' || entry.link) continue;
    const pkg = byRef.get(refOfKey.get(key)!)!;
    for (const ref of edgesOf(key, entry)) if (ref !== pkg.ref) pkg.depSet.add(ref);
  }
  const rootDeps = new Set(edgesOf('', rootEntry));
  // The root depends on its workspaces (npm links them into the root node_modules).
  for (const key of workspaces) rootDeps.add(refOfKey.get(key)!);

  const packages: Package[] = [...byRef.values()].map(({ depSet, ...pkg }) => ({
    ...pkg,
    dependsOn: [...depSet],
  }));
  return { root, packages, rootDependsOn: [...rootDeps], source };
}
