import { describe, expect, test } from '@jest/globals';
import { pushTags, TagConflictError } from '../src/push.js';
import type { Pusher } from '../src/pushers.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

/** A pusher that records what it was asked to push; `known` is its digest before pushing (if any). */
function fakePusher(known: string | undefined, pushedAs = A) {
  const pushes: string[] = [];
  const pusher: Pusher = {
    name: known ? 'skopeo' : 'docker',
    prepare: async () => known,
    push: async (tag) => {
      pushes.push(tag);
      return pushedAs;
    },
  };
  return { pusher, pushes };
}

const base = { repository: 'team/app', log: () => undefined };
const IMMUTABLE = { mutability: 'IMMUTABLE', exclusions: [] };
const MUTABLE = { mutability: 'MUTABLE', exclusions: [] };

describe('with the digest known before pushing', () => {
  test('when no tag exists, then every tag is pushed', async () => {
    const { pusher, pushes } = fakePusher(A);
    const result = await pushTags({
      ...base,
      pusher,
      tags: ['v1', 'main'],
      existing: new Map(),
      mutability: IMMUTABLE,
    });
    expect(result).toEqual({ digest: A, pushed: ['v1', 'main'], skipped: [] });
    expect(pushes).toEqual(['v1', 'main']);
  });

  test('when a tag already holds this digest, then it is skipped and not pushed', async () => {
    const { pusher, pushes } = fakePusher(A);
    const result = await pushTags({
      ...base,
      pusher,
      tags: ['v1', 'r1'],
      existing: new Map([['v1', A]]),
      mutability: IMMUTABLE,
    });
    expect(result).toEqual({ digest: A, pushed: ['r1'], skipped: ['v1'] });
    expect(pushes).toEqual(['r1']);
  });

  test('when an immutable tag holds another digest, then nothing is pushed and the failure names the tag and both digests', async () => {
    const { pusher, pushes } = fakePusher(A);
    const request = {
      ...base,
      pusher,
      tags: ['new', 'main'],
      existing: new Map([['main', B]]),
      mutability: IMMUTABLE,
    };
    await expect(pushTags(request)).rejects.toThrow(
      `Tag 'main' already exists in repository 'team/app' as ${B}, but this image is ${A}. ` +
        "The repository's tag mutability is IMMUTABLE (no exclusion filters), so 'main' cannot move.",
    );
    await expect(pushTags(request)).rejects.toBeInstanceOf(TagConflictError);
    expect(pushes).toEqual([]);
  });

  test('when a mutable tag holds another digest, then it is moved', async () => {
    const { pusher, pushes } = fakePusher(A);
    const lines: string[] = [];
    const result = await pushTags({
      ...base,
      log: (line) => lines.push(line),
      pusher,
      tags: ['main'],
      existing: new Map([['main', B]]),
      mutability: MUTABLE,
    });
    expect(result.pushed).toEqual(['main']);
    expect(pushes).toEqual(['main']);
    expect(lines).toContain(`Tag 'main' moves from ${B} to ${A} (MUTABLE repository).`);
  });

  test('when the registry reports another digest than the staged one, then the step fails', async () => {
    const { pusher } = fakePusher(A, B);
    await expect(
      pushTags({ ...base, pusher, tags: ['v1'], existing: new Map(), mutability: IMMUTABLE }),
    ).rejects.toThrow(`skopeo pushed tag 'v1' as ${B}, but the image is ${A}`);
  });
});

