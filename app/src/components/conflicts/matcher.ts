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
  const row = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    let diagonal = row[0]!; // the previous row's value at j - 1
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The Levenshtein distance when it is at most `max`, otherwise `max + 1`: only a band of 2·max + 1 cells
 * per row is computed (Ukkonen), and the loop stops as soon as a whole row exceeds `max`.
 */
export function levenshteinWithin(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  if (a === b) return 0;
  const m = b.length;
  let prev = new Uint32Array(m + 2);
  let cur = new Uint32Array(m + 2);
  for (let j = 0; j <= m; j++) prev[j] = Math.min(j, over);
  prev[m + 1] = over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    cur[0] = Math.min(i, over);
    cur[lo - 1] = lo === 1 ? cur[0] : over;
    let rowMin = cur[lo - 1]!;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost, over);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    cur[hi + 1] = over;
    if (rowMin > max) return over;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[m]!, over);
}

/** Jaro similarity (Jaro 1989): matches within half the longer length, minus half the transpositions. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const ca = a.charCodeAt(i);
    const to = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= to; j++) {
      if (bMatched[j] === 1 || ca !== b.charCodeAt(j)) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (aMatched[i] === 0) continue;
    while (bMatched[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
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

/**
 * keyScore(a, b) when it is at least `threshold`, else undefined; cheaper, because the Levenshtein
 * distance is only needed up to the largest one that could still reach the threshold.
 */
export function scoreAtLeast(a: string, b: string, threshold: number): number | undefined {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  const max = Math.floor((1 - threshold) * longer + 1e-9);
  const d = levenshteinWithin(a, b, max);
  const ratio = d > max ? 0 : 1 - d / longer;
  const score = Math.round(Math.max(jaroWinkler(a, b), ratio) * 1000) / 1000;
  return score >= threshold ? score : undefined;
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
      // Cheap bound from the lengths alone: Jaro is at most (2 + shorter/longer) / 3, the Levenshtein
      // ratio at most shorter/longer; pairs that cannot reach the threshold are not scored.
      const ratio = Math.min(key.length, c.key.length) / Math.max(key.length, c.key.length, 1);
      const jaroBound = (2 + ratio) / 3;
      if (Math.max(jaroBound + 0.4 * (1 - jaroBound), ratio) < threshold) continue;
      const score = scoreAtLeast(key, c.key, threshold);
      if (score !== undefined) out.push({ query, score, item: c.item });
    }
  }
  return out.sort((x, y) => y.score - x.score);
}
