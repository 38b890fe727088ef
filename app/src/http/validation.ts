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
  where: 'body' | 'query' | 'params' | 'headers',
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

/**
 * An integer in a query string, parsed strictly: decimal digits only (`0x1`, `1e0`, ` 1`, `1.0` are refused,
 * where `Number()` would take them), then checked against the range. The OpenAPI document shows the parsed
 * value: an integer between `min` and `max`.
 */
export const queryInt = (min: number, max: number, message: string) =>
  z
    .string(message)
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(max, message));

/** A cursor that is an id (digits), within the id columns' range. */
export const idCursor = () =>
  queryInt(0, MAX_ID, 'expected a cursor returned in page.nextCursor').describe(
    'page.nextCursor of the previous page',
  );

/** An opaque cursor (base64url, as `encodeCursor` writes it); what it holds is checked when decoded. */
export const opaqueCursor = () =>
  z
    .string('expected a cursor returned in page.nextCursor')
    .regex(/^[A-Za-z0-9_-]{1,2048}$/, 'expected a cursor returned in page.nextCursor')
    .describe('page.nextCursor of the previous page (opaque)');

/** A positive integer id in a query parameter, within the id columns' range. */
export const queryId = (message: string) => queryInt(1, MAX_ID, `${message} (1-${MAX_ID})`);

/** An ISO 8601 date-time with an offset, within the range both databases store. */
export const dateTime = (message: string) =>
  z.iso.datetime({ offset: true, message }).refine((s) => {
    const ms = Date.parse(s);
    return Number.isNaN(ms) || inTimeRange(ms);
  }, `expected a date-time ${TIME_RANGE}`);

/*
 * Characters refused in text. NUL has a check (and message) of its own: PostgreSQL cannot store it. The other
 * C0 and C1 controls (ESC, BEL, ...) and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069: text shown in another order than it is stored, "Trojan Source") are refused in every
 * single-line field (names, titles, e-mails); free text (descriptions, notes, reasons) keeps tab, line feed
 * and carriage return. Each rule is one regular expression, so the OpenAPI document states it as a `pattern`.
 */
// eslint-disable-next-line no-control-regex
const NO_NUL = /^[^\u0000]*$/;
// eslint-disable-next-line no-control-regex
const LINE = /^[^\u0001-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/u;
// eslint-disable-next-line no-control-regex
const MULTILINE = /^[^\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/u;
const LINE_MESSAGE =
  'expected no control characters (U+0001-U+001F, U+007F-U+009F) and no bidirectional formatting characters (U+202A-U+202E, U+2066-U+2069)';
const MULTILINE_MESSAGE =
  'expected no control characters other than tab, line feed and carriage return, and no bidirectional formatting characters (U+202A-U+202E, U+2066-U+2069)';

/** Any string the service accepts: PostgreSQL cannot store NUL, so it is a 400 on the field, never a 500. */
export const text = (message?: string) => z.string(message).regex(NO_NUL, 'expected no NUL characters');

/** Free text (tabs and line breaks allowed), trimmed; `\S` rather than a length says "not blank" in the document too. */
export const trimmed = (max: number) =>
  text()
    .regex(MULTILINE, MULTILINE_MESSAGE)
    .trim()
    .regex(/\S/, 'expected a non-empty string')
    .max(max, `expected at most ${max} characters`);

/** One line of text (a name, a title), trimmed, not blank. */
export const singleLine = (max: number) =>
  text()
    .regex(LINE, LINE_MESSAGE)
    .trim()
    .regex(/\S/, 'expected a non-empty string')
    .max(max, `expected at most ${max} characters`);

/** Text up to `max` characters, trimmed, possibly empty: free text, or one line with `line`. */
export const textUpTo = (max: number, line = false) =>
  text('expected a string or null')
    .regex(line ? LINE : MULTILINE, line ? LINE_MESSAGE : MULTILINE_MESSAGE)
    .trim()
    .max(max, `expected at most ${max} characters`);

/** An e-mail address (zod's pattern admits no control or bidirectional character). */
export const email = (message = 'expected an e-mail address') =>
  z.email(message).max(254, 'expected at most 254 characters');

export const limitParam = queryInt(1, 200, 'expected an integer between 1 and 200')
  .default(50)
  .describe('Page size');

/** A PATCH body must change something: refused by zod, stated to the document as `minProperties`. */
export const atLeastOne = <T extends z.ZodObject>(schema: T, message: string) =>
  schema.refine((b) => Object.keys(b).length > 0, { message }).meta({ minProperties: 1 });
