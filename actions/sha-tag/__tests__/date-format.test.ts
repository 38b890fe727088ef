import { describe, expect, test } from '@jest/globals';
import moment from 'moment-timezone';
import { checkFormat, formatDate } from '../src/date-format.js';

// moment-timezone is what docker/metadata-action formats {{date}} with: the oracle. Its zone offsets
// come from its own packed IANA data, sha-tag's from Intl.
const TOKENS = [
  // https://momentjs.com/docs/#/displaying/format/, every row of the token table
  ...['M', 'Mo', 'MM', 'MMM', 'MMMM', 'Q', 'Qo', 'D', 'Do', 'DD', 'DDD', 'DDDo', 'DDDD'],
  ...['d', 'do', 'dd', 'ddd', 'dddd', 'e', 'E', 'w', 'wo', 'ww', 'W', 'Wo', 'WW'],
  ...['YY', 'YYYY', 'YYYYYY', 'Y', 'y', 'yo', 'N', 'NN', 'NNN', 'NNNN', 'NNNNN'],
  ...['gg', 'gggg', 'ggggg', 'GG', 'GGGG', 'GGGGG', 'A', 'a', 'H', 'HH', 'h', 'hh', 'k', 'kk'],
  ...['m', 'mm', 's', 'ss', 'S', 'SS', 'SSS', 'SSSS', 'SSSSSSSSS', 'Z', 'ZZ', 'X', 'x'],
  ...['LT', 'LTS', 'L', 'l', 'LL', 'll', 'LLL', 'lll', 'LLLL', 'llll'],
];
const FORMATS = [
  ...TOKENS,
  'YYYYMMDD',
  'YYYYMMDD-HHmmss',
  'dddd, MMMM Do YYYY, h:mm:ss a', // metadata-action's README example
  'mon-MMM',
  '[nightly-]YYYYMMDD',
  'YYYY[Q]MM',
  '\\QQ-\\WW',
  'nightly', // moment reads h, y as tokens here too
];
const DATES = [
  '2020-01-10T00:30:00.000Z',
  '2026-11-29T08:05:09.045Z',
  '1999-12-31T23:59:59.999Z',
  '2024-02-29T12:00:00.100Z',
  '2021-01-03T23:30:00.000Z', // ISO week 53 of 2020 in UTC, week 1 of 2021 east of UTC
  '2026-03-29T01:30:00.000Z', // the hour Europe/Paris moves to summer time
];
const ZONES = [
  'UTC',
  'Etc/UTC',
  'Asia/Tokyo',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Europe/Paris',
  'America/St_Johns',
];

describe('formatDate agrees with moment-timezone', () => {
  test.each(ZONES)(
    'when every moment format token is rendered in %s, then the tag is moment-timezone’s',
    (zone) => {
      for (const iso of DATES) {
        for (const format of FORMATS) {
          expect([format, iso, formatDate(new Date(iso), format, zone)]).toEqual([
            format,
            iso,
            moment(iso).tz(zone).format(format),
          ]);
        }
      }
    },
  );
});

describe('formats sha-tag refuses', () => {
  test.each(['z', 'zz', 'YYYYMMDD-z', 'x-zz'])(
    'when the format %j has a zone abbreviation, then the error names the token and the alternatives',
    (format) => {
      const token = /zz?/.exec(format)![0];
      expect(() => formatDate(new Date(), format)).toThrow(
        `format '${format}' uses the time zone abbreviation token '${token}', which sha-tag does not render; use Z (+09:00) or ZZ (+0900) for the offset, or [${token}] for the letters`,
      );
    },
  );

  test.each(['[z]', 'YYYY[-zz]', '\\z', 'Z', 'ZZ'])(
    'when z is bracketed, escaped or Z, then %j is accepted',
    (format) => {
      expect(() => checkFormat(format)).not.toThrow();
      expect(formatDate(new Date('2020-01-10T00:30:00Z'), format, 'Asia/Tokyo')).toBe(
        moment('2020-01-10T00:30:00Z').tz('Asia/Tokyo').format(format),
      );
    },
  );
});

test('when the time zone is unknown, then the error names it and what is expected', () => {
  expect(() => formatDate(new Date(), 'YYYY', 'Mars/Olympus')).toThrow(
    "unknown time zone 'Mars/Olympus' (expected an IANA name such as Europe/Paris)",
  );
});
