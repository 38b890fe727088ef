/**
 * Inventory <-> CycloneDX JSON. Writing goes through @cyclonedx/cyclonedx-library's model and its
 * 1.6 JSON normalizer (which also drops values the spec would reject, e.g. malformed hashes);
 * reading takes any CycloneDX 1.4-1.6 JSON document, nested components included.
 */
import { randomUUID } from 'node:crypto';
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { Hash, Inventory, Package } from './inventory.js';

export interface Producer {
  name: string;
  version: string;
}

export interface WriteOptions {
  producer: Producer;
  now: Date;
  serialNumber?: string;
}

/** True when the text is an SPDX licence expression rather than one id or a free-text name. */
export function isLicenseExpression(text: string): boolean {
  return /\s(OR|AND|WITH)\s/.test(text) || /^\(.*\)$/.test(text.trim());
}

function licensesFor(licenses: string[]): Models.License[] {
  if (licenses.length === 1 && isLicenseExpression(licenses[0]!)) {
    return [new Models.LicenseExpression(licenses[0]!)];
  }
  return licenses.map((text) => {
    const id = SPDX.fixupSpdxId(text);
    return id ? new Models.SpdxLicense(id) : new Models.NamedLicense(text);
  });
}

function makeComponent(pkg: Package, type: Enums.ComponentType): Models.Component {
  const component = new Models.Component(type, pkg.name, {
    bomRef: pkg.ref,
    group: pkg.group,
    version: pkg.version,
    purl: pkg.purl,
    scope: pkg.scope === 'optional' ? Enums.ComponentScope.Optional : Enums.ComponentScope.Required,
  });
  for (const hash of pkg.hashes) component.hashes.set(hash.alg as Enums.HashAlgorithm, hash.content);
  for (const license of licensesFor(pkg.licenses)) component.licenses.add(license);
  if (pkg.dev) component.properties.add(new Models.Property('cdx:npm:package:development', 'true'));
  if (pkg.private) component.properties.add(new Models.Property('cdx:npm:package:private', 'true'));
  return component;
}

/** Builds a CycloneDX 1.6 document (as a plain object) from an inventory. */
export function toCycloneDx(inventory: Inventory, options: WriteOptions): Record<string, unknown> {
  const bom = new Models.Bom();
  bom.serialNumber = options.serialNumber ?? `urn:uuid:${randomUUID()}`;
  bom.metadata.timestamp = options.now;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, options.producer.name, {
      version: options.producer.version,
    }),
  );
  const root = new Models.Component(Enums.ComponentType.Application, inventory.root.name, {
    bomRef: inventory.root.ref,
    version: inventory.root.version,
    purl: inventory.root.purl,
  });
  bom.metadata.component = root;

  const components = new Map<string, Models.Component>();
  for (const pkg of inventory.packages) {
    const component = makeComponent(pkg, Enums.ComponentType.Library);
    components.set(pkg.ref, component);
    bom.components.add(component);
  }
  for (const pkg of inventory.packages) {
    const component = components.get(pkg.ref)!;
    for (const ref of pkg.dependsOn) {
      const dep = components.get(ref);
      if (dep) component.dependencies.add(dep.bomRef);
    }
  }
  for (const ref of inventory.rootDependsOn) {
    const dep = components.get(ref);
    if (dep) root.dependencies.add(dep.bomRef);
  }
  const serializer = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6).makeForBom();
  return serializer.normalize(bom, { sortLists: true }) as unknown as Record<string, unknown>;
}

interface CdxComponent {
  'bom-ref'?: string;
  type?: string;
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
  scope?: string;
  hashes?: { alg?: string; content?: string }[];
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
  properties?: { name?: string; value?: string }[];
  components?: CdxComponent[];
}

interface CdxDocument {
  metadata?: { component?: CdxComponent };
  components?: CdxComponent[];
  dependencies?: { ref?: string; dependsOn?: string[] }[];
}

function flatten(components: CdxComponent[] | undefined): CdxComponent[] {
  return (components ?? []).flatMap((c) => [c, ...flatten(c.components)]);
}

/** Reads a (schema-valid) CycloneDX JSON document into an inventory. */
export function inventoryFromCycloneDx(doc: CdxDocument, source: string): Inventory {
  const meta = doc.metadata?.component;
  const root = {
    ref: meta?.['bom-ref'] ?? 'root',
    name: meta?.name ?? source,
    version: meta?.version,
    purl: meta?.purl,
  };
  const packages: Package[] = [];
  const seen = new Set<string>([root.ref]);
  for (const [index, c] of flatten(doc.components).entries()) {
    const ref =
      c['bom-ref'] ?? c.purl ?? `${c.group ? `${c.group}/` : ''}${c.name}@${c.version ?? ''}#${index}`;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const hashes: Hash[] = (c.hashes ?? [])
      .filter((h) => h.alg && h.content)
      .map((h) => ({ alg: h.alg!, content: h.content!.toLowerCase() }));
    const licenses = (c.licenses ?? [])
      .map((l) => l.expression ?? l.license?.id ?? l.license?.name)
      .filter((l): l is string => Boolean(l));
    const flag = (name: string) => (c.properties ?? []).some((p) => p.name === name && p.value === 'true');
    const dev = flag('cdx:npm:package:development');
    const isPrivate = flag('cdx:npm:package:private');
    packages.push({
      ref,
      name: c.name ?? '',
      group: c.group || undefined,
      version: c.version,
      purl: c.purl,
      licenses,
      hashes,
      scope: c.scope === 'optional' || c.scope === 'excluded' ? 'optional' : 'required',
      dev,
      ...(isPrivate ? { private: true } : {}),
      dependsOn: [],
    });
  }
  const byRef = new Map(packages.map((p) => [p.ref, p]));
  let rootDependsOn: string[] = [];
  for (const dep of doc.dependencies ?? []) {
    const targets = (dep.dependsOn ?? []).filter((ref) => byRef.has(ref));
    if (dep.ref === root.ref) rootDependsOn = targets;
    else if (dep.ref && byRef.has(dep.ref)) byRef.get(dep.ref)!.dependsOn = targets;
  }
  if (!doc.dependencies?.some((d) => d.ref === root.ref)) {
    // No graph from the root: everything nobody else depends on is direct.
    const depended = new Set(packages.flatMap((p) => p.dependsOn));
    rootDependsOn = packages.filter((p) => !depended.has(p.ref)).map((p) => p.ref);
  }
  return { root, packages, rootDependsOn, source };
}
