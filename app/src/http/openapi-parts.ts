/** Building blocks of the OpenAPI 3.1 document, shared by src/openapi.ts and the components' own paths. */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema) => ({ 'application/json': { schema } });
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
export const ok = (description: string, schema?: Schema, headers?: Record<string, unknown>) => ({
  description,
  ...(schema ? { content: json(schema) } : {}),
  ...(headers ? { headers } : {}),
});
export const body = (schema: Schema) => ({ required: true, content: json(schema) });
/** An id as the INTEGER id columns hold it (PostgreSQL's int4). */
export const idSchema = { type: 'integer', minimum: 1, maximum: 2_147_483_647 };
export const pathId = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: idSchema,
});
export const query = (name: string, description: string, schema: Schema) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
export const date = { type: 'string', format: 'date-time' };
export const nullableString = (maxLength: number) => ({ type: ['string', 'null'], maxLength });
export const unauthorized = {
  401: problem('Missing, malformed, expired or forged access token, or deactivated user'),
};
