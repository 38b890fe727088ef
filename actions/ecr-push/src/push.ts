/**
 * Decides, per tag, push / skip / conflict, and drives the pusher so blobs go up once: the first tag
 * carries the blobs, every further tag finds them in the repository and adds only its manifest.
 */
import { refusalReason, tagMayMove, type TagMutability } from './mutability.js';
import type { Pusher } from './pushers.js';

export interface PushResult {
  digest: string;
  pushed: string[];
  skipped: string[];
}

export interface PushRequest {
  pusher: Pusher;
  repository: string;
  tags: string[];
  /** tag -> digest already in the repository (from BatchGetImage). */
  existing: Map<string, string>;
  /** The repository's tag mutability and exclusion filters: which existing tags may move. */
  mutability: TagMutability;
  log: (line: string) => void;
}

export class TagConflictError extends Error {
  constructor(
    readonly repository: string,
    readonly conflicts: { tag: string; existing: string }[],
    readonly digest: string,
    mutability: TagMutability,
  ) {
    super(
      conflicts
        .map(
          (c) =>
            `Tag '${c.tag}' already exists in repository '${repository}' as ${c.existing}, ` +
            `but this image is ${digest}. ${refusalReason(repository, mutability, c.tag)}`,
        )
        .join(' '),
    );
    this.name = 'TagConflictError';
  }
}

/** Tags that exist with another digest. */
function conflictsFor(request: PushRequest, digest: string) {
  return request.tags
    .filter((tag) => request.existing.has(tag) && request.existing.get(tag) !== digest)
    .map((tag) => ({ tag, existing: request.existing.get(tag)! }));
}

export async function pushTags(request: PushRequest): Promise<PushResult> {
  const { pusher, tags, existing, log } = request;
  const pushed: string[] = [];
  let digest = await pusher.prepare();
  if (digest) log(`Image digest (before pushing): ${digest}`);

  const pushOne = async (tag: string) => {
    const got = await pusher.push(tag);
    if (digest && got !== digest) {
      throw new Error(
        `${pusher.name} pushed tag '${tag}' as ${got}, but the image is ${digest}; tags would disagree.`,
      );
    }
    digest = got;
    pushed.push(tag);
  };

  if (!digest) {
    // The pusher learns the digest only by pushing: push one tag that does not exist yet (or, if all
    // exist, the first one, which the registry itself refuses to move when it is immutable).
    const first = tags.find((tag) => !existing.has(tag)) ?? tags[0]!;
    log(`${pusher.name} reports the digest only when pushing; pushing '${first}' first.`);
    await pushOne(first);
    if (existing.get(first) === digest) pushed.pop();
  }
  const known = digest!;
  const refused = conflictsFor(request, known).filter(
    (c) => !pushed.includes(c.tag) && !tagMayMove(request.mutability, c.tag).mayMove,
  );
  if (refused.length > 0) throw new TagConflictError(request.repository, refused, known, request.mutability);

  const skipped = tags.filter((tag) => existing.get(tag) === known);
  for (const tag of skipped) log(`Tag '${tag}' already holds ${known}: skipped.`);
  for (const tag of tags) {
    if (skipped.includes(tag) || pushed.includes(tag)) continue;
    if (existing.has(tag)) {
      const { filter } = tagMayMove(request.mutability, tag);
      const why = filter
        ? `exclusion filter '${filter}' of ${request.mutability.mutability}`
        : `${request.mutability.mutability} repository`;
      log(`Tag '${tag}' moves from ${existing.get(tag)} to ${known} (${why}).`);
    }
    await pushOne(tag);
  }
  return { digest: known, pushed, skipped };
}
