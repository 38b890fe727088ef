import { describe, expect, test } from '@jest/globals';
import moment from 'moment-timezone';
import { formatDate } from '../src/date-format.js';

// moment-timezone is what docker/metadata-action formats {{date}} with: the independent oracle.
const FORMATS = [
  'YYYYMMDD',
  'YYYYMMDD-HHmmss',
  'YYYY-MM-DD',
  'YY.M.D',
  'H:m:s',
  'hh-h A a',
  'SSS SS S',
  'X',
  'x',
  '[nightly-]YYYYMMDD',
  'YYYY[Q]MM',
  'd',
];
const DATES = [
  '2020-01-10T00:30:00.000Z',
  '2026-11-29T08:05:09.045Z',
  '1999-12-31T23:59:59.999Z',
  '2024-02-29T12:00:00.100Z',
];
const ZONES = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];

describe('formatDate agrees with moment-timezone', () => {
  const cases = FORMATS.flatMap((f) => DATES.flatMap((d) => ZONES.map((z) => [f, d, z] as const)));
  test.each(cases)('%s at %s in %s', (format, iso, zone) => {
    expect(formatDate(new Date(iso), format, zone)).toBe(moment(iso).tz(zone).format(format));
  });
});

test('when the time zone is unknown, then the error names it and what is expected', () => {
  expect(() => formatDate(new Date(), 'YYYY', 'Mars/Olympus')).toThrow(
    "unknown time zone 'Mars/Olympus' (expected an IANA name such as Europe/Paris)",
  );
});
