import { z } from 'zod';
import { AppError } from '../errors.js';

/** Entity tags of the service's resources: a case changes tag with its version, a user with updatedAt. */
export const caseEtag = (c: { id: number; version: number }) => `"case-${c.id}-v${c.version}"`;
export const userEtag = (u: { id: number; updatedAt: string }) => `"user-${u.id}-${Date.parse(u.updatedAt)}"`;
export const documentEtag = (sha256: string) => `"${sha256}"`;

/** RFC 9110 entity-tag: an optional `W/` and a quoted opaque tag (no `"` inside, no spaces or controls). */
const ENTITY_TAG = /(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g;
/** If-Match / If-None-Match: `*`, or entity tags separated by commas. */
const TAG_LIST = new RegExp(`^(?:\\*|${ENTITY_TAG.source}(?:[ \\t]*,[ \\t]*${ENTITY_TAG.source})*)$`);

/** The schema of an If-Match or If-None-Match header: an unquoted tag is a 400 saying so. */
export const entityTagList = (description: string) =>
  z
    .string()
    .regex(
      TAG_LIST,
      'expected * or a list of quoted entity tags such as "case-1-v2" (the tag must be quoted)',
    )
    .describe(description);

const tagsOf = (header: string) => [...header.matchAll(ENTITY_TAG)].map((m) => m[0]);

/** If-None-Match: weak comparison (RFC 9110 13.1.2), `W/"x"` matches `"x"`. */
export function weakMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return tagsOf(header).some((tag) => tag.replace(/^W\//, '') === etag.replace(/^W\//, ''));
}

/** If-Match: strong comparison (RFC 9110 13.1.1), a weak tag never matches. */
export function strongMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return !etag.startsWith('W/') && tagsOf(header).includes(etag);
}

/**
 * Checks an If-Match header (already checked against `entityTagList` by the route's request schema) against
 * the resource's current entity tag: 428 when it is missing but required, 412 when no tag is the current one
 * by strong comparison (the client read something older, or sent a weak tag).
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
  if (!strongMatch(header, etag))
    throw new AppError(
      412,
      'Precondition Failed',
      header.includes('W/')
        ? `If-Match compares entity tags strongly and a weak tag (W/) never matches; the ${what}'s current ETag is ${etag}.`
        : `The ${what} has changed since you read it; its current ETag is ${etag}.`,
    );
}
