/**
 * Moment.js format strings (what docker/metadata-action's `{{date 'YYYYMMDD'}}` takes), for the tokens
 * that make sense in a tag: years, months, days, hours, minutes, seconds, milliseconds, unix time, and
 * `[literal text]`. Any other character is copied, as moment does. Time zones through Intl (IANA names).
 */

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function fieldsIn(date: Date, timeZone: string): Fields {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      ms: date.getUTCMilliseconds(),
      weekday: date.getUTCDay(),
    };
  }
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    }).formatToParts(date);
  } catch {
    throw new RangeError(`unknown time zone '${timeZone}' (expected an IANA name such as Europe/Paris)`);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    ms: date.getUTCMilliseconds(),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
  };
}

const TOKENS = /\[([^\]]*)\]|YYYY|YY|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|SS|S|X|x|A|a|d|./gs;

export function formatDate(date: Date, format: string, timeZone = 'UTC'): string {
  const f = fieldsIn(date, timeZone);
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return format.replace(TOKENS, (token: string, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY':
        return pad(f.year, 4);
      case 'YY':
        return pad(f.year % 100);
      case 'MM':
        return pad(f.month);
      case 'M':
        return String(f.month);
      case 'DD':
        return pad(f.day);
      case 'D':
        return String(f.day);
      case 'HH':
        return pad(f.hour);
      case 'H':
        return String(f.hour);
      case 'hh':
        return pad(h12);
      case 'h':
        return String(h12);
      case 'mm':
        return pad(f.minute);
      case 'm':
        return String(f.minute);
      case 'ss':
        return pad(f.second);
      case 's':
        return String(f.second);
      case 'SSS':
        return pad(f.ms, 3);
      case 'SS':
        return pad(Math.floor(f.ms / 10));
      case 'S':
        return String(Math.floor(f.ms / 100));
      case 'X':
        return String(Math.floor(date.getTime() / 1000));
      case 'x':
        return String(date.getTime());
      case 'A':
        return f.hour < 12 ? 'AM' : 'PM';
      case 'a':
        return f.hour < 12 ? 'am' : 'pm';
      case 'd':
        return String(f.weekday);
      default:
        return token;
    }
  });
}
