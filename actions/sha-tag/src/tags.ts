/**
 * Tag computation with docker/metadata-action's semantics: rules in priority order, the first value is
 * the version, later distinct values follow, and `latest` is decided by the first rule that yields a
 * value (flavor latest=auto: true for a non-pre-release semver tag and for type=ref,event=tag). On top:
 * the sha tag is always present (it is the immutable one to deploy), values follow the OCI tag grammar.
 */
import { InputError } from '../../lib/inputs.js';
import { branchOf, isDefaultBranch, tagOf, type GitContext } from './context.js';
import { formatDate } from './date-format.js';
import type { Flavor, Rule } from './rules.js';
import { parseSemver, type SemVer } from './semver.js';
import { render, type Part, type Template } from './template.js';

export interface TagOptions {
  images: string[];
  shaLength: number;
  now: Date;
}

export interface TagResult {
  /** The highest-priority tag; '' when no rule produced one (never: the sha tag is always there). */
  version: string;
  /** Tag names in order: version, the others, then `latest` when it applies. */
  tagNames: string[];
  /** image:tag for every image and tag name. */
  tags: string[];
  shortSha: string;
  immutableTag: string;
  isDefaultBranch: boolean;
  isPrerelease: boolean;
  isLatest: boolean;
  /** Lines worth a warning: values dropped because nothing of them was a valid tag, invalid semver tags. */
  warnings: string[];
}

const OCI_TAG_MAX = 128;

/** Maps a value onto `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`: invalid runs become '-', as docker/metadata-action does. */
export function sanitizeTag(value: string): string {
  return value
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, OCI_TAG_MAX);
}

export const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function shortSha(sha: string, length: number): string {
  return length >= sha.length ? sha : sha.slice(0, length);
}

type Expr = Part & { kind: 'expr' };

