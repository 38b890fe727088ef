/**
 * Inventory <-> SPDX 2.3 JSON. Reading keeps packages (files are not components); the package the
 * document DESCRIBES becomes the root. DEPENDS_ON / CONTAINS point from dependant to dependency,
 * the *_OF relationships the other way.
 */
import { randomUUID } from 'node:crypto';
import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
import { isLicenseExpression, type Producer } from './cyclonedx.js';
import type { Hash, Inventory, Package } from './inventory.js';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  licenseConcluded?: string;
  licenseDeclared?: string;
  checksums?: { algorithm: string; checksumValue: string }[];
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
}

interface SpdxDocument {
  name: string;
  documentDescribes?: string[];
  packages?: SpdxPackage[];
  relationships?: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

const SPDX_TO_CDX_ALG: Record<string, string> = {
  SHA1: 'SHA-1',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  MD5: 'MD5',
  'SHA3-256': 'SHA3-256',
  'SHA3-384': 'SHA3-384',
  'SHA3-512': 'SHA3-512',
  'BLAKE2b-256': 'BLAKE2b-256',
  'BLAKE2b-384': 'BLAKE2b-384',
  'BLAKE2b-512': 'BLAKE2b-512',
  BLAKE3: 'BLAKE3',
};
const CDX_TO_SPDX_ALG = Object.fromEntries(Object.entries(SPDX_TO_CDX_ALG).map(([k, v]) => [v, k]));

const FORWARD = new Set(['DEPENDS_ON', 'CONTAINS']);
const BACKWARD = new Set([
  'DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'CONTAINED_BY',
]);
const DEV_ONLY = new Set(['DEV_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF', 'BUILD_DEPENDENCY_OF']);

function purlOf(pkg: SpdxPackage): string | undefined {
  return pkg.externalRefs?.find(
    (r) => r.referenceType === 'purl' && /PACKAGE[-_]MANAGER/.test(r.referenceCategory),
  )?.referenceLocator;
}

function licenseOf(pkg: SpdxPackage): string[] {
  for (const value of [pkg.licenseConcluded, pkg.licenseDeclared]) {
    if (value && value !== 'NOASSERTION' && value !== 'NONE') return [value];
  }
  return [];
}

/** Reads a (schema-valid) SPDX 2.2/2.3 JSON document into an inventory. */
export function inventoryFromSpdx(doc: SpdxDocument, source: string): Inventory {
  const relationships = doc.relationships ?? [];
  const described = new Set([
    ...(doc.documentDescribes ?? []),
    ...relationships
      .filter((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES')
      .map((r) => r.relatedSpdxElement),
  ]);
  const all = doc.packages ?? [];
  const rootPkg = all.find((p) => described.has(p.SPDXID));
  const root = rootPkg
    ? { ref: rootPkg.SPDXID, name: rootPkg.name, version: rootPkg.versionInfo, purl: purlOf(rootPkg) }
    : { ref: 'SPDXRef-DOCUMENT', name: doc.name, version: undefined, purl: undefined };

  const packages: Package[] = all
    .filter((p) => p.SPDXID !== root.ref)
    .map((p) => ({
      ref: p.SPDXID,
      name: p.name,
      version: p.versionInfo,
      purl: purlOf(p),
      licenses: licenseOf(p),
      hashes: (p.checksums ?? [])
        .filter((c) => SPDX_TO_CDX_ALG[c.algorithm])
        .map((c): Hash => ({ alg: SPDX_TO_CDX_ALG[c.algorithm]!, content: c.checksumValue.toLowerCase() })),
      scope: 'required',
      dev: false,
      dependsOn: [],
    }));
  const byRef = new Map(packages.map((p) => [p.ref, p]));
  const edges = new Map<string, Set<string>>();
  const devTargets = new Set<string>();
  const runtimeTargets = new Set<string>();
  const isNode = (ref: string) => byRef.has(ref) || ref === root.ref;
  for (const r of relationships) {
    let from: string;
    let to: string;
    if (FORWARD.has(r.relationshipType)) [from, to] = [r.spdxElementId, r.relatedSpdxElement];
    else if (BACKWARD.has(r.relationshipType)) [from, to] = [r.relatedSpdxElement, r.spdxElementId];
    else continue;
    if (!isNode(from) || !byRef.has(to) || from === to) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
    (DEV_ONLY.has(r.relationshipType) ? devTargets : runtimeTargets).add(to);
  }
  for (const pkg of packages) {
    pkg.dependsOn = [...(edges.get(pkg.ref) ?? [])];
    if (devTargets.has(pkg.ref) && !runtimeTargets.has(pkg.ref)) {
      pkg.dev = true;
      pkg.scope = 'optional';
    }
  }
  let rootDependsOn = [...(edges.get(root.ref) ?? [])];
  if (rootDependsOn.length === 0) {
    const depended = new Set(packages.flatMap((p) => p.dependsOn));
    rootDependsOn = packages.filter((p) => !depended.has(p.ref)).map((p) => p.ref);
  }
  return { root, packages, rootDependsOn, source };
}

/** An SPDX identifier made from free text: letters, digits, `.` and `-` only. */
function spdxId(text: string, index: number): string {
  return `SPDXRef-Package-${text.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 80)}-${index}`;
}

/** SPDX 2.3 wants a licence expression or NOASSERTION; free-text names become NOASSERTION. */
function spdxLicense(licenses: string[]): string {
  if (licenses.length === 1 && isLicenseExpression(licenses[0]!)) return licenses[0]!;
  const ids = licenses.map((l) => SPDX.fixupSpdxId(l));
  if (ids.length === 0 || ids.some((id) => !id)) return 'NOASSERTION';
  return ids.length === 1 ? ids[0]! : ids.map((id) => `(${id})`).join(' AND ');
}

function spdxDate(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds an SPDX 2.3 document (as a plain object) from an inventory. */
export function toSpdx(
  inventory: Inventory,
  options: { producer: Producer; now: Date },
): Record<string, unknown> {
  const ids = new Map<string, string>();
  const rootId = 'SPDXRef-RootPackage';
  ids.set(inventory.root.ref, rootId);
  inventory.packages.forEach((pkg, index) => {
    ids.set(
      pkg.ref,
      spdxId(`${pkg.group ? `${pkg.group}-` : ''}${pkg.name}-${pkg.version ?? ''}`, index + 1),
    );
  });
  const externalRefs = (purl: string | undefined) =>
    purl ? [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] : [];
  const packages = [
    {
      SPDXID: rootId,
      name: inventory.root.name,
      ...(inventory.root.version ? { versionInfo: inventory.root.version } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'APPLICATION',
      externalRefs: externalRefs(inventory.root.purl),
    },
    ...inventory.packages.map((pkg) => ({
      SPDXID: ids.get(pkg.ref)!,
      name: pkg.group ? `${pkg.group}/${pkg.name}` : pkg.name,
      ...(pkg.version ? { versionInfo: pkg.version } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: spdxLicense(pkg.licenses),
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'LIBRARY',
      checksums: pkg.hashes
        .filter((h) => CDX_TO_SPDX_ALG[h.alg])
        .map((h) => ({ algorithm: CDX_TO_SPDX_ALG[h.alg]!, checksumValue: h.content })),
      externalRefs: externalRefs(pkg.purl),
    })),
  ];
  const byRef = new Map(inventory.packages.map((p) => [p.ref, p]));
  const relationships = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId },
    ...inventory.rootDependsOn.map((ref) =>
      byRef.get(ref)?.dev
        ? { spdxElementId: ids.get(ref)!, relationshipType: 'DEV_DEPENDENCY_OF', relatedSpdxElement: rootId }
        : { spdxElementId: rootId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: ids.get(ref)! },
    ),
    ...inventory.packages.flatMap((pkg) =>
      pkg.dependsOn.map((ref) => ({
        spdxElementId: ids.get(pkg.ref)!,
        relationshipType: 'DEPENDS_ON',
        relatedSpdxElement: ids.get(ref)!,
      })),
    ),
  ];
  const safeName = inventory.root.name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: inventory.root.name,
    documentNamespace: `https://spdx.org/spdxdocs/${safeName}-${randomUUID()}`,
    creationInfo: {
      created: spdxDate(options.now),
      creators: [`Tool: ${options.producer.name}-${options.producer.version}`],
    },
    documentDescribes: [rootId],
    packages,
    relationships,
  };
}
