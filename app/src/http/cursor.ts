import { AppError } from '../errors.js';

/** Opaque cursors: base64url JSON of the last row's sort key and id. */
export function encodeCursor(value: unknown, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/**
 * The sort key must match the sort it pages through: a date string for a date sort (`'date'`), any string
 * otherwise (`'text'`); never a NUL character, which PostgreSQL cannot compare.
 */
export function decodeCursor(cursor: string, kind: 'date' | 'text'): { value: string; id: number } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isInteger(parsed[1])) {
      const value: unknown = parsed[0];
      if (
        typeof value === 'string' &&
        !value.includes('\0') &&
        (kind === 'text' || !Number.isNaN(Date.parse(value)))
      )
        return { value, id: parsed[1] as number };
    }
  } catch {
    // fall through
  }
  throw AppError.badRequest("Query parameter 'cursor' is not a cursor this service issued.", [
    { field: 'query.cursor', message: 'expected a cursor returned in page.nextCursor' },
  ]);
}
