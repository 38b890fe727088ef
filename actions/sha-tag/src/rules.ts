/**
 * The `tags` and `flavor` inputs in docker/metadata-action's syntax: one rule per line, comma-separated
 * `key=value` attributes (CSV, so a value with a comma is written in double quotes). Parsing is strict:
 * an unknown type or attribute, a bad `event`/`format`/`priority`, or a malformed `{{ }}` expression
 * fails with the rule quoted and the accepted values listed.
 */
import { InputError } from '../../lib/inputs.js';
import { checkFormat } from './date-format.js';
import { compile, dateArgs, noArgs, TemplateError, type Part, type Template } from './template.js';

export const RULE_TYPES = ['sha', 'ref', 'semver', 'raw', 'schedule', 'edge'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
export const REF_EVENTS = ['branch', 'tag', 'pr'] as const;
export type RefEvent = (typeof REF_EVENTS)[number];
export const SHA_FORMATS = ['short', 'long'] as const;

/** docker/metadata-action's default priorities: higher first; the first tag is the version. */
export const DEFAULT_PRIORITY: Record<RuleType, number> = {
  schedule: 1000,
  semver: 900,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const ATTRIBUTES: Record<RuleType, string[]> = {
  sha: [...COMMON, 'format'],
  ref: [...COMMON, 'event'],
  semver: [...COMMON, 'pattern', 'value'],
  raw: [...COMMON, 'value'],
  schedule: [...COMMON, 'pattern'],
  edge: [...COMMON, 'branch'],
};

/** Rules used when the `tags` input is empty. */
export const DEFAULT_RULES = [
  'type=sha',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
];

/** `{{date 'FORMAT' tz='Zone'}}`: its format is checked when the rule is read, on every event. */
function dateExpression(part: Part & { kind: 'expr' }): void {
  dateArgs(part);
  try {
    checkFormat(part.args[0]!);
  } catch (err) {
    throw new TemplateError((err as Error).message);
  }
}

/** Expressions allowed in value, prefix, suffix and enable (docker/metadata-action's global expressions). */
export const GLOBAL_EXPRESSIONS = {
  branch: noArgs,
  tag: noArgs,
  sha: noArgs,
  base_ref: noArgs,
  is_default_branch: noArgs,
  is_not_default_branch: noArgs,
  date: dateExpression,
};
export const SEMVER_EXPRESSIONS = {
  version: noArgs,
  major: noArgs,
  minor: noArgs,
  patch: noArgs,
  raw: noArgs,
};

interface BaseRule {
  /** The rule as written, for messages. */
  source: string;
  enable: Template;
  priority: number;
  /** undefined: not set on the rule, so the flavor's prefix/suffix applies. */
  prefix?: Template;
  suffix?: Template;
}

export type Rule = BaseRule &
  (
    | { type: 'sha'; format: 'short' | 'long' }
    | { type: 'ref'; event: RefEvent }
    | { type: 'semver'; pattern: Template; value?: Template }
    | { type: 'raw'; value: Template }
    | { type: 'schedule'; pattern: Template }
    | { type: 'edge'; branch: string }
  );

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: Template;
  suffix: Template;
  prefixLatest: boolean;
  suffixLatest: boolean;
}

/** Splits one CSV record: commas separate fields, double quotes protect commas, `""` is a quote. */
export function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('a double quote is not closed');
  fields.push(field);
  return fields.map((f) => f.trim()).filter((f) => f !== '');
}

function fail(input: string, source: string, message: string): never {
  throw new InputError(input, `rule '${source}' ${message}`);
}

function template(input: string, source: string, attr: string, text: string, accepted: object): Template {
  try {
    return compile(text, accepted as Parameters<typeof compile>[1]);
  } catch (err) {
    if (err instanceof TemplateError) fail(input, source, `has a bad ${attr}: ${err.message}.`);
    throw err;
  }
}

