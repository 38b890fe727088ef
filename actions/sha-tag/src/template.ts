/**
 * The `{{ ... }}` expressions of docker/metadata-action's rule syntax (a Handlebars subset): a bare
 * name (`{{branch}}`, `{{version}}`) or a helper with one quoted argument and `key='value'` options
 * (`{{date 'YYYYMMDD' tz='Europe/Paris'}}`). Parsed once, strictly: an unknown name or a malformed
 * expression is an error that lists the accepted names, where Handlebars would print an empty string.
 */

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; name: string; args: string[]; hash: Record<string, string> };

export interface Template {
  source: string;
  parts: Part[];
}

export class TemplateError extends Error {}

// `{{{x}}}` (Handlebars' unescaped form) is the same as `{{x}}` here: tag values are never HTML-escaped.
const EXPRESSION = /\{\{\{?\s*([^{}]*?)\s*\}?\}\}/g;
const TOKEN = /\s*(?:([A-Za-z_][\w]*)\s*=\s*(?:'([^']*)'|"([^"]*)")|'([^']*)'|"([^"]*)"|([A-Za-z_][\w]*))/y;

function parseExpression(body: string, source: string): Part {
  const name = /^[A-Za-z_]\w*/.exec(body)?.[0];
  if (!name) throw new TemplateError(`malformed expression '{{${body}}}' in '${source}'`);
  const args: string[] = [];
  const hash: Record<string, string> = {};
  let rest = body.slice(name.length);
  while (rest.trim() !== '') {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m || !/^\s/.test(rest)) throw new TemplateError(`malformed expression '{{${body}}}' in '${source}'`);
    if (m[1] !== undefined) hash[m[1]] = m[2] ?? m[3] ?? '';
    else if (m[4] !== undefined || m[5] !== undefined) args.push(m[4] ?? m[5] ?? '');
    else
      throw new TemplateError(`malformed expression '{{${body}}}' in '${source}': arguments must be quoted`);
    rest = rest.slice(m[0].length);
  }
  return { kind: 'expr', name, args, hash };
}

/** Parses `source`; every expression name must be in `accepted` (a name to arity-checker map). */
export function compile(
  source: string,
  accepted: Record<string, (part: Part & { kind: 'expr' }) => void>,
): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(EXPRESSION)) {
    if (match.index > last) parts.push({ kind: 'text', text: source.slice(last, match.index) });
    const part = parseExpression(match[1]!, source) as Part & { kind: 'expr' };
    const check = accepted[part.name];
    if (!check) {
      throw new TemplateError(
        `unknown expression '{{${match[1]}}}' in '${source}'; accepted: ${Object.keys(accepted)
          .map((n) => `{{${n}}}`)
          .join(', ')}`,
      );
    }
    check(part);
    parts.push(part);
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  const leftover = parts.find((p) => p.kind === 'text' && /\{\{|\}\}/.test(p.text));
  if (leftover) throw new TemplateError(`unbalanced '{{' or '}}' in '${source}'`);
  return { source, parts };
}

export function render(
  template: Template,
  values: Record<string, (part: Part & { kind: 'expr' }) => string>,
): string {
  return template.parts
    .map((part) => (part.kind === 'text' ? part.text : (values[part.name]?.(part) ?? '')))
    .join('');
}

/** Checkers for `compile`. */
export const noArgs = (part: Part & { kind: 'expr' }): void => {
  if (part.args.length > 0 || Object.keys(part.hash).length > 0) {
    throw new TemplateError(`'{{${part.name}}}' takes no arguments`);
  }
};

export const dateArgs = (part: Part & { kind: 'expr' }): void => {
  if (part.args.length !== 1) {
    throw new TemplateError(`'{{${part.name}}}' needs one quoted format, e.g. {{${part.name} 'YYYYMMDD'}}`);
  }
  const unknown = Object.keys(part.hash).filter((key) => key !== 'tz');
  if (unknown.length > 0) {
    throw new TemplateError(`'{{${part.name}}}' has unknown option '${unknown[0]}'; accepted: tz`);
  }
};
