/**
 * Requests made from an OpenAPI 3.1 document, and responses checked against it — knowing nothing of the service
 * but the document. Valid examples come from json-schema-faker; invalid ones are a valid example with one part
 * broken. Whether an example is valid or invalid, and whether a response body matches, is decided by ajv (an
 * independent JSON Schema validator) against the document, never by the generator or the mutation.
 *
 * json-schema-faker writes strings for a single `pattern` only (and not every regex feature: `\p{L}`, escapes
 * in classes), while the document states several rules of one string as `allOf` patterns. So each string of a
 * request schema is generated from a pool of candidates: the generator's output for each of its patterns and a
 * few real-world strings, each kept only when ajv accepts it for that string's own schema.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import type { Ajv, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createGeneratorSync } from 'json-schema-faker';

type Json = Record<string, unknown>;

// Both are CommonJS with a default export; under NodeNext the namespace arrives as the value or as { default }.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as new (
  options: object,
) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
  style?: string;
  explode?: boolean;
}

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** JSON pointer of the operation object in the document. */
  pointer: string;
  object: Json & { parameters?: Parameter[]; requestBody?: Json; responses: Record<string, Json> };
}

/** A request as the document describes it: path ids apart (the caller knows which resources exist). */
export interface Example {
  query: Record<string, unknown>;
  headers: Record<string, string>;
  /** Absent: the operation has no JSON body. */
  body?: unknown;
}

/** A broken example and what the service must say about it. */
export interface Invalid {
  what: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  /** The field the 400's `errors` must name (a prefix: `body.names` covers `body.names.3`). */
  field: string;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const isJsonMedia = (type: string) => /^application\/(.+\+)?json$/.test(type);
const mediaOf = (header: string) => header.split(';')[0]!.trim().toLowerCase();

/** Strings people write, for fields whose rules the generator cannot follow by itself. */
const REAL_STRINGS = [
  'Acme Ltd',
  'Anna Müller',
  "O'Brien & Co. GmbH",
  'שרה כהן',
  '李小龙',
  'Zoë Ω 🙂',
  'Smith v. Jones',
  'Line one\nLine two\twith a tab',
  '+49 30 1234567',
  '(555) 010-2030',
  'jane.doe@example.com',
  'a',
  '7',
  '2026-01-31T09:30:00Z',
  '2026-01-31T09:30:00.123+01:00',
  '"case-1-v1"',
  'W/"x", "case-1-v1"',
  '*',
  'bytes=0-99',
];

/** Values that break a field one way or another; ajv decides which of them a field refuses. */
const BAD_VALUES: unknown[][] = [
  [0, -1, 2_147_483_648, 1.5, 42],
  [true, null, [], {}],
  ['', ' ', 'a\u001bb', 'a\u202eb', 'a\u0000b', 'x', 'not-one-of-the-choices'],
];

/** Raw query or header values that break a parameter (none of them writes a valid integer: `0x1`, `1e0`, ` 1`). */
const BAD_RAW = [
  '0x1',
  '1e0',
  ' 1',
  '1.5',
  '-1',
  '2147483648',
  'abc',
  '',
  'W/abc',
  '"open',
  'x'.repeat(2100),
];

export class OpenApiExamples {
  private readonly ajv: Ajv;
  private readonly id = 'https://legal.test/openapi.json';
  private readonly generator: ReturnType<typeof createGeneratorSync>;
  private readonly candidates = new Map<string, string[]>();
  private readonly generationComponents: Json;