describe('with the digest known only by pushing (docker)', () => {
  test('when some tags are new, then a new tag is pushed first and the others are compared to its digest', async () => {
    const { pusher, pushes } = fakePusher(undefined, A);
    const result = await pushTags({
      ...base,
      pusher,
      tags: ['v1', 'r1', 'r2'],
      existing: new Map([['v1', A]]),
      mutability: IMMUTABLE,
    });
    expect(pushes).toEqual(['r1', 'r2']);
    expect(result).toEqual({ digest: A, pushed: ['r1', 'r2'], skipped: ['v1'] });
  });

  test('when an immutable tag holds another digest, then the failure names it and both digests', async () => {
    const { pusher, pushes } = fakePusher(undefined, A);
    await expect(
      pushTags({
        ...base,
        pusher,
        tags: ['main', 'new'],
        existing: new Map([['main', B]]),
        mutability: IMMUTABLE,
      }),
    ).rejects.toThrow(`Tag 'main' already exists in repository 'team/app' as ${B}, but this image is ${A}.`);
    expect(pushes).toEqual(['new']);
  });

  test('when every tag exists with this digest, then the one push confirms it and all are skipped', async () => {
    const { pusher, pushes } = fakePusher(undefined, A);
    const result = await pushTags({
      ...base,
      pusher,
      tags: ['v1'],
      existing: new Map([['v1', A]]),
      mutability: IMMUTABLE,
    });
    expect(pushes).toEqual(['v1']);
    expect(result).toEqual({ digest: A, pushed: [], skipped: ['v1'] });
  });
});

describe('with exclusion filters (the recommended setup: IMMUTABLE_WITH_EXCLUSION, main excluded)', () => {
  const recommended = { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusions: ['main'] };

  test('when main holds the previous release and sha-<new> is new, then main moves and sha-<new> is pushed', async () => {
    const { pusher, pushes } = fakePusher(A);
    const lines: string[] = [];
    const result = await pushTags({
      ...base,
      log: (line) => lines.push(line),
      pusher,
      tags: ['sha-2222222', 'main'],
      existing: new Map([['main', B]]),
      mutability: recommended,
    });
    expect(result).toEqual({ digest: A, pushed: ['sha-2222222', 'main'], skipped: [] });
    expect(pushes).toEqual(['sha-2222222', 'main']);
    expect(lines).toContain(
      `Tag 'main' moves from ${B} to ${A} (exclusion filter 'main' of IMMUTABLE_WITH_EXCLUSION).`,
    );
  });

  test('when a sha-* tag would move, then nothing is pushed and the failure names the tag, the setting, its filters and the fix', async () => {
    const { pusher, pushes } = fakePusher(A);
    const request = {
      ...base,
      pusher,
      tags: ['sha-1111111', 'main'],
      existing: new Map([
        ['sha-1111111', B],
        ['main', B],
      ]),
      mutability: recommended,
    };
    await expect(pushTags(request)).rejects.toThrow(
      `Tag 'sha-1111111' already exists in repository 'team/app' as ${B}, but this image is ${A}. ` +
        "The repository's tag mutability is IMMUTABLE_WITH_EXCLUSION (exclusion filters: main) and no filter " +
        "matches 'sha-1111111', so it cannot move. To let it move, add a filter that matches it: " +
        'aws ecr put-image-tag-mutability --repository-name team/app --image-tag-mutability IMMUTABLE_WITH_EXCLUSION ' +
        '--image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=main filterType=WILDCARD,filter=sha-1111111, ' +
        'or push under a new tag.',
    );
    expect(pushes).toEqual([]);
  });

  test('when MUTABLE_WITH_EXCLUSION keeps v* tags, then a moving v1 is refused naming its filter', async () => {
    const { pusher, pushes } = fakePusher(A);
    const error = await pushTags({
      ...base,
      pusher,
      tags: ['main', 'v1'],
      existing: new Map([
        ['main', B],
        ['v1', B],
      ]),
      mutability: { mutability: 'MUTABLE_WITH_EXCLUSION', exclusions: ['v*'] },
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TagConflictError);
    expect((error as TagConflictError).conflicts).toEqual([{ tag: 'v1', existing: B }]);
    expect((error as Error).message).toContain("the filter 'v*' keeps 'v1' immutable");
    expect(pushes).toEqual([]);
  });
});
