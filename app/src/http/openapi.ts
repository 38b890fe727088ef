/**
 * The OpenAPI 3.1 document, generated: every route declares its request schemas (the zod schemas that validate
 * it) and every response it can send, and the document is built from those declarations with zod's own
 * JSON Schema output (`z.toJSONSchema`, draft 2020-12, the dialect of OpenAPI 3.1). Request schemas are
 * converted as zod reads them (`io: 'input'`), query parameters as the values they parse to, and response
 * schemas as the service writes them (`io: 'output'`). Schemas given an id (`.meta({ id })`) become
 * `components.schemas` entries.
 */
import { z } from 'zod';
import { MAX_ID } from './validation.js';

export type JsonSchema = Record<string, unknown>;

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface HeaderSpec {
  description: string;
  schema?: JsonSchema;
  required?: boolean;
}

export interface ResponseSpec {
  description: string;
  /** Media type → schema: a zod schema (converted), or a JSON Schema for what zod does not describe (bytes, text). */
  content?: Record<string, z.ZodType | JsonSchema>;
  headers?: Record<string, HeaderSpec>;
}

export type Responses = Record<number, ResponseSpec>;

/** What a request carries, as the route validates it. */
export interface RequestSpec {
  /** Path parameters: name → what the id names (`{ id: 'case' }`); each is a positive id, 404 when it cannot be one. */
  params?: Record<string, string>;
  query?: z.ZodObject;
  /** Request headers by their canonical name (`If-Match`). */
  headers?: z.ZodObject;
  /** A JSON body. */
  body?: z.ZodType;
  /** A multipart/form-data body the handler streams itself (uploads): described here, read by the handler. */
  multipart?: JsonSchema;
}

export type Security = 'bearer' | 'none' | 'metrics';

/** One operation of the API as the document shows it. */
export interface OperationSpec {
  method: Method;
  /** Express path, e.g. `/cases/:id`; the document writes it `/cases/{id}`. */
  path: string;
  summary: string;
  description?: string;
  security: Security;
  request?: RequestSpec;
  responses: Responses;
}

/** The operations of the API in the order they were registered: the document and the 405 answers read it. */
export class Operations {
  private readonly list: OperationSpec[] = [];

  add(operation: OperationSpec): void {
    if (this.list.some((o) => o.method === operation.method && o.path === operation.path))
      throw new Error(`${operation.method.toUpperCase()} ${operation.path} is declared twice`);
    this.list.push(operation);
  }

  all(): readonly OperationSpec[] {
    return this.list;
  }
}

const idSchema: JsonSchema = { type: 'integer', minimum: 1, maximum: MAX_ID };

export const problemSchema = z
  .object({
    type: z.url().describe('A URI naming the kind of problem'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional().describe('The path and query of the request'),
    requestId: z.string().optional().describe('Also in the X-Request-Id header and the audit event'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Which input was refused and what was expected, e.g. body.title'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const headers = {
  etag: { ETag: { description: 'Entity tag of the resource', schema: { type: 'string' }, required: true } },
  location: {
    Location: { description: 'Where the new resource is', schema: { type: 'string' }, required: true },
  },
  retryAfter: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' } } },
} satisfies Record<string, Record<string, HeaderSpec>>;

/** A JSON response. */
export const json = (
  description: string,
  schema: z.ZodType,
  headers?: Record<string, HeaderSpec>,
): ResponseSpec => ({
  description,
  content: { 'application/json': schema },
  ...(headers ? { headers } : {}),
});

/** An application/problem+json response. */
export const problem = (description: string, headers?: Record<string, HeaderSpec>): ResponseSpec => ({
  description,
  content: { 'application/problem+json': problemSchema },
  ...(headers ? { headers } : {}),
});

/** A response without a body (204, 304). */
export const empty = (description: string, headers?: Record<string, HeaderSpec>): ResponseSpec => ({
  description,
  ...(headers ? { headers } : {}),
});

/** Building blocks of response schemas: an id as the id columns hold it, and an instant as the service writes it. */
export const idOut = z.int().min(1).max(MAX_ID);
export const instant = z.iso
  .datetime()
  .meta({ id: 'Instant', description: 'UTC, e.g. 2026-01-31T09:30:00.000Z' });

/** A page of a list: its rows and the cursor of the next page. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.object({
      limit: z.int().min(1).max(200),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    }),
  });

/** A whole list: `{ data: [...] }`. */
export const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** `/cases/:id` → `/cases/{id}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Converts zod schemas, collecting the schemas with an id into one `components.schemas`. */
class Converter {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema {
    if (!(schema instanceof z.ZodType)) return schema;
    const {
      $schema: _dialect,
      $defs,
      ...json
    } = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'throw',
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const known = this.components[id];
      const rewritten = rewriteRefs(def) as JsonSchema;
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(rewritten))
        throw new Error(`The schema '${id}' reads differently as ${io}; give the other form its own id`);
      this.components[id] = rewritten;
    }
    return rewriteRefs(json) as JsonSchema;
  }
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string'
        ? v.replace('#/$defs/', '#/components/schemas/')
        : rewriteRefs(v),
    ]),
  );
}

/**
 * Query and header parameters: one per property of the object schema, shown as the values they parse to
 * (`limit`: an integer), required when zod requires them in the input. Arrays are comma-separated.
 */
function parameters(where: 'query' | 'header', schema: z.ZodObject, converter: Converter): JsonSchema[] {
  const output = converter.convert(schema, 'output') as { properties?: Record<string, JsonSchema> };
  const input = converter.convert(schema, 'input') as { required?: string[] };
  return Object.entries(output.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: input.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
      ...(rest.type === 'array' ? { style: 'form', explode: false } : {}),
    };
  });
}

function operationObject(op: OperationSpec, converter: Converter): JsonSchema {
  const request = op.request ?? {};
  const params = [
    ...Object.entries(request.params ?? {}).map(([name, what]) => ({
      name,
      in: 'path',
      required: true,
      description: `${what[0]!.toUpperCase()}${what.slice(1)} id`,
      schema: idSchema,
    })),
    ...(request.query ? parameters('query', request.query, converter) : []),
    ...(request.headers ? parameters('header', request.headers, converter) : []),
  ];
  const body = request.body
    ? {
        required: true,
        content: { 'application/json': { schema: converter.convert(request.body, 'input') } },
      }
    : request.multipart
      ? { required: true, content: { 'multipart/form-data': { schema: request.multipart } } }
      : undefined;
  const responses = Object.fromEntries(
    Object.entries(op.responses)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers ? { headers: response.headers } : {}),
          ...(response.content
            ? {
                content: Object.fromEntries(
                  Object.entries(response.content).map(([type, schema]) => [
                    type,
                    { schema: converter.convert(schema, 'output') },
                  ]),
                ),
              }
            : {}),
        },
      ]),
  );
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.security === 'bearer' ? {} : { security: op.security === 'none' ? [] : [{ metricsToken: [] }] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

export function buildOpenApi(operations: readonly OperationSpec[], version: string): JsonSchema {
  const converter = new Converter();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const item = (paths[openApiPath(op.path)] ??= {});
    item[op.method] = operationObject(op, converter);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Legal case service',
      version,
      description:
        'Users, roles, matters with per-case access and ethical walls, documents, parties and conflict checks, and an append-only audit trail. Errors are application/problem+json; unknown fields are rejected. Generated from the zod schemas that validate each request.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
      },
      schemas: Object.fromEntries(
        Object.entries(converter.components).sort(([a], [b]) => a.localeCompare(b)),
      ),
    },
  };
}
