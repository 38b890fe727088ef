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

/** Largest value of the INTEGER id columns (PostgreSQL's int4): a bigger number never reaches a query. */
export const MAX_ID = 2_147_483_647;
export const MIN_INTEGER = -2_147_483_648;

/** For a refinement after a format check: a value the format already refused is not refused twice. */
const digits = /^\d+$/;

/** Earliest and latest instants both databases store and compare (PostgreSQL has no year 0; SQLite's text stops at 9999). */
export const MIN_TIME = Date.parse('0001-01-01T00:00:00Z');
export const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const TIME_RANGE = 'between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

/** Whether a parsed date lies where both databases can store and compare it. */
export function inTimeRange(ms: number): boolean {
  return ms >= MIN_TIME && ms <= MAX_TIME;
}

/**
 * Path ids are positive integers: anything else is a 404 (the resource cannot exist), except a number beyond
 * the id columns' range, a 400 naming the path parameter.
 */
export function parseId(raw: string | undefined, what: string, param = 'id'): number {
  if (raw !== undefined && /^[1-9]\d*$/.test(raw) && Number(raw) > MAX_ID) {
    throw AppError.badRequest(`Path parameter '${param}' is larger than any ${what} id.`, [
      { field: `params.${param}`, message: `expected an id between 1 and ${MAX_ID}` },
    ]);
  }
  if (raw === undefined || !/^[1-9]\d{0,9}$/.test(raw)) {
    throw AppError.notFound(`No ${what} with id '${raw ?? ''}'.`);
  }
  return Number(raw);
}

/** A positive integer id in a JSON body, within the id columns' range. */
export const bodyId = (what: string) =>
  z
    .number(`expected an integer ${what}`)
    .int(`expected an integer ${what}`)
    .positive(`expected a positive ${what}`)
    .max(MAX_ID, `expected a ${what} of at most ${MAX_ID}`);

/** A cursor that is an id (digits), within the id columns' range. */
export const idCursor = (max: number) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${max}}$`), 'expected a cursor returned in page.nextCursor')
    .refine((s) => !digits.test(s) || Number(s) <= MAX_ID, 'expected a cursor returned in page.nextCursor');

/** A positive integer id in a query parameter (digits), within the id columns' range. */
export const queryId = (message: string) =>
  z
    .string()
    .regex(/^[1-9]\d*$/, message)
    .refine((s) => !digits.test(s) || Number(s) <= MAX_ID, `${message} (at most ${MAX_ID})`)
    .transform(Number);

/** An ISO 8601 date-time with an offset, within the range both databases store. */
export const dateTime = (message: string) =>
  z.iso.datetime({ offset: true, message }).refine((s) => {
    const ms = Date.parse(s);
    return Number.isNaN(ms) || inTimeRange(ms);
  }, `expected a date-time ${TIME_RANGE}`);

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
