/**
 * The SBOM generated from a real lockfile (this repository's own, v3, and a v2 conversion of it made
 * by npm at test time) against npm's own reading of the same lockfile: `npm ls --all --json --long
 * --package-lock-only` for the component set and the dependency edges, `--omit=dev` for the scope,
 * and the installed packages' package.json files for licences.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';

// npm ls and npm install run here; a busy CI machine needs more than jest's 5 s default.
jest.setTimeout(120_000);
import { toCycloneDx } from '../src/cyclonedx.js';
import { displayName, type Inventory } from '../src/inventory.js';
import { inventoryFromLockfile } from '../src/lockfile.js';
import { validateSbom } from '../src/schema.js';
import { buildSnapshot } from '../src/snapshot.js';

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

  test('when npm marks a package devOptional, then its component is optional and not dev', () => {
    // real entries of this lockfile: ajv and what it needs, a devDependency that a runtime package lists as optional
    const lock = JSON.parse(lockV3) as {
      packages: Record<string, { name?: string; version?: string; devOptional?: boolean }>;
    };
    const devOptional = Object.entries(lock.packages)
      .filter(([, e]) => e.devOptional)
      .map(([key, e]) => `${e.name ?? key.slice(key.lastIndexOf('node_modules/') + 13)}@${e.version}`);
    expect(devOptional.length).toBeGreaterThan(0);
    for (const id of devOptional) {
      const pkg = inventoryV3.packages.find((p) => `${displayName(p)}@${p.version}` === id)!;
      expect([id, pkg.scope, pkg.dev]).toEqual([id, 'optional', false]);
    }
    // and npm keeps them when only dev is omitted (so they are not dev)
    const prod = npmLs(REPO, ['--omit=dev']).ids;
    for (const id of devOptional) expect(prod.has(id)).toBe(true);
  });

  test('when a manifest reader is given, then the private workspace is marked local and private, and the SBOM says so', () => {
    const inv = inventoryFromLockfile(lockV3, 'package-lock.json', 'package-lock.json', {
      manifest: (key) =>
        JSON.parse(readFileSync(join(REPO, key, 'package.json'), 'utf8')) as { private?: unknown },
    });
    const app = JSON.parse(readFileSync(join(REPO, 'app', 'package.json'), 'utf8')) as { name: string };
    const own = inv.packages.filter((p) => p.local);
    expect(own.map((p) => [displayName(p), p.private])).toEqual([[app.name, true]]);
    const bom = toCycloneDx(inv, {
      producer: { name: 'sbom-upload', version: 'test' },
      now: new Date('2026-01-01T00:00:00Z'),
    }) as { components: { name: string; properties?: { name: string; value: string }[] }[] };
    const component = bom.components.find((c) => c.name === app.name)!;
    expect(component.properties).toContainEqual({ name: 'cdx:npm:package:private', value: 'true' });
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
      new Error(
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

  test('when dependencies are file: folders and tarballs (a lockfile npm writes), then they are local and stay out of the snapshot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbom-file-deps-'));
    try {
      mkdirSync(join(dir, 'local-lib'));
      writeFileSync(
        join(dir, 'local-lib/package.json'),
        '{"name":"local-lib","version":"1.2.0","private":true}',
      );
      mkdirSync(join(dir, 'tarball-src'));
      writeFileSync(join(dir, 'tarball-src/package.json'), '{"name":"tarball-lib","version":"1.0.0"}');
      execFileSync('npm', ['pack', '--pack-destination', '..'], {
        cwd: join(dir, 'tarball-src'),
        stdio: 'ignore',
      });
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'demo',
          version: '1.0.0',
          private: true,
          dependencies: { 'local-lib': 'file:./local-lib', 'tarball-lib': 'file:./tarball-lib-1.0.0.tgz' },
        }),
      );
      execFileSync('npm', ['install', '--package-lock-only', '--offline', '--ignore-scripts'], {
        cwd: dir,
        stdio: 'ignore',
      });
      const inv = inventoryFromLockfile(
        readFileSync(join(dir, 'package-lock.json'), 'utf8'),
        'package-lock.json',
        'package-lock.json',
        {
          manifest: (key) => {
            const path = join(dir, key, 'package.json');
            return existsSync(path)
              ? (JSON.parse(readFileSync(path, 'utf8')) as { private?: unknown })
              : undefined;
          },
        },
      );
      // npm's own reading: both come from file: sources
      const tree = JSON.parse(
        execFileSync('npm', ['ls', '--json', '--long', '--package-lock-only'], {
          cwd: dir,
          encoding: 'utf8',
        }),
      ) as { dependencies: Record<string, { version: string; resolved: string }> };
      const fromFiles = Object.entries(tree.dependencies)
        .filter(([, d]) => d.resolved.startsWith('file:'))
        .map(([name, d]) => `${name}@${d.version}`);
      expect(fromFiles.sort()).toEqual(['local-lib@1.2.0', 'tarball-lib@1.0.0']);
      expect(
        inv.packages
          .filter((p) => p.local)
          .map((p) => `${p.name}@${p.version}`)
          .sort(),
      ).toEqual(fromFiles);
      expect(inv.packages.find((p) => p.name === 'local-lib')!.private).toBe(true);
      expect(inv.packages.find((p) => p.name === 'tarball-lib')!.private).toBeUndefined();

      const { snapshot, report } = buildSnapshot(inv, {
        sha: 'f'.repeat(40),
        ref: 'refs/heads/main',
        correlator: 'c',
        runId: '1',
        detector: { name: 'sbom-upload', version: 'test', url: 'https://github.com/o/r' },
        scanned: new Date(),
      });
      expect(snapshot.manifests['package-lock.json']!.resolved).toEqual({});
      expect(report.local.sort()).toEqual(fromFiles);
      expect(report.skipped).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
