/**
 * `{{date 'FORMAT' tz='Zone'}}`: docker/metadata-action renders it with moment-timezone, so sha-tag
 * formats with moment itself (every format token, `[literal]` and `\` escapes, the `en` locale). The
 * zone's offset comes from Intl (the runtime's IANA database) instead of moment-timezone's bundled copy,
 * which keeps the bundle small. The one token that needs moment-timezone's data, the zone abbreviation
 * (`z`, `zz`: JST, CET), is refused with an error rather than rendered empty.
 */
import loadMoment from './load-moment.cjs';

/** Brackets and escapes hide letters from moment's tokenizer; anything else `z`-shaped is a zone abbreviation. */
const ABBREVIATION = /\[[^[]*\]|\\[\s\S]|(zz?)/g;

/** Throws when `format` uses a token sha-tag cannot render as metadata-action would. */
export function checkFormat(format: string): void {
  for (const match of format.matchAll(ABBREVIATION)) {
    if (match[1]) {
      throw new RangeError(
        `format '${format}' uses the time zone abbreviation token '${match[1]}', which sha-tag does not ` +
          `render; use Z (+09:00) or ZZ (+0900) for the offset, or [${match[1]}] for the letters`,
      );
    }
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone '${timeZone}' (expected an IANA name such as Europe/Paris)`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Minutes east of UTC that `timeZone` observes at `date`. */
export function utcOffsetMinutes(date: Date, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const bc = parts.find((p) => p.type === 'era')?.value === 'BC';
  const wall = new Date(0);
  wall.setUTCFullYear(bc ? 1 - get('year') : get('year'), get('month') - 1, get('day'));
  wall.setUTCHours(get('hour'), get('minute'), get('second'));
  const instant = date.getTime() - date.getUTCMilliseconds();
  return Math.round((wall.getTime() - instant) / 60_000);
}

export function formatDate(date: Date, format: string, timeZone = 'UTC'): string {
  checkFormat(format);
  // A string offset: moment reads a number between -16 and 16 as hours.
  const offset = utcOffsetMinutes(date, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return loadMoment().utc(date).utcOffset(`${sign}${hhmm}`).format(format);
}