  constructor(
    readonly doc: Json & { paths: Record<string, Record<string, Json>>; components: Json },
    seed: number,
  ) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: this.id });
    this.generator = createGeneratorSync({ seed, maxDefaultItems: 4 });
    this.generationComponents = this.forGeneration(doc.components) as Json;
  }

  operations(): Operation[] {
    return Object.entries(this.doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, object]) => ({
        method: method as Operation['method'],
        path,
        pointer: `/paths/${escape(path)}/${method}`,
        object: object as Operation['object'],
      })),
    );
  }

  /** Errors of ajv for `value` against the schema at `pointer` (empty: valid). */
  errors(pointer: string, value: unknown): string[] {
    const validate = this.ajv.getSchema(`${this.id}#${pointer}`) as ValidateFunction | undefined;
    if (!validate) throw new Error(`no schema at ${pointer}`);
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
  }

  parameters(op: Operation, where: Parameter['in']): { parameter: Parameter; pointer: string }[] {
    return (op.object.parameters ?? [])
      .map((parameter, i) => ({ parameter, pointer: `${op.pointer}/parameters/${i}/schema` }))
      .filter(({ parameter }) => parameter.in === where);
  }

  bodyPointer(op: Operation): string | undefined {
    const content = op.object.requestBody?.content as Record<string, unknown> | undefined;
    return content?.['application/json']
      ? `${op.pointer}/requestBody/content/application~1json/schema`
      : undefined;
  }

  isMultipart(op: Operation): boolean {
    const content = op.object.requestBody?.content as Record<string, unknown> | undefined;
    return content?.['multipart/form-data'] !== undefined;
  }

  private schemaAt(pointer: string): Json {
    let node: unknown = this.doc;
    for (const part of pointer.split('/').slice(1))
      node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node as Json;
  }

  /** A valid example of the operation's query, headers and JSON body; ajv confirms each part. */
  valid(op: Operation): Example {
    const example: Example = { query: {}, headers: {} };
    for (const where of ['query', 'header'] as const) {
      for (const { parameter, pointer } of this.parameters(op, where)) {
        if (!parameter.required && this.generator.generate({ type: 'boolean' }) === false) continue;
        // A header value is an HTTP field value: visible Latin-1 characters, spaces and tabs.
        const value = this.generateValid(pointer, `${where} parameter ${parameter.name}`, (v) =>
          where === 'query' ? true : /^[\t\x20-\x7e\x80-\xff]*$/.test(String(v)),
        );
        if (where === 'query') example.query[parameter.name] = value;
        else example.headers[parameter.name] = String(value);
      }
    }
    const body = this.bodyPointer(op);
    if (body) example.body = this.generateValid(body, 'body');
    return example;
  }

  private generateValid(
    pointer: string,
    what: string,
    usable: (value: unknown) => boolean = () => true,
  ): unknown {
    const schema = {
      ...(this.forGeneration(this.schemaAt(pointer)) as Json),
      components: this.generationComponents,
    };
    const refused: string[] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      let value: unknown;
      try {
        value = this.generator.generate(schema);
      } catch (err) {
        // json-schema-faker gives up on some draws (an object short of minProperties): draw again.
        refused.push(`the generator: ${(err as Error).message}`);
        continue;
      }
      const errors = this.errors(pointer, value);
      if (errors.length === 0 && usable(value)) return value;
      refused.push(`${JSON.stringify(value)}: ${errors.join(', ') || 'not usable here'}`);
    }
    throw new Error(`no valid ${what} in 50 attempts at ${pointer}:\n${refused.slice(0, 5).join('\n')}`);
  }

  /** The schema with each constrained string replaced by `enum` of its valid candidates. */
  private forGeneration(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.forGeneration(n));
    if (node === null || typeof node !== 'object') return node;
    const schema = node as Json;
    if (schema.type === 'string' && schema.enum === undefined && schema.const === undefined) {
      const candidates = this.stringCandidates(schema);
      if (candidates.length > 0) return { type: 'string', enum: candidates };
    }
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, this.forGeneration(v)]));
  }

  private stringCandidates(schema: Json): string[] {
    const key = JSON.stringify(schema);
    const known = this.candidates.get(key);
    if (known) return known;
    const check = this.ajv.compile({ ...schema, $id: undefined });
    const patterns = [
      ...(typeof schema.pattern === 'string' ? [schema.pattern] : []),
      ...((schema.allOf as Json[] | undefined) ?? []).flatMap((p) =>
        typeof p.pattern === 'string' ? [p.pattern] : [],
      ),
    ];
    const { allOf: _allOf, pattern: _pattern, ...plain } = schema;
    const variants = patterns.length > 0 ? patterns.map((pattern) => ({ ...plain, pattern })) : [plain];
    const generated = variants.flatMap((variant) =>
      Array.from({ length: 12 }, () => {
        try {
          return this.generator.generate(variant);
        } catch {
          return undefined;
        }
      }),
    );
    const longest = typeof schema.maxLength === 'number' ? ['x'.repeat(schema.maxLength)] : [];
    const documented = Array.isArray(schema.examples) ? schema.examples : [];
    const found = [...new Set([...documented, ...REAL_STRINGS, ...longest, ...generated])]
      .filter((s): s is string => typeof s === 'string' && check(s) === true)
      .slice(0, 24);
    this.candidates.set(key, found);
    return found;
  }

  /** Invalid variants of a valid example: each breaks one thing, and ajv confirms it is broken. */
  invalid(op: Operation, valid: Example): Invalid[] {
    const out: Invalid[] = [];
    const query = serialisedQuery(op, valid.query);
    const base = { query, headers: valid.headers };
    for (const where of ['query', 'header'] as const) {
      for (const { parameter, pointer } of this.parameters(op, where)) {
        let found = 0;
        for (const raw of BAD_RAW) {
          if (found >= 3) break;
          if (this.errors(pointer, deserialise(parameter, raw)).length === 0) continue;
          found += 1;
          out.push(
            where === 'query'
              ? {
                  ...base,
                  what: `query ${parameter.name}=${JSON.stringify(raw)}`,
                  query: { ...query, [parameter.name]: raw },
                  field: `query.${parameter.name}`,
                }
              : {
                  ...base,
                  what: `header ${parameter.name}: ${JSON.stringify(raw)}`,
                  headers: { ...valid.headers, [parameter.name]: raw },
                  field: `headers.${parameter.name}`,
                },
          );
        }
      }
    }
    const pointer = this.bodyPointer(op);
    if (!pointer) return out;
    const schema = this.schemaAt(pointer) as Json & {
      properties?: Record<string, Json>;
      required?: string[];
    };
    const body = valid.body as Json;
    const add = (what: string, candidate: unknown, field: string) => {
      if (this.errors(pointer, candidate).length > 0) out.push({ ...base, what, body: candidate, field });
    };
    add('a body that is an array', [body], 'body');
    add('an unknown field', { ...body, unexpectedField: 1 }, 'body.unexpectedField');
    if (typeof schema.minProperties === 'number') add('an empty body', {}, 'body');
    for (const name of schema.required ?? []) {
      const { [name]: _dropped, ...rest } = body;
      add(`no ${name}`, rest, `body.${name}`);
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const longest = maxLengthOf(property);
      const groups = [
        ...BAD_VALUES.slice(0, 2),
        [...(longest === undefined ? [] : ['x'.repeat(longest + 1)]), ...BAD_VALUES[2]!],
      ];
      for (const group of groups) {
        const bad = group.find((value) => this.errors(pointer, { ...body, [name]: value }).length > 0);
        if (bad !== undefined)
          add(`${name}: ${JSON.stringify(bad)?.slice(0, 40)}`, { ...body, [name]: bad }, `body.${name}`);
      }
    }
    return out;
  }

  /** What is wrong with a response, by the document: status, media type, body schema, required headers. */
  check(
    op: Operation,
    res: { status: number; headers: Record<string, string | undefined>; body: unknown; text?: string },
  ): string[] {
    const documented = op.object.responses;
    const response = documented[String(res.status)] as
      { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> } | undefined;
    if (!response)
      return [`status ${res.status} is not documented (documented: ${Object.keys(documented).join(', ')})`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {}))
      if (header.required && res.headers[name.toLowerCase()] === undefined)
        problems.push(`no ${name} header`);
    const types = Object.keys(response.content ?? {});
    const contentType = res.headers['content-type'];
    if (types.length === 0) {
      if (contentType !== undefined || (res.text ?? '') !== '')
        problems.push(`a body (${contentType}) where none is documented`);
      return problems;
    }
    if (contentType === undefined) return [...problems, `no Content-Type; documented: ${types.join(', ')}`];
    const type = types.find((t) => t === '*/*' || mediaOf(t) === mediaOf(contentType));
    if (type === undefined)
      return [...problems, `Content-Type ${contentType} is not documented (${types.join(', ')})`];
    if (isJsonMedia(mediaOf(type))) {
      const pointer = `${op.pointer}/responses/${res.status}/content/${escape(type)}/schema`;
      problems.push(...this.errors(pointer, res.body).map((e) => `body: ${e}`));
    }
    return problems;
  }
}

