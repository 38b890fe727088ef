import { AppError } from '../errors.js';
import { inTimeRange, MAX_ID, MIN_INTEGER } from './validation.js';

/** One page of a list as a service returns it: the rows, and whether more follow the last one. */
export interface Page<T> {
  data: T[];
  more: boolean;
}

/** The page.nextCursor of a page: the last row's key as `key` writes it, or null on the last page. */
export function nextCursor<T>(page: Page<T>, key: (last: T) => string): string | null {
  const last = page.data.at(-1);
  return page.more && last !== undefined ? key(last) : null;
}

/** Opaque cursors: base64url JSON of the last row's sort key and id. */
export function encodeCursor(value: unknown, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/**
 * The sort key must match the sort it pages through: a date string for a date sort (`'date'`, within the
 * range both databases store), any string otherwise (`'text'`); never a NUL character, which PostgreSQL cannot
 * compare. The id is one an INTEGER column can hold.
 */
export function decodeCursor(cursor: string, kind: 'date' | 'text'): { value: string; id: number } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const id: unknown = Array.isArray(parsed) && parsed.length === 2 ? parsed[1] : undefined;
    if (Number.isInteger(id) && (id as number) >= MIN_INTEGER && (id as number) <= MAX_ID) {
      const value: unknown = (parsed as unknown[])[0];
      if (
        typeof value === 'string' &&
        !value.includes('\0') &&
        (kind === 'text' || inTimeRange(Date.parse(value)))
      )
        return { value, id: id as number };
    }
  } catch {
    // fall through
  }
  throw AppError.badRequest("Query parameter 'cursor' is not a cursor this service issued.", [
    { field: 'query.cursor', message: 'expected a cursor returned in page.nextCursor' },
  ]);
}
