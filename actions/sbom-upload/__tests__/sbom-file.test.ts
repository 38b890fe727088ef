/**
 * Real CycloneDX (cyclonedx-npm 1.6, trivy 1.5) and SPDX 2.3 (syft image and dir) SBOMs: accepted,
 * schema-validated, converted to dependency snapshots whose counts are computed here from the raw files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { InputError } from '../../lib/inputs.js';
import { toCycloneDx } from '../src/cyclonedx.js';
import { loadSbomFile } from '../src/sources.js';
import { SchemaError, validateSbom } from '../src/schema.js';
import { buildSnapshot } from '../src/snapshot.js';
import { toSpdx } from '../src/spdx.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const env = { GITHUB_WORKSPACE: FIXTURES };
const context = {
  sha: 'a'.repeat(40),
  ref: 'refs/heads/main',
  correlator: 'ci / sbom',
  runId: '1',
  detector: { name: 'sbom-upload', version: 'test', url: 'https://github.com/o/r' },
  scanned: new Date('2026-01-01T00:00:00Z'),
};

interface RawComponent {
  purl?: string;
  'bom-ref'?: string;
  components?: RawComponent[];
}

/** `type/namespace/name@version` of a purl, read with a plain regex (independent of packageurl-js). */
function coordinates(purl: string): string {
  const m = /^pkg:([^/]+)\/([^@?#]+)(?:@([^?#]*))?/.exec(purl)!;
  return `${m[1]!.toLowerCase()}/${decodeURIComponent(m[2]!)}@${decodeURIComponent(m[3] ?? '')}`;
}

function rawCycloneDx(file: string) {
  const doc = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    metadata: { component: { 'bom-ref': string } };
    components: RawComponent[];
    dependencies: { ref: string; dependsOn?: string[] }[];
  };
  const flat: RawComponent[] = [];
  const walk = (list: RawComponent[] | undefined) => list?.forEach((c) => (flat.push(c), walk(c.components)));
  walk(doc.components);
  const rootDeps = doc.dependencies.find((d) => d.ref === doc.metadata.component['bom-ref'])?.dependsOn ?? [];
  return { flat, rootDeps };
}

describe.each(['cyclonedx-npm-3.1.0-spec1.6.json', 'trivy-0.48.1-spec1.5-with-vulns.json'])(
  'CycloneDX %s',
  (file) => {
    const raw = rawCycloneDx(file);
    const loaded = loadSbomFile(join(FIXTURES, file), env);

    test('when read, then it is accepted as CycloneDX with every component', () => {
      expect(loaded.original?.kind).toBe('cyclonedx');
      expect(loaded.inventory.packages).toHaveLength(raw.flat.length);
      expect(loaded.inventory.source).toBe(file);
    });

    test('when converted to a snapshot, then resolved holds each distinct purl once and components without one are reported', () => {
      const { snapshot, report } = buildSnapshot(loaded.inventory, context);
      const resolved = Object.values(snapshot.manifests[file]!.resolved);
      const rawPurls = new Set(raw.flat.map((c) => c.purl).filter((p): p is string => !!p));
      expect(resolved).toHaveLength(rawPurls.size);
      expect(new Set(resolved.map((r) => coordinates(r.package_url)))).toEqual(
        new Set([...rawPurls].map(coordinates)),
      );
      expect(report.skipped).toHaveLength(raw.flat.filter((c) => !c.purl).length);
      const rawDirect = new Set(
        raw.rootDeps
          .map((ref) => raw.flat.find((c) => c['bom-ref'] === ref)?.purl)
          .filter((p): p is string => !!p),
      );
      expect(
        resolved
          .filter((r) => r.relationship === 'direct')
          .map((r) => coordinates(r.package_url))
          .sort(),
      ).toEqual([...rawDirect].map(coordinates).sort());
    });

    test('when written as SPDX 2.3, then the document is schema-valid with one package per component plus the root', () => {
      const spdx = toSpdx(loaded.inventory, {
        producer: { name: 'sbom-upload', version: 't' },
        now: new Date(),
      });
      expect(() => validateSbom('spdx', spdx, 'converted')).not.toThrow();
      expect((spdx.packages as unknown[]).length).toBe(raw.flat.length + 1);
    });
  },
);

describe.each(['syft-1.1.0-image.spdx.json', 'syft-0.83.0-dir.spdx.json'])('SPDX %s', (file) => {
  const doc = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    packages: { SPDXID: string; externalRefs?: { referenceType: string; referenceLocator: string }[] }[];
    relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  };
  const described = new Set(
    doc.relationships.filter((r) => r.relationshipType === 'DESCRIBES').map((r) => r.relatedSpdxElement),
  );
  const rawPackages = doc.packages.filter((p) => !described.has(p.SPDXID));
  const loaded = loadSbomFile(join(FIXTURES, file), env);

  test('when read, then the described package is the root and every other package a component', () => {
    expect(loaded.original?.kind).toBe('spdx');
    expect(loaded.inventory.packages).toHaveLength(rawPackages.length);
  });

  test('when converted to a snapshot, then every purl is submitted', () => {
    const { snapshot, report } = buildSnapshot(loaded.inventory, context);
    const resolved = Object.values(snapshot.manifests[file]!.resolved);
    const rawPurls = rawPackages
      .map((p) => p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator)
      .filter((p): p is string => !!p);
    expect(resolved.map((r) => coordinates(r.package_url)).sort()).toEqual(rawPurls.map(coordinates).sort());
    expect(report.skipped).toEqual([]);
  });

  test('when written as CycloneDX 1.6, then the document is schema-valid with every package', () => {
    const cdx = toCycloneDx(loaded.inventory, {
      producer: { name: 'sbom-upload', version: 't' },
      now: new Date(),
    });
    expect(() => validateSbom('cyclonedx', cdx, 'converted')).not.toThrow();
    expect((cdx.components as unknown[]).length).toBe(rawPackages.length);
  });
});

