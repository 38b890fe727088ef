/** Where the inventory comes from: an existing CycloneDX / SPDX SBOM file, or the project's npm lockfile. */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../../lib/inputs.js';
import { inventoryFromCycloneDx } from './cyclonedx.js';
import type { Inventory } from './inventory.js';
import { inventoryFromLockfile } from './lockfile.js';
import { validateSbom, type SbomKind } from './schema.js';
import { inventoryFromSpdx } from './spdx.js';

export interface Loaded {
  inventory: Inventory;
  /** The parsed input SBOM, when one was given, with its kind. */
  original?: { kind: SbomKind; doc: unknown };
}

function workspaceRelative(file: string, env: NodeJS.ProcessEnv): string {
  const base = env.GITHUB_WORKSPACE || process.cwd();
  const rel = relative(base, file);
  return (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file).split(sep).join('/');
}

export function loadSbomFile(file: string, env: NodeJS.ProcessEnv): Loaded {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new InputError(
      'sbom-file',
      `cannot read '${file}': ${why}. Expected a CycloneDX or SPDX 2.3 JSON file.`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(
      'sbom-file',
      `'${file}' is not valid JSON (${(err as Error).message}). Expected a CycloneDX or SPDX 2.3 JSON file.`,
    );
  }
  const source = workspaceRelative(path, env);
  if (doc && typeof doc === 'object' && doc.bomFormat === 'CycloneDX') {
    validateSbom('cyclonedx', doc, file);
    return { inventory: inventoryFromCycloneDx(doc, source), original: { kind: 'cyclonedx', doc } };
  }
  if (doc && typeof doc === 'object' && typeof doc.spdxVersion === 'string') {
    if (!/^SPDX-2\.[23]$/.test(doc.spdxVersion)) {
      throw new InputError(
        'sbom-file',
        `'${file}' is ${doc.spdxVersion}; expected SPDX-2.3 (or SPDX-2.2) JSON.`,
      );
    }
    validateSbom('spdx', doc, file);
    return { inventory: inventoryFromSpdx(doc as never, source), original: { kind: 'spdx', doc } };
  }
  throw new InputError(
    'sbom-file',
    `'${file}' is neither a CycloneDX JSON SBOM (bomFormat "CycloneDX") nor an SPDX JSON document (spdxVersion "SPDX-2.3").`,
  );
}

export function loadLockfile(dir: string, env: NodeJS.ProcessEnv): Loaded {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir)
    throw new InputError(
      'path',
      `'${dir}' is not a directory; expected the project folder holding package-lock.json.`,
    );
  for (const name of ['package-lock.json', 'npm-shrinkwrap.json']) {
    const file = join(root, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const label = `${dir.replace(/\/+$/, '') || '.'}/${name}`;
    return {
      inventory: inventoryFromLockfile(text, label, workspaceRelative(file, env), {
        manifest: (key) => readManifest(join(root, key, 'package.json')),
      }),
    };
  }
  throw new InputError(
    'path',
    `no package-lock.json (or npm-shrinkwrap.json) in '${dir}'. Commit the lockfile (npm install --package-lock-only), ` +
      `or set 'sbom-file' to an existing CycloneDX or SPDX SBOM.`,
  );
}

/** A package.json, or undefined when it is not there or not JSON (the package is then not known to be private). */
function readManifest(path: string): { private?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { private?: unknown };
  } catch {
    return undefined;
  }
}
