/**
 * Fuzzy name matching for conflict checks. Pure: no I/O, no state.
 *
 * A name is normalised (accents, case, punctuation, dotted abbreviations, leading "the" and trailing legal
 * forms such as LLC, Inc. or GmbH & Co. KG removed), its tokens are sorted (so "Smith, John" and
 * "John Smith" agree), and two names score the better of Jaro-Winkler and a Levenshtein ratio on those
 * token-sorted keys: 1 is identical after normalisation, 0 nothing in common.
 */

/** Legal-form tokens dropped from the end of an organisation's name (after punctuation is removed). */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  'ab',
  'ag',
  'as',
  'asa',
  'bv',
  'bvba',
  'co',
  'company',
  'corp',
  'corporation',
  'cv',
  'eg',
  'ev',
  'gbr',
  'gmbh',
  'inc',
  'incorporated',
  'kg',
  'kgaa',
  'lc',
  'limited',
  'llc',
  'llp',
  'lp',
  'ltd',
  'ltda',
  'nv',
  'oy',
  'ohg',
  'plc',
  'pllc',
  'pc',
  'pty',
  'sa',
  'sarl',
  'sas',
  'se',
  'spa',
  'sl',
  'srl',
  'ug',
]);

/** Letters that NFKD does not decompose into a base letter plus marks. */
const FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** The tokens of a name after normalisation; never empty for a name that has a letter or digit. */
export function nameTokens(name: string): string[] {
  let s = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (ch) => FOLD[ch] ?? ch);
  // Dotted abbreviations become one token: "L.L.C." -> "llc", "S.A." -> "sa" (but "J. Smith" keeps "j").
  s = s.replace(/(?<=(?:^|[\s.])\p{L})\.(?=\p{L}(?:[.\s,]|$))/gu, '');
  // Apostrophes join ("O'Brien" -> "obrien"); "&" is "and"; any other punctuation separates tokens.
  s = s.replace(/['’`´]/g, '').replace(/&/g, ' and ');
  const all = s.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
  const tokens = [...all];
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  let removed = false;
  while (tokens.length > 1) {
    const last = tokens.at(-1)!;
    if (LEGAL_SUFFIXES.has(last) || (removed && last === 'and')) {
      tokens.pop();
      removed = true;
    } else break;
  }
  return tokens.length > 0 ? tokens : all;
}

/** The comparison key: normalised tokens, sorted, joined by one space. */
export function nameKey(name: string): string {
  return nameTokens(name).sort().join(' ');
}

/** Levenshtein edit distance (insertions, deletions, substitutions), on UTF-16 code units. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Jaro similarity (Jaro 1989): matches within half the longer length, minus half the transpositions. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler (Winkler 1990): Jaro boosted by 0.1 per shared leading character, at most four. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** 1 - distance / longer length: 1 for equal strings, 0 when every character differs. */
export function levenshteinRatio(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - levenshtein(a, b) / longer;
}

/** Score of two comparison keys (see nameKey), rounded to three decimals. */
export function keyScore(a: string, b: string): number {
  if (a === b) return 1;
  return Math.round(Math.max(jaroWinkler(a, b), levenshteinRatio(a, b)) * 1000) / 1000;
}

/** Score of two names as written. */
export function nameScore(a: string, b: string): number {
  return keyScore(nameKey(a), nameKey(b));
}

export interface Candidate<T> {
  key: string;
  item: T;
}

export interface Match<T> {
  query: string;
  score: number;
  item: T;
}

/**
 * Every candidate scoring at least `threshold` against any of the names, best first (one entry per
 * name and candidate). Candidates carry precomputed keys so a check over many parties normalises each once.
 */
export function findMatches<T>(
  names: readonly string[],
  candidates: readonly Candidate<T>[],
  threshold: number,
): Match<T>[] {
  const out: Match<T>[] = [];
  for (const query of names) {
    const key = nameKey(query);
    for (const c of candidates) {
      const score = keyScore(key, c.key);
      if (score >= threshold) out.push({ query, score, item: c.item });
    }
  }
  return out.sort((x, y) => y.score - x.score);
}