describe('syft image SPDX dependency relationships', () => {
  test('when DEPENDENCY_OF relationships are read, then they become edges from dependant to dependency', () => {
    const file = 'syft-1.1.0-image.spdx.json';
    const doc = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
      relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
    };
    const expected = doc.relationships
      .filter((r) => r.relationshipType === 'DEPENDENCY_OF')
      .map((r) => `${r.relatedSpdxElement} -> ${r.spdxElementId}`);
    const inv = loadSbomFile(join(FIXTURES, file), env).inventory;
    const edges = inv.packages.flatMap((p) => p.dependsOn.map((d) => `${p.ref} -> ${d}`));
    for (const edge of expected) expect(edges).toContain(edge);
  });
});

describe('bad sbom-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbom-bad-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('when the file does not exist, then the input is named with the reason', () => {
    expect(() => loadSbomFile(join(dir, 'missing.json'), env)).toThrow(
      new InputError(
        'sbom-file',
        `cannot read '${join(dir, 'missing.json')}': no such file. Expected a CycloneDX or SPDX 2.3 JSON file.`,
      ),
    );
  });

  test('when the path is a directory, then it says so', () => {
    expect(() => loadSbomFile(dir, env)).toThrow(/Input 'sbom-file': cannot read .*: it is a directory\./);
  });

  test('when the file is not JSON, then it says so', () => {
    expect(() => loadSbomFile(write('x.json', '<bom/>'), env)).toThrow(
      /Input 'sbom-file': '.*x.json' is not valid JSON/,
    );
  });

  test('when the JSON is neither CycloneDX nor SPDX, then it names both expected markers', () => {
    expect(() => loadSbomFile(write('y.json', '{"Results":[]}'), env)).toThrow(
      /is neither a CycloneDX JSON SBOM \(bomFormat "CycloneDX"\) nor an SPDX JSON document \(spdxVersion "SPDX-2.3"\)/,
    );
  });

  test('when a CycloneDX component lacks its name, then it fails with the schema path of the first error', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'cyclonedx-npm-3.1.0-spec1.6.json'), 'utf8'));
    delete doc.components[3].name;
    const path = write('bad.cdx.json', JSON.stringify(doc));
    let error: unknown;
    try {
      loadSbomFile(path, env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).instancePath).toBe('/components/3');
    expect((error as SchemaError).schemaPath).toMatch(/^#\/definitions\/component\/required$/);
    expect((error as Error).message).toContain("must have required property 'name'");
    expect((error as Error).message).toContain('schema path #/definitions/component/required');
  });

  test('when a CycloneDX component appears twice, then uniqueItems fails with the schema path of the components array', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'cyclonedx-npm-3.1.0-spec1.6.json'), 'utf8'));
    doc.components.push(JSON.parse(JSON.stringify(doc.components[5])));
    expect(() => loadSbomFile(write('dup.cdx.json', JSON.stringify(doc)), env)).toThrow(
      `at /components must NOT have duplicate items (items ## 5 and ${doc.components.length - 1} are identical) (schema path #/properties/components/uniqueItems).`,
    );
  });

  test('when components differ only in key order, then they are still duplicates', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'cyclonedx-npm-3.1.0-spec1.6.json'), 'utf8'));
    const copy = Object.fromEntries(Object.entries(doc.components[2] as object).reverse());
    doc.components.push(copy);
    expect(() => loadSbomFile(write('dup2.cdx.json', JSON.stringify(doc)), env)).toThrow(
      /must NOT have duplicate items \(items ## 2 and /,
    );
  });

  test('when an SPDX relationship has an unknown type, then it fails with the schema path', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'syft-0.83.0-dir.spdx.json'), 'utf8'));
    doc.relationships[0].relationshipType = 'LIKES';
    expect(() => loadSbomFile(write('bad.spdx.json', JSON.stringify(doc)), env)).toThrow(
      /at \/relationships\/0\/relationshipType must be equal to one of the allowed values .*\(schema path #\/properties\/relationships\/items\/properties\/relationshipType\/enum\)/,
    );
  });

  test('when the CycloneDX specVersion is unsupported, then it names the supported ones', () => {
    expect(() =>
      loadSbomFile(write('old.json', '{"bomFormat":"CycloneDX","specVersion":"1.2"}'), env),
    ).toThrow("CycloneDX specVersion '1.2' is not supported; expected one of 1.4, 1.5, 1.6.");
  });

  test('when the SPDX version is 3.0, then it names the expected version', () => {
    expect(() => loadSbomFile(write('s3.json', '{"spdxVersion":"SPDX-3.0"}'), env)).toThrow(
      "Input 'sbom-file': '" + join(dir, 's3.json') + "' is SPDX-3.0; expected SPDX-2.3 (or SPDX-2.2) JSON.",
    );
  });
});
