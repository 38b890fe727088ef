/**
 * ECR tag mutability with exclusions: which tags of a repository may move to another digest. Pure.
 *
 * ECR's four settings (ImageTagMutability): MUTABLE and IMMUTABLE apply to every tag; IMMUTABLE_WITH_EXCLUSION
 * makes every tag immutable except those matching one of up to 5 wildcard filters, MUTABLE_WITH_EXCLUSION
 * the reverse. A filter is `[0-9a-zA-Z._*-]{1,128}` where `*` matches any run of characters (none included).
 */
import { InputError } from '../../lib/inputs.js';

export const MUTABILITIES = [
  'MUTABLE',
  'IMMUTABLE',
  'IMMUTABLE_WITH_EXCLUSION',
  'MUTABLE_WITH_EXCLUSION',
] as const;
export type Mutability = (typeof MUTABILITIES)[number];

/** ECR's limits on imageTagMutabilityExclusionFilters (API reference, ImageTagMutabilityExclusionFilter). */
export const MAX_EXCLUSION_FILTERS = 5;
export const EXCLUSION_FILTER = /^[0-9a-zA-Z._*-]{1,128}$/;

export interface TagMutability {
  mutability: string;
  /** Wildcard filter values (ECR's only filter type is WILDCARD). */
  exclusions: string[];
}

export function takesExclusions(mutability: string): boolean {
  return mutability === 'IMMUTABLE_WITH_EXCLUSION' || mutability === 'MUTABLE_WITH_EXCLUSION';
}

/** The `mutability-exclusions` input checked as ECR checks CreateRepository's filters. */
export function checkExclusions(mutability: Mutability, filters: string[]): string[] {
  const input = 'mutability-exclusions';
  for (const filter of filters) {
    if (!EXCLUSION_FILTER.test(filter)) {
      throw new InputError(
        input,
        `expected wildcard filters of 1 to 128 characters, each a letter, digit, '.', '_', '-' or '*' ` +
          `(as ECR accepts them), got '${filter}'.`,
      );
    }
  }
  if (filters.length > MAX_EXCLUSION_FILTERS) {
    throw new InputError(
      input,
      `ECR takes at most ${MAX_EXCLUSION_FILTERS} exclusion filters, got ${filters.length}: ${filters.join(', ')}.`,
    );
  }
  if (filters.length > 0 && !takesExclusions(mutability)) {
    throw new InputError(
      input,
      `exclusion filters apply only with image-tag-mutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, ` +
        `but it is ${mutability}; remove the filters or choose one of those.`,
    );
  }
  if (filters.length === 0 && takesExclusions(mutability)) {
    throw new InputError(
      input,
      `image-tag-mutability ${mutability} needs 1 to ${MAX_EXCLUSION_FILTERS} exclusion filters ` +
        `(e.g. main for a tag that moves with every release), got none.`,
    );
  }
  return [...new Set(filters)];
}

/** Whether a wildcard filter matches the whole tag. Tags are case-sensitive. */
export function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(tag);
}

export interface TagDecision {
  mayMove: boolean;
  /** The exclusion filter that decided it, if one did. */
  filter?: string;
}

/** May `tag`, already in the repository, be moved to another digest? */
export function tagMayMove(setting: TagMutability, tag: string): TagDecision {
  const filter = setting.exclusions.find((f) => wildcardMatches(f, tag));
  switch (setting.mutability) {
    case 'IMMUTABLE':
      return { mayMove: false };
    case 'IMMUTABLE_WITH_EXCLUSION':
      return filter ? { mayMove: true, filter } : { mayMove: false };
    case 'MUTABLE_WITH_EXCLUSION':
      return filter ? { mayMove: false, filter } : { mayMove: true };
    default:
      return { mayMove: true };
  }
}

/** "IMMUTABLE_WITH_EXCLUSION (exclusion filters: main, pr-*)" or "IMMUTABLE (no exclusion filters)". */
export function describeMutability(setting: TagMutability): string {
  return setting.exclusions.length > 0
    ? `${setting.mutability} (exclusion filters: ${setting.exclusions.join(', ')})`
    : `${setting.mutability} (no exclusion filters)`;
}

function putCommand(repository: string, mutability: string, filters: string[]): string {
  const exclusions = filters.length
    ? ` --image-tag-mutability-exclusion-filters ${filters.map((f) => `filterType=WILDCARD,filter=${f}`).join(' ')}`
    : '';
  return `aws ecr put-image-tag-mutability --repository-name ${repository} --image-tag-mutability ${mutability}${exclusions}`;
}

/** Why an existing tag may not move, and how to let it (or to avoid moving it). */
export function refusalReason(repository: string, setting: TagMutability, tag: string): string {
  const decision = tagMayMove(setting, tag);
  const newTag = 'or push under a new tag';
  switch (setting.mutability) {
    case 'IMMUTABLE':
      return (
        `The repository's tag mutability is IMMUTABLE (no exclusion filters), so '${tag}' cannot move. ` +
        `To let it move while other tags stay immutable, make '${tag}' an exclusion: ` +
        `${putCommand(repository, 'IMMUTABLE_WITH_EXCLUSION', [tag])} (ecr-push's image-tag-mutability ` +
        `IMMUTABLE_WITH_EXCLUSION with mutability-exclusions: ${tag} for a new repository), ${newTag}.`
      );
    case 'IMMUTABLE_WITH_EXCLUSION': {
      const full = setting.exclusions.length >= MAX_EXCLUSION_FILTERS;
      return (
        `The repository's tag mutability is ${describeMutability(setting)} and no filter matches '${tag}', ` +
        `so it cannot move. To let it move, ` +
        (full
          ? `replace one of the ${MAX_EXCLUSION_FILTERS} filters (ECR's limit) by one that matches it`
          : `add a filter that matches it: ${putCommand(repository, setting.mutability, [...setting.exclusions, tag])}`) +
        `, ${newTag}.`
      );
    }
    default: {
      const rest = setting.exclusions.filter((f) => f !== decision.filter);
      return (
        `The repository's tag mutability is ${describeMutability(setting)} and the filter '${decision.filter}' ` +
        `keeps '${tag}' immutable. To let it move, remove that filter: ` +
        `${putCommand(repository, rest.length ? setting.mutability : 'MUTABLE', rest)}, ${newTag}.`
      );
    }
  }
}