function maxLengthOf(schema: Json): number | undefined {
  if (typeof schema.maxLength === 'number') return schema.maxLength;
  for (const branch of (schema.anyOf as Json[] | undefined) ?? []) {
    const found = maxLengthOf(branch);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Query values as OpenAPI's `form` style writes them (arrays comma-separated with explode: false). */
export function serialisedQuery(op: Operation, values: Record<string, unknown>): Record<string, string> {
  const params = new Map((op.object.parameters ?? []).map((p) => [p.name, p]));
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      Array.isArray(value) && params.get(name)?.explode === false ? value.join(',') : String(value),
    ]),
  );
}

/**
 * A raw parameter value read as the document says: an integer only when written in decimal digits (so `0x1`,
 * `1e0` or ` 1` are no integer at all), arrays split at commas. A value that is no serialisation of its type is
 * returned as a string, which the type then refuses.
 */
function deserialise(parameter: Parameter, raw: string): unknown {
  const read = (schema: Json, text: string): unknown =>
    schema.type === 'integer' || schema.type === 'number'
      ? /^-?\d+$/.test(text)
        ? Number(text)
        : text
      : text;
  if (parameter.schema.type === 'array')
    return raw.split(',').map((s) => read(parameter.schema.items as Json, s));
  return read(parameter.schema, raw);
}

export const queryString = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