/** Parses one line of the `tags` input. */
export function parseRule(line: string, input = 'tags'): Rule {
  const source = line.trim();
  let fields: string[];
  try {
    fields = splitCsv(source);
  } catch (err) {
    fail(input, source, `is not valid CSV: ${(err as Error).message}.`);
  }
  const attrs = new Map<string, string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    // A field without '=' is the value, as in docker/metadata-action (`type=raw,latest` or just `latest`).
    const key = eq < 0 ? 'value' : field.slice(0, eq).trim().toLowerCase();
    const value = eq < 0 ? field : field.slice(eq + 1).trim();
    if (attrs.has(key)) fail(input, source, `sets '${key}' twice.`);
    attrs.set(key, value);
  }
  const type = (attrs.get('type') ?? 'raw') as RuleType;
  if (!RULE_TYPES.includes(type)) {
    const hint = ['pep440', 'match'].includes(type) ? ` (type=${type} is not supported by sha-tag)` : '';
    fail(input, source, `has unknown type '${type}'${hint}; accepted types: ${RULE_TYPES.join(', ')}.`);
  }
  for (const key of attrs.keys()) {
    if (!ATTRIBUTES[type].includes(key)) {
      fail(
        input,
        source,
        `has unknown attribute '${key}' for type=${type}; accepted: ${ATTRIBUTES[type].join(', ')}.`,
      );
    }
  }

  const priorityText = attrs.get('priority');
  if (priorityText !== undefined && !/^-?\d+$/.test(priorityText)) {
    fail(
      input,
      source,
      `has priority '${priorityText}'; expected a whole number (defaults: ${defaultsText()}).`,
    );
  }
  const base: BaseRule = {
    source,
    enable: template(input, source, 'enable', attrs.get('enable') ?? 'true', GLOBAL_EXPRESSIONS),
    priority: priorityText !== undefined ? Number(priorityText) : DEFAULT_PRIORITY[type],
  };
  const prefix = attrs.get('prefix');
  const suffix = attrs.get('suffix');
  if (prefix !== undefined) base.prefix = template(input, source, 'prefix', prefix, GLOBAL_EXPRESSIONS);
  if (suffix !== undefined) base.suffix = template(input, source, 'suffix', suffix, GLOBAL_EXPRESSIONS);

  switch (type) {
    case 'sha': {
      const format = attrs.get('format') ?? 'short';
      if (format !== 'short' && format !== 'long') {
        fail(input, source, `has format '${format}'; accepted: ${SHA_FORMATS.join(', ')}.`);
      }
      base.prefix ??= template(input, source, 'prefix', 'sha-', GLOBAL_EXPRESSIONS);
      return { ...base, type, format };
    }
    case 'ref': {
      const event = attrs.get('event');
      if (event === undefined)
        fail(input, source, `needs an event; accepted: event=${REF_EVENTS.join(', event=')}.`);
      if (!REF_EVENTS.includes(event as RefEvent)) {
        fail(input, source, `has event '${event}'; accepted: ${REF_EVENTS.join(', ')}.`);
      }
      if (event === 'pr') base.prefix ??= template(input, source, 'prefix', 'pr-', GLOBAL_EXPRESSIONS);
      return { ...base, type, event: event as RefEvent };
    }
    case 'semver': {
      const pattern = attrs.get('pattern');
      if (!pattern) {
        fail(
          input,
          source,
          `needs a pattern such as pattern={{version}}, pattern={{major}}.{{minor}} or pattern={{major}}.`,
        );
      }
      const compiled = template(input, source, 'pattern', pattern, SEMVER_EXPRESSIONS);
      if (!compiled.parts.some((p) => p.kind === 'expr')) {
        fail(
          input,
          source,
          `has pattern '${pattern}' without any of {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}.`,
        );
      }
      const value = attrs.get('value');
      return {
        ...base,
        type,
        pattern: compiled,
        ...(value ? { value: template(input, source, 'value', value, GLOBAL_EXPRESSIONS) } : {}),
      };
    }
    case 'raw': {
      const value = attrs.get('value');
      if (value === undefined) fail(input, source, `needs a value, e.g. type=raw,value=latest.`);
      return { ...base, type, value: template(input, source, 'value', value, GLOBAL_EXPRESSIONS) };
    }
    case 'schedule': {
      const pattern = attrs.get('pattern') ?? 'nightly';
      return { ...base, type, pattern: template(input, source, 'pattern', pattern, GLOBAL_EXPRESSIONS) };
    }
    case 'edge':
      return { ...base, type, branch: attrs.get('branch') ?? '' };
  }
}

function defaultsText(): string {
  return Object.entries(DEFAULT_PRIORITY)
    .map(([type, priority]) => `${type} ${priority}`)
    .join(', ');
}

/** Parses the `tags` input lines (the defaults when there are none), sorted by priority, highest first. */
export function parseRules(lines: string[]): Rule[] {
  const rules = (lines.length > 0 ? lines : DEFAULT_RULES).map((line) => parseRule(line));
  return rules.sort((a, b) => b.priority - a.priority);
}

const FLAVOR_KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];

/** Parses the `flavor` input: `latest=auto|true|false`, `prefix=...[,onlatest=true]`, `suffix=...[,onlatest=true]`. */
export function parseFlavor(lines: string[]): Flavor {
  let latest: Flavor['latest'] = 'auto';
  let prefix = '';
  let suffix = '';
  let prefixLatest = false;
  let suffixLatest = false;
  for (const line of lines) {
    let fields: string[];
    try {
      fields = splitCsv(line);
    } catch (err) {
      throw new InputError('flavor', `entry '${line}' is not valid CSV: ${(err as Error).message}.`);
    }
    let onLatestFor: 'prefix' | 'suffix' | undefined;
    for (const field of fields) {
      const eq = field.indexOf('=');
      if (eq < 0) {
        throw new InputError(
          'flavor',
          `entry '${field}' is not key=value; accepted keys: ${FLAVOR_KEYS.join(', ')}.`,
        );
      }
      const key = field.slice(0, eq).trim().toLowerCase();
      const value = field.slice(eq + 1).trim();
      switch (key) {
        case 'latest':
          if (value !== 'auto' && value !== 'true' && value !== 'false') {
            throw new InputError('flavor', `latest='${value}'; accepted: auto, true, false.`);
          }
          latest = value;
          break;
        case 'prefix':
          prefix = value;
          onLatestFor = 'prefix';
          break;
        case 'suffix':
          suffix = value;
          onLatestFor = 'suffix';
          break;
        case 'onlatest':
          if (value !== 'true' && value !== 'false') {
            throw new InputError('flavor', `onlatest='${value}'; accepted: true, false.`);
          }
          if (onLatestFor === undefined) {
            throw new InputError(
              'flavor',
              `onlatest must follow prefix= or suffix= on the same line ('${line}').`,
            );
          }
          if (onLatestFor === 'prefix') prefixLatest = value === 'true';
          else suffixLatest = value === 'true';
          break;
        default:
          throw new InputError(
            'flavor',
            `unknown key '${key}' in '${line}'; accepted keys: ${FLAVOR_KEYS.join(', ')}.`,
          );
      }
    }
  }
  const compileFlavor = (attr: string, text: string): Template => {
    try {
      return compile(text, GLOBAL_EXPRESSIONS);
    } catch (err) {
      throw new InputError('flavor', `${attr}='${text}': ${(err as Error).message}.`);
    }
  };
  return {
    latest,
    prefix: compileFlavor('prefix', prefix),
    suffix: compileFlavor('suffix', suffix),
    prefixLatest,
    suffixLatest,
  };
}
