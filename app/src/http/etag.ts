import { AppError } from '../errors.js';

/** Entity tags of the service's resources: a case changes tag with its version, a user with updatedAt. */
export const caseEtag = (c: { id: number; version: number }) => `"case-${c.id}-v${c.version}"`;
export const userEtag = (u: { id: number; updatedAt: string }) => `"user-${u.id}-${Date.parse(u.updatedAt)}"`;
export const documentEtag = (sha256: string) => `"${sha256}"`;

/** Parses If-Match / If-None-Match lists: `*`, or strong/weak entity tags separated by commas. */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .includes(etag);
}

/**
 * Checks an If-Match header against the resource's current entity tag: 428 when it is missing but required,
 * 412 when it names another version (the client read something older).
 */
export function checkIfMatch(
  header: string | undefined,
  etag: string,
  required: boolean,
  what: string,
): void {
  if (header === undefined) {
    if (required)
      throw new AppError(
        428,
        'Precondition Required',
        `Send If-Match: ${etag} (the ${what}'s current ETag) to change it.`,
      );
    return;
  }
  if (!etagMatches(header, etag))
    throw new AppError(
      412,
      'Precondition Failed',
      `The ${what} has changed since you read it; its current ETag is ${etag}.`,
    );
}
