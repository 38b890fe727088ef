/**
 * The SBOM generated from a real lockfile (this repository's own, v3, and a v2 conversion of it made
 * by npm at test time) against npm's own reading of the same lockfile: `npm ls --all --json --long
 * --package-lock-only` for the component set and the dependency edges, `--omit=dev` for the scope,
 * and the installed packages' package.json files for licences.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';

// npm ls and npm install run here; a busy CI machine needs more than jest's 5 s default.
jest.setTimeout(120_000);
import { toCycloneDx } from '../src/cyclonedx.js';
import { displayName, type Inventory } from '../src/inventory.js';
import { inventoryFromLockfile, LockfileError } from '../src/lockfile.js';
import { validateSbom } from '../src/schema.js';

const REPO = process.cwd();

interface LsNode {
  name?: string;
  version?: string;
  missing?: boolean;
  dependencies?: Record<string, LsNode>;
}

/** name@version of every node and parent -> child edge in npm's tree (nodes npm could not place are skipped). */
function npmLs(dir: string, extra: string[] = []): { ids: Set<string>; edges: Set<string> } {
  const out = execFileSync('npm', ['ls', '--all', '--json', '--long', '--package-lock-only', ...extra], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tree = JSON.parse(out) as LsNode;
  const ids = new Set<string>();
  const edges = new Set<string>();
  const walk = (node: LsNode, id: string, seen: Set<string>) => {
    for (const [key, child] of Object.entries(node.dependencies ?? {})) {
      if (child.missing || !child.version) continue;
      const childId = `${child.name ?? key}@${child.version}`;
      ids.add(childId);
      edges.add(`${id} -> ${childId}`);
      if (!seen.has(childId)) walk(child, childId, new Set([...seen, childId]));
    }
  };
  walk(tree, 'root', new Set());
  return { ids, edges };
}

function ours(inventory: Inventory): { ids: Set<string>; edges: Set<string> } {
  const id = (ref: string) => {
    const p = inventory.packages.find((x) => x.ref === ref)!;
    return `${displayName(p)}@${p.version}`;
  };
  const byRef = new Map(inventory.packages.map((p) => [p.ref, `${displayName(p)}@${p.version}`]));
  const edges = new Set<string>();
  for (const p of inventory.packages)
    for (const d of p.dependsOn) edges.add(`${byRef.get(p.ref)} -> ${byRef.get(d)}`);
  for (const d of inventory.rootDependsOn) edges.add(`root -> ${byRef.get(d) ?? id(d)}`);
  return { ids: new Set(byRef.values()), edges };
}

const lockV3 = readFileSync(join(REPO, 'package-lock.json'), 'utf8');
const inventoryV3 = inventoryFromLockfile(lockV3, 'package-lock.json');

describe("this repository's package-lock.json (v3, with the app workspace)", () => {
  const npm = npmLs(REPO);

  test('when generated, then the component set (name@version) equals npm ls', () => {
    const { ids } = ours(inventoryV3);
    expect([...ids].filter((x) => !npm.ids.has(x))).toEqual([]);
    expect([...npm.ids].filter((x) => !ids.has(x))).toEqual([]);
    expect(ids.size).toBe(npm.ids.size);
  });

  test('when generated, then the dependency edges equal npm ls', () => {
    const { edges } = ours(inventoryV3);
    expect([...edges].filter((x) => !npm.edges.has(x))).toEqual([]);
    expect([...npm.edges].filter((x) => !edges.has(x))).toEqual([]);
  });

  test('when generated, then the workspace is a component the root depends on', () => {
    const workspace = JSON.parse(readFileSync(join(REPO, 'app', 'package.json'), 'utf8')) as { name: string };
    const pkg = inventoryV3.packages.find((p) => displayName(p) === workspace.name);
    expect(pkg).toBeDefined();
    expect(inventoryV3.rootDependsOn).toContain(pkg!.ref);
  });

  test('when generated, then packages outside the production tree (npm ls --omit=dev) are dev and optional', () => {
    const prod = npmLs(REPO, ['--omit=dev']).ids;
    const devIds = inventoryV3.packages.filter((p) => p.dev).map((p) => `${displayName(p)}@${p.version}`);
    const notProd = [...ours(inventoryV3).ids].filter((x) => !prod.has(x));
    expect(new Set(devIds)).toEqual(new Set(notProd));
    for (const p of inventoryV3.packages.filter((x) => x.dev)) expect(p.scope).toBe('optional');
    const lock = JSON.parse(lockV3) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const requiredCount = inventoryV3.packages.filter((p) => p.scope === 'required').length;
    expect(requiredCount).toBeGreaterThan(0);
    expect(requiredCount).toBeLessThan(Object.keys(lock.packages).length);
  });

  test('when generated, then licences match the installed packages own package.json', () => {
    let checked = 0;
    for (const p of inventoryV3.packages) {
      const manifest = join(REPO, 'node_modules', displayName(p), 'package.json');
      if (!existsSync(manifest)) continue;
      const installed = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string; license?: unknown };
      if (installed.version !== p.version || typeof installed.license !== 'string') continue;
      expect(p.licenses).toEqual([installed.license]);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  test('when generated, then each integrity string becomes a hex hash of the same bytes', () => {
    const lock = JSON.parse(lockV3) as {
      packages: Record<string, { name?: string; version?: string; integrity?: string }>;
    };
    const byKey = Object.entries(lock.packages).filter(
      ([k, v]) => k.startsWith('node_modules/') && v.integrity?.startsWith('sha512-'),
    );
    expect(byKey.length).toBeGreaterThan(500);
    for (const [key, entry] of byKey.slice(0, 200)) {
      const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 13);
      const pkg = inventoryV3.packages.find((p) => displayName(p) === name && p.version === entry.version)!;
      const hash = pkg.hashes.find((h) => h.alg === 'SHA-512')!;
      expect(Buffer.from(hash.content, 'hex').toString('base64')).toBe(
        entry.integrity!.slice('sha512-'.length),
      );
    }
  });

  test('when serialized, then the CycloneDX 1.6 document is schema-valid and keeps every component and edge', () => {
    const doc = toCycloneDx(inventoryV3, {
      producer: { name: 'sbom-upload', version: 'test' },
      now: new Date(),
    }) as {
      specVersion: string;
      components: {
        purl: string;
        'bom-ref': string;
        scope: string;
        hashes?: unknown[];
        licenses?: unknown[];
      }[];
      dependencies: { ref: string; dependsOn?: string[] }[];
      metadata: { component: { 'bom-ref': string } };
    };
    expect(() => validateSbom('cyclonedx', doc, 'generated')).not.toThrow();
    expect(doc.specVersion).toBe('1.6');
    expect(doc.components).toHaveLength(npm.ids.size);
    const edgeCount = doc.dependencies.reduce((n, d) => n + (d.dependsOn?.length ?? 0), 0);
    expect(edgeCount).toBe(npm.edges.size);
    for (const c of doc.components) expect(c.purl).toMatch(/^pkg:npm\//);
  });
});

describe('a lockfileVersion 2 conversion of the same project', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbom-lock-v2-'));
    mkdirSync(join(dir, 'app'));
    cpSync(join(REPO, 'package.json'), join(dir, 'package.json'));
    cpSync(join(REPO, 'package-lock.json'), join(dir, 'package-lock.json'));
    cpSync(join(REPO, 'app', 'package.json'), join(dir, 'app', 'package.json'));
    execFileSync(
      'npm',
      [
        'install',
        '--package-lock-only',
        '--lockfile-version',
        '2',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('when generated from v2, then components and edges equal npm ls on it', () => {
    const text = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    expect((JSON.parse(text) as { lockfileVersion: number }).lockfileVersion).toBe(2);
    const inv = inventoryFromLockfile(text, 'package-lock.json');
    const npm = npmLs(dir);
    const mine = ours(inv);
    expect(mine.ids).toEqual(npm.ids);
    expect(mine.edges).toEqual(npm.edges);
  });
});

describe('bad lockfiles', () => {
  test('when lockfileVersion is 1, then it fails naming the version and the fix', () => {
    const v1 = JSON.stringify({
      name: 'x',
      version: '1.0.0',
      lockfileVersion: 1,
      requires: true,
      dependencies: {},
    });
    expect(() => inventoryFromLockfile(v1, 'x/package-lock.json')).toThrow(
      new LockfileError(
        'x/package-lock.json has lockfileVersion 1; expected 2 or 3. Regenerate it with npm 7 or later: npm install --package-lock-only',
      ),
    );
  });

  test('when the lockfile is not JSON, then it fails naming the file', () => {
    expect(() => inventoryFromLockfile('{ nope', 'p/package-lock.json')).toThrow(
      /^p\/package-lock.json is not valid JSON: /,
    );
  });

  test('when lockfileVersion 3 has no packages map, then it fails', () => {
    expect(() => inventoryFromLockfile('{"lockfileVersion":3}', 'package-lock.json')).toThrow(
      'package-lock.json (lockfileVersion 3) has no "packages" object.',
    );
  });

  test('when a workspace has its own nested copy of a package, then its dependency resolves inside it first', () => {
    // npm's layout for a workspace whose dependency range differs from the root's (hand-made, minimal).
    const lock = {
      name: 'mono',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: {
        '': { name: 'mono', version: '1.0.0', workspaces: ['packages/*'], dependencies: { dep: '^1.0.0' } },
        'node_modules/dep': { version: '1.0.0', license: 'MIT' },
        'node_modules/ws-a': { resolved: 'packages/a', link: true },
        'packages/a': {
          name: 'ws-a',
          version: '0.1.0',
          dependencies: { dep: '^2.0.0' },
          devDependencies: { tool: '1' },
        },
        'packages/a/node_modules/dep': { version: '2.0.0', license: 'ISC' },
        'node_modules/tool': { version: '1.0.0', dev: true },
      },
    };
    const inv = inventoryFromLockfile(JSON.stringify(lock), 'package-lock.json');
    const ws = inv.packages.find((p) => p.name === 'ws-a')!;
    expect(ws.dependsOn.sort()).toEqual(['pkg:npm/dep@2.0.0', 'pkg:npm/tool@1.0.0']);
    expect(inv.rootDependsOn.sort()).toEqual(['pkg:npm/dep@1.0.0', 'pkg:npm/ws-a@0.1.0']);
    expect(inv.packages.find((p) => p.name === 'tool')!.scope).toBe('optional');
  });
});
