import { describe, expect, test } from '@jest/globals';
import leven from 'leven';
import {
  findMatches,
  jaro,
  jaroWinkler,
  keyScore,
  levenshtein,
  levenshteinWithin,
  nameKey,
  nameScore,
  scoreAtLeast,
} from '../src/components/conflicts/matcher.js';

describe('name normalisation', () => {
  test.each([
    ['ACME, Inc.', 'acme'],
    ['Acme Incorporated', 'acme'],
    ['Acme L.L.C.', 'acme'],
    ['acme llc', 'acme'],
    ['Müller GmbH', 'muller'],
    ['Müller GmbH & Co. KG', 'muller'],
    ['Société Générale S.A.', 'generale societe'],
    ["O'Brien & Co.", 'obrien'],
    ['The Coca-Cola Company', 'coca cola'],
    ['Smith, John', 'john smith'],
    ['JOHN   SMITH', 'john smith'],
    ['J. Smith', 'j smith'],
    ['Łukasz Żółć', 'lukasz zolc'],
    ['Straße AG', 'strasse'],
    ['Smith & Jones LLP', 'and jones smith'],
    ['Inc.', 'inc'],
    ['U.S.A. Ltd', 'usa'],
  ])('when %j is normalised, then its key is %j', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });
});

describe('string metrics', () => {
  // Published values: Winkler (1990) and the examples reproduced on the Jaro-Winkler Wikipedia page.
  test.each([
    ['MARTHA', 'MARHTA', 0.944, 0.961],
    ['DWAYNE', 'DUANE', 0.822, 0.84],
    ['DIXON', 'DICKSONX', 0.767, 0.813],
    ['JELLYFISH', 'SMELLYFISH', 0.896, 0.896],
  ])('when %s and %s are compared, then Jaro is %d and Jaro-Winkler %d', (a, b, j, jw) => {
    expect(jaro(a, b)).toBeCloseTo(j, 3);
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(jw, 3);
  });

  test('when nothing is shared or a side is empty, then Jaro is 0; equal strings are 1', () => {
    expect(jaro('abc', 'xyz')).toBe(0);
    expect(jaro('', 'abc')).toBe(0);
    expect(jaroWinkler('same', 'same')).toBe(1);
  });

  // The `leven` package (an independent implementation) is the source of truth for edit distances.
  test.each([
    ['kitten', 'sitting'],
    ['flaw', 'lawn'],
    ['', 'abc'],
    ['abc', ''],
    ['muller', 'mueller'],
    ['acme holdings', 'acme holding'],
    ['john smith', 'jon smyth'],
    ['société', 'societe'],
  ])('when the edit distance of %j and %j is computed, then it agrees with leven', (a, b) => {
    expect(levenshtein(a, b)).toBe(leven(a, b));
  });
});

describe('bounded computations', () => {
  // Seeded pseudo-random strings over a small alphabet, so that near and far pairs both occur.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const word = () => Array.from({ length: next() % 14 }, () => 'abcde '[next() % 6]).join('');
  const pairs = Array.from({ length: 400 }, () => [word(), word()] as const);

  test('when the distance is bounded, then it equals leven up to the bound and bound + 1 beyond', () => {
    for (const [a, b] of pairs) {
      const d = leven(a, b);
      for (const max of [0, 1, 2, 3, 5, 20])
        expect([a, b, max, levenshteinWithin(a, b, max)]).toEqual([a, b, max, Math.min(d, max + 1)]);
    }
  });

  test('when scores are computed against a threshold, then they equal the full score exactly when it reaches the threshold', () => {
    for (const [a, b] of pairs) {
      for (const t of [0.5, 0.7, 0.85, 0.95]) {
        const full = keyScore(a, b);
        expect([a, b, t, scoreAtLeast(a, b, t)]).toEqual([a, b, t, full >= t ? full : undefined]);
      }
    }
  });
});

describe('name scores', () => {
  test.each([
    ['Acme Inc.', 'ACME, LLC', 1],
    ['John Smith', 'Smith, John', 1],
    ['Müller GmbH', 'Muller', 1],
    ['Société Générale', 'Societe Generale S.A.', 1],
  ])('when %j and %j differ only in case, accents, order or legal form, then they score %d', (a, b, s) => {
    expect(nameScore(a, b)).toBe(s);
  });

  test.each([
    ['Jon Smyth', 'John Smith'],
    ['Acme Holdings', 'Acme Holding'],
    ['Mueller GmbH', 'Müller AG'],
    ['Jonathan Smith', 'Jonathon Smith'],
  ])('when %j and %j are near spellings, then the score is high (≥ 0.85) but below 1', (a, b) => {
    const s = nameScore(a, b);
    expect(s).toBeGreaterThanOrEqual(0.85);
    expect(s).toBeLessThan(1);
  });

  test.each([
    ['John Smith', 'Maria Garcia'],
    ['Acme Inc.', 'Globex Corporation'],
    ['Initech LLC', 'Umbrella Corp'],
  ])('when %j and %j are different names, then the score is low (< 0.7)', (a, b) => {
    expect(nameScore(a, b)).toBeLessThan(0.7);
  });

  test('when candidates are matched, then hits at or above the threshold come best first, per name', () => {
    const candidates = ['Acme Inc.', 'Acme Holdings', 'Globex', 'John Smith'].map((n) => ({
      key: nameKey(n),
      item: n,
    }));
    const hits = findMatches(['ACME', 'Jon Smith'], candidates, 0.85);
    expect(hits.map((h) => [h.query, h.item])).toEqual([
      ['ACME', 'Acme Inc.'],
      ['Jon Smith', 'John Smith'],
      ['ACME', 'Acme Holdings'],
    ]);
    expect(hits[0]!.score).toBe(1);
    expect(findMatches(['Nobody at all'], candidates, 0.85)).toEqual([]);
  });
});
