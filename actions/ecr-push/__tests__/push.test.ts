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

describe('with the digest known before pushing', () => {
  test('when no tag exists, then every tag is pushed', async () => {
    const { pusher, pushes } = fakePusher(A);
    const result = await pushTags({
      ...base,
      pusher,
      tags: ['v1', 'main'],
      existing: new Map(),
      immutable: true,
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
      immutable: true,
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
      immutable: true,
    };
    await expect(pushTags(request)).rejects.toThrow(
      `Tag 'main' already exists in immutable repository 'team/app' as ${B}, but this image is ${A}.`,
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
      immutable: false,
    });
    expect(result.pushed).toEqual(['main']);
    expect(pushes).toEqual(['main']);
    expect(lines).toContain(`Tag 'main' moves from ${B} to ${A} (mutable repository).`);
  });

  test('when the registry reports another digest than the staged one, then the step fails', async () => {
    const { pusher } = fakePusher(A, B);
    await expect(
      pushTags({ ...base, pusher, tags: ['v1'], existing: new Map(), immutable: true }),
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
      immutable: true,
    });
    expect(pushes).toEqual(['r1', 'r2']);
    expect(result).toEqual({ digest: A, pushed: ['r1', 'r2'], skipped: ['v1'] });
  });

  test('when an immutable tag holds another digest, then the failure names it and both digests', async () => {
    const { pusher, pushes } = fakePusher(undefined, A);
    await expect(
      pushTags({ ...base, pusher, tags: ['main', 'new'], existing: new Map([['main', B]]), immutable: true }),
    ).rejects.toThrow(
      `Tag 'main' already exists in immutable repository 'team/app' as ${B}, but this image is ${A}.`,
    );
    expect(pushes).toEqual(['new']);
  });

  test('when every tag exists with this digest, then the one push confirms it and all are skipped', async () => {
    const { pusher, pushes } = fakePusher(undefined, A);
    const result = await pushTags({
      ...base,
      pusher,
      tags: ['v1'],
      existing: new Map([['v1', A]]),
      immutable: true,
    });
    expect(pushes).toEqual(['v1']);
    expect(result).toEqual({ digest: A, pushed: [], skipped: ['v1'] });
  });
});
