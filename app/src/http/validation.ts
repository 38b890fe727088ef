import { z } from 'zod';
import { AppError, type FieldError } from '../errors.js';

/** Converts zod issues into field-level errors: `{ field: 'body.title', message: '...' }`. */
export function fieldErrors(where: 'body' | 'query' | 'params' | 'headers', error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: `${base}.${key}`, message: 'unknown field' });
    } else {
      out.push({ field: base, message: issue.message });
    }
  }
  return out;
}

export function parse<T extends z.ZodType>(
  where: 'body' | 'query' | 'params',
  schema: T,
  value: unknown,
): z.infer<T> {
  if (
    where === 'body' &&
    (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))
  ) {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw AppError.badRequest('The request body must be a JSON object (Content-Type: application/json).', [
      { field: 'body', message: 'expected a JSON object' },
    ]);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(where, result.error);
    throw AppError.badRequest(
      `The request ${where} is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return result.data;
}

/** Path ids are positive integers; anything else is a 404 (the resource cannot exist), not a 400. */
export function parseId(raw: string | undefined, what: string): number {
  if (raw === undefined || !/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
    throw AppError.notFound(`No ${what} with id '${raw ?? ''}'.`);
  }
  return Number(raw);
}

/** Any string the service accepts: PostgreSQL cannot store NUL, so it is a 400 on the field, never a 500. */
export const text = (message?: string) =>
  z.string(message).refine((s) => !s.includes('\0'), 'expected no NUL characters');
export const trimmed = (max: number) =>
  text().trim().min(1, 'expected a non-empty string').max(max, `expected at most ${max} characters`);
export const limitParam = z.coerce
  .number({ message: 'expected an integer between 1 and 200' })
  .int('expected an integer between 1 and 200')
  .min(1, 'expected an integer between 1 and 200')
  .max(200, 'expected an integer between 1 and 200')
  .default(50);