export function computeTags(rules: Rule[], flavor: Flavor, ctx: GitContext, options: TagOptions): TagResult {
  const short = shortSha(ctx.sha, options.shaLength);
  const defaultBranch = isDefaultBranch(ctx);
  const warnings: string[] = [];

  const date = (part: Expr, rule: string): string => {
    try {
      return formatDate(options.now, part.args[0] ?? '', part.hash.tz ?? 'UTC');
    } catch (err) {
      throw new InputError('tags', `rule '${rule}': ${(err as Error).message}.`);
    }
  };
  const globals = (rule: string): Record<string, (part: Expr) => string> => ({
    branch: () => branchOf(ctx.ref),
    tag: () => tagOf(ctx.ref),
    sha: () => short,
    base_ref: () => {
      if (tagOf(ctx.ref) && ctx.payload.base_ref) return ctx.payload.base_ref.replace(/^refs\/heads\//, '');
      if (ctx.ref.startsWith('refs/pull/')) return ctx.payload.pull_request?.base?.ref ?? '';
      return '';
    },
    is_default_branch: () => String(defaultBranch),
    is_not_default_branch: () => String(!defaultBranch),
    date: (part) => date(part, rule),
  });
  const expand = (t: Template, rule: string) => render(t, globals(rule));
  const withAffixes = (value: string, rule: Rule): string => {
    const prefix = rule.prefix ? expand(rule.prefix, rule.source) : expand(flavor.prefix, rule.source);
    const suffix = rule.suffix ? expand(rule.suffix, rule.source) : expand(flavor.suffix, rule.source);
    return `${prefix}${value}${suffix}`;
  };

  let main: string | undefined;
  const partial: string[] = [];
  let latest: boolean | undefined;
  let isPrerelease = false;
  let immutableTag: string | undefined;

  const add = (rule: Rule, raw: string, autoLatest: boolean): string | undefined => {
    if (raw.length === 0) return undefined;
    const value = sanitizeTag(raw);
    if (!OCI_TAG.test(value)) {
      warnings.push(`rule '${rule.source}': '${raw}' has no character valid in a tag; no tag from it.`);
      return undefined;
    }
    if (main === undefined) main = value;
    else if (value !== main && !partial.includes(value)) partial.push(value);
    latest ??= flavor.latest === 'auto' ? autoLatest : flavor.latest === 'true';
    return value;
  };

  for (const rule of rules) {
    const enabled = expand(rule.enable, rule.source);
    if (enabled !== 'true' && enabled !== 'false') {
      throw new InputError('tags', `rule '${rule.source}' has enable='${enabled}'; expected true or false.`);
    }
    if (enabled === 'false') continue;
    switch (rule.type) {
      case 'sha': {
        const value = add(rule, withAffixes(rule.format === 'long' ? ctx.sha : short, rule), false);
        immutableTag ??= value;
        break;
      }
      case 'ref': {
        if (rule.event === 'branch' && branchOf(ctx.ref))
          add(rule, withAffixes(branchOf(ctx.ref), rule), false);
        if (rule.event === 'tag' && tagOf(ctx.ref)) add(rule, withAffixes(tagOf(ctx.ref), rule), true);
        if (rule.event === 'pr' && ctx.ref.startsWith('refs/pull/')) {
          add(rule, withAffixes(ctx.ref.slice(10).replace(/\/merge$/, ''), rule), false);
        }
        break;
      }
      case 'semver': {
        const raw = rule.value ? expand(rule.value, rule.source) : tagOf(ctx.ref).replace(/\//g, '-');
        if (!raw) break;
        const version = parseSemver(raw);
        if (!version) {
          warnings.push(
            `rule '${rule.source}': '${raw}' is not a valid semver version (https://semver.org); no tag from it.`,
          );
          break;
        }
        const fields = semverFields(version);
        const pre = version.prerelease.length > 0;
        // A pre-release gets only its full version: 1.2.3-rc.1 must not move the 1.2 or 1 tags.
        const pattern = pre && !isRawOnly(rule.pattern) ? '{{version}}' : undefined;
        const value = pattern === undefined ? render(rule.pattern, fields) : version.version;
        if (add(rule, withAffixes(value, rule), !pre) !== undefined && pre) isPrerelease = true;
        break;
      }
      case 'raw':
        add(rule, withAffixes(expand(rule.value, rule.source), rule), false);
        break;
      case 'schedule':
        if (ctx.eventName === 'schedule')
          add(rule, withAffixes(expand(rule.pattern, rule.source), rule), false);
        break;
      case 'edge': {
        const branch = branchOf(ctx.ref);
        const target = rule.branch || ctx.payload.repository?.default_branch;
        if (branch && branch === target) add(rule, withAffixes('edge', rule), false);
        break;
      }
    }
  }

  // The sha tag is always there: it is the one tag that never moves to another commit.
  if (immutableTag === undefined) {
    immutableTag = sanitizeTag(`sha-${short}`);
    if (main === undefined) main = immutableTag;
    else if (immutableTag !== main && !partial.includes(immutableTag)) partial.push(immutableTag);
  }

  const refVersion = parseSemver(tagOf(ctx.ref));
  if (refVersion && refVersion.prerelease.length > 0) isPrerelease = true;
  const isLatest = latest === true;
  const tagNames = [main!, ...partial];
  if (isLatest) {
    const latestName = sanitizeTag(
      `${flavor.prefixLatest ? expand(flavor.prefix, 'flavor') : ''}latest${flavor.suffixLatest ? expand(flavor.suffix, 'flavor') : ''}`,
    );
    if (!tagNames.includes(latestName)) tagNames.push(latestName);
  }
  const tags = options.images.flatMap((image) => tagNames.map((name) => `${image}:${name}`));
  return {
    version: main!,
    tagNames,
    tags,
    shortSha: short,
    immutableTag,
    isDefaultBranch: defaultBranch,
    isPrerelease,
    isLatest,
    warnings,
  };
}

function semverFields(v: SemVer): Record<string, () => string> {
  return {
    version: () => v.version,
    major: () => String(v.major),
    minor: () => String(v.minor),
    patch: () => String(v.patch),
    raw: () => v.raw,
  };
}

/** A pattern that is exactly `{{raw}}` keeps the raw tag even for a pre-release (docker/metadata-action). */
function isRawOnly(t: Template): boolean {
  return t.parts.length === 1 && t.parts[0]!.kind === 'expr' && t.parts[0]!.name === 'raw';
}
