import { describe, expect, test } from '@jest/globals';
import {
  describeMutability,
  refusalReason,
  tagMayMove,
  wildcardMatches,
  type TagMutability,
} from '../src/mutability.js';

describe('wildcard filters', () => {
  test.each([
    ['main', 'main', true],
    ['main', 'main2', false],
    ['main', 'Main', false],
    ['sha-*', 'sha-1a2b3c4', true],
    ['sha-*', 'sha-', true],
    ['sha-*', 'xsha-1', false],
    ['*-rc', 'v1.2.0-rc', true],
    ['v1.*.0', 'v1.20.0', true],
    ['v1.*.0', 'v1x2x0', false],
    ['release-*-*', 'release-2026-11', true],
    ['*', 'anything.at_all-1', true],
  ])("when the filter is '%s' and the tag '%s', then it matches: %s", (filter, tag, matches) => {
    expect(wildcardMatches(filter, tag)).toBe(matches);
  });
});

describe('which existing tags may move', () => {
  const recommended: TagMutability = { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusions: ['main'] };

  test('when the repository is IMMUTABLE_WITH_EXCLUSION with main excluded, then main moves and sha-* does not', () => {
    expect(tagMayMove(recommended, 'main')).toEqual({ mayMove: true, filter: 'main' });
    expect(tagMayMove(recommended, 'sha-1a2b3c4')).toEqual({ mayMove: false });
  });

  test('when the repository is MUTABLE_WITH_EXCLUSION with sha-* excluded, then sha-* stays and main moves', () => {
    const setting = { mutability: 'MUTABLE_WITH_EXCLUSION', exclusions: ['sha-*', 'v*'] };
    expect(tagMayMove(setting, 'sha-1a2b3c4')).toEqual({ mayMove: false, filter: 'sha-*' });
    expect(tagMayMove(setting, 'v1.2.3')).toEqual({ mayMove: false, filter: 'v*' });
    expect(tagMayMove(setting, 'main')).toEqual({ mayMove: true });
  });

  test('when the repository is plainly IMMUTABLE or MUTABLE, then no tag moves or every tag does', () => {
    expect(tagMayMove({ mutability: 'IMMUTABLE', exclusions: [] }, 'main').mayMove).toBe(false);
    expect(tagMayMove({ mutability: 'MUTABLE', exclusions: [] }, 'main').mayMove).toBe(true);
  });
});

describe('the reason a tag may not move names the mutability, the filters and the fix', () => {
  test('when the repository is IMMUTABLE, then the fix is an exclusion for the tag', () => {
    expect(refusalReason('team/app', { mutability: 'IMMUTABLE', exclusions: [] }, 'main')).toBe(
      "The repository's tag mutability is IMMUTABLE (no exclusion filters), so 'main' cannot move. " +
        "To let it move while other tags stay immutable, make 'main' an exclusion: aws ecr put-image-tag-mutability " +
        '--repository-name team/app --image-tag-mutability IMMUTABLE_WITH_EXCLUSION ' +
        '--image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=main ' +
        "(ecr-push's image-tag-mutability IMMUTABLE_WITH_EXCLUSION with mutability-exclusions: main for a new " +
        'repository), or push under a new tag.',
    );
  });

  test('when no exclusion filter matches, then the fix adds one and keeps the others', () => {
    const reason = refusalReason(
      'team/app',
      { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusions: ['latest', 'pr-*'] },
      'main',
    );
    expect(reason).toContain(
      "IMMUTABLE_WITH_EXCLUSION (exclusion filters: latest, pr-*) and no filter matches 'main', so it cannot move.",
    );
    expect(reason).toContain(
      '--image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=latest filterType=WILDCARD,filter=pr-* filterType=WILDCARD,filter=main',
    );
  });

  test("when the repository already has ECR's 5 filters, then the fix says to replace one", () => {
    const reason = refusalReason(
      'team/app',
      { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusions: ['a', 'b', 'c', 'd', 'e'] },
      'main',
    );
    expect(reason).toContain("replace one of the 5 filters (ECR's limit) by one that matches it");
  });

  test('when a MUTABLE_WITH_EXCLUSION filter keeps the tag, then the fix removes that filter', () => {
    expect(
      refusalReason(
        'team/app',
        { mutability: 'MUTABLE_WITH_EXCLUSION', exclusions: ['m*', 'sha-*'] },
        'main',
      ),
    ).toContain(
      "MUTABLE_WITH_EXCLUSION (exclusion filters: m*, sha-*) and the filter 'm*' keeps 'main' immutable. " +
        'To let it move, remove that filter: aws ecr put-image-tag-mutability --repository-name team/app ' +
        '--image-tag-mutability MUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=sha-*',
    );
    expect(
      refusalReason('team/app', { mutability: 'MUTABLE_WITH_EXCLUSION', exclusions: ['main'] }, 'main'),
    ).toContain('--image-tag-mutability MUTABLE, or push under a new tag.');
  });

  test('when there are no filters, then the description says so', () => {
    expect(describeMutability({ mutability: 'MUTABLE', exclusions: [] })).toBe(
      'MUTABLE (no exclusion filters)',
    );
  });
});
