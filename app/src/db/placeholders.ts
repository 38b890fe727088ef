import { BoundedMap } from '../bounded-map.js';

export interface Positional {
  /** The SQL with `$1`, `$2` ... in place of the `:name` placeholders. */
  text: string;
  /** The parameter name of each position. */
  names: string[];
}

/** Quoted and dollar-quoted text, `::` casts and comments pass unchanged; `:name` outside them is a placeholder. */
const TOKENS =
  /[Ee]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$|\/\*[\s\S]*?\*\/|--[^\n]*|::|:([A-Za-z_][A-Za-z0-9_]*)/g;

const cache = new BoundedMap<string, Positional>(500);

/** `:name` placeholders → PostgreSQL's `$n` bind parameters; a name used twice keeps its one position. */
export function toPositional(sql: string): Positional {
  const cached = cache.get(sql);
  if (cached) return cached;
  const names: string[] = [];
  const text = sql.replace(TOKENS, (token, _tag: unknown, name: string | undefined) => {
    if (name === undefined) return token;
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  const result = { text, names };
  cache.set(sql, result);
  return result;
}
