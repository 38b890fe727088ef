/**
 * JSON-schema validation of SBOMs before they leave the runner. CycloneDX uses the schemas shipped
 * in @cyclonedx/cyclonedx-library (res/schema, with the SPDX licence-id, JSF and cryptography
 * definitions they reference); SPDX 2.3 uses ./spdx-schema.ts. The library's own validator needs
 * the optional ajv-formats-draft2019 package, so ajv is driven here directly with the same options
 * (no remote schemas, the same permissive iri-reference / idn-email formats).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import cdx14 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.4.SNAPSHOT.schema.json' with { type: 'json' };
import cdx15 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.5.SNAPSHOT.schema.json' with { type: 'json' };
import cdx16 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.6.SNAPSHOT.schema.json' with { type: 'json' };
import spdxLicenses from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/spdx.SNAPSHOT.schema.json' with { type: 'json' };
import jsf from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/jsf-0.82.SNAPSHOT.schema.json' with { type: 'json' };
import cryptoDefs from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/cryptography-defs.SNAPSHOT.schema.json' with { type: 'json' };
import { SPDX_23_SCHEMA } from './spdx-schema.js';

export type SbomKind = 'cyclonedx' | 'spdx';

export class SchemaError extends Error {
  constructor(
    readonly schemaPath: string,
    readonly instancePath: string,
    message: string,
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

const CDX_SCHEMAS: Record<string, object> = { '1.4': cdx14, '1.5': cdx15, '1.6': cdx16 };
export const SUPPORTED_CYCLONEDX_VERSIONS = Object.keys(CDX_SCHEMAS);

// ajv-formats is CommonJS with a default export; under NodeNext the namespace arrives as the function
// or as { default }.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const cache = new Map<string, { validate: ValidateFunction; pointers: WeakMap<object, string> }>();

/**
 * Maps every sub-schema object to its JSON pointer. ajv reports `schemaPath` relative to the
 * definition it compiled separately (recursive $refs), e.g. `#/required`; with `verbose` errors carry
 * the sub-schema object itself, which this map turns back into the full path in the schema file.
 */
function pointerMap(roots: [string, unknown][]): WeakMap<object, string> {
  const map = new WeakMap<object, string>();
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== 'object' || map.has(node)) return;
    map.set(node, pointer);
    for (const [key, child] of Object.entries(node)) {
      walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  };
  for (const [prefix, root] of roots) walk(root, `${prefix}#`);
  return map;
}

function compile(key: string): { validate: ValidateFunction; pointers: WeakMap<object, string> } {
  const hit = cache.get(key);
  if (hit) return hit;
  const ajv = new Ajv({
    strict: false,
    useDefaults: false,
    addUsedSchema: false,
    allErrors: false,
    verbose: true,
    // Compiling the 1.6 schema dominates a run: skip ajv's code optimizer and keep $refs as functions.
    inlineRefs: false,
    code: { optimize: false },
    schemas: {
      'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': spdxLicenses,
      'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': jsf,
      'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': cryptoDefs,
    },
    loadSchema: (uri: string) => Promise.reject(new Error(`Remote schemas are disabled: ${uri}`)),
  });
  addFormats(ajv);
  // ajv checks uniqueItems pairwise with deep equality (O(n^2)): seconds for a thousand components.
  // The same rule in one pass: items are equal exactly when their canonical JSON is.
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    validate: function uniqueItems(this: unknown, wanted: boolean, data: unknown[]) {
      if (!wanted) return true;
      const seen = new Map<string, number>();
      for (const [index, item] of data.entries()) {
        const key = canonicalJson(item);
        const first = seen.get(key);
        if (first !== undefined) {
          (uniqueItems as unknown as { errors: Partial<ErrorObject>[] }).errors = [
            {
              keyword: 'uniqueItems',
              message: `must NOT have duplicate items (items ## ${first} and ${index} are identical)`,
              params: { i: index, j: first },
            },
          ];
          return false;
        }
        seen.set(key, index);
      }
      return true;
    },
  });
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  const schema = key === 'spdx' ? SPDX_23_SCHEMA : CDX_SCHEMAS[key];
  if (!schema) throw new Error(`no schema for ${key}`);
  const compiled = {
    validate: ajv.compile(schema),
    pointers: pointerMap([
      ['', schema],
      ['spdx.SNAPSHOT.schema.json', spdxLicenses],
      ['jsf-0.82.SNAPSHOT.schema.json', jsf],
      ['cryptography-defs.SNAPSHOT.schema.json', cryptoDefs],
    ]),
  };
  cache.set(key, compiled);
  return compiled;
}

/** The failing keyword's path from the top of its schema file, e.g. `#/definitions/component/required`. */
function fullSchemaPath(error: ErrorObject, pointers: WeakMap<object, string>): string {
  const parent = error.parentSchema as object | undefined;
  const base = parent ? pointers.get(parent) : undefined;
  return base ? `${base}/${error.keyword}` : error.schemaPath;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function describe(error: ErrorObject): string {
  const params =
    error.keyword === 'additionalProperties'
      ? ` ('${(error.params as { additionalProperty: string }).additionalProperty}')`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues).slice(0, 200)})`
        : '';
  return `${error.message ?? error.keyword}${params}`;
}

/**
 * Validates a parsed SBOM. Throws SchemaError naming the schema path and the document path of the first
 * error; `label` names the file in the message.
 */
export function validateSbom(kind: SbomKind, doc: unknown, label: string): void {
  let key: string = kind;
  let schemaName = 'SPDX 2.3';
  if (kind === 'cyclonedx') {
    const version = String((doc as { specVersion?: unknown } | null)?.specVersion ?? '');
    if (!CDX_SCHEMAS[version]) {
      throw new SchemaError(
        '#/properties/specVersion',
        '/specVersion',
        `${label}: CycloneDX specVersion '${version}' is not supported; expected one of ${SUPPORTED_CYCLONEDX_VERSIONS.join(', ')}.`,
      );
    }
    key = version;
    schemaName = `CycloneDX ${version}`;
  }
  const { validate, pointers } = compile(key);
  if (validate(doc)) return;
  const first = validate.errors?.[0];
  if (!first) throw new SchemaError('#', '', `${label} does not match the ${schemaName} JSON schema.`);
  const schemaPath = fullSchemaPath(first, pointers);
  throw new SchemaError(
    schemaPath,
    first.instancePath,
    `${label} does not match the ${schemaName} JSON schema: at ${first.instancePath || '/'} ` +
      `${describe(first)} (schema path ${schemaPath}).`,
  );
}
