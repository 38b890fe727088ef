/**
 * A parser of the Prometheus text exposition format (version 0.0.4, what prom-client and most exporters
 * serve): `# HELP` and `# TYPE` lines, then `name{label="value",...} value [timestamp]` samples. It follows
 * the reference parser (Go's expfmt) in what it accepts, and says which line is wrong and why when it does
 * not. Pure: no I/O.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

export interface Sample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestampMs?: number;
}

export interface Exposition {
  samples: Sample[];
  types: ReadonlyMap<string, MetricType>;
  help: ReadonlyMap<string, string>;
}

export class ExpositionError extends Error {
  /** `line` is 1-based; undefined for a problem across lines (a histogram bucket without its `le`). */
  constructor(
    detail: string,
    readonly line?: number,
  ) {
    super(`Prometheus text format${line === undefined ? '' : `, line ${line}`}: ${detail}`);
    this.name = 'ExpositionError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const BLANKS = /^[ \t]*/;

/**
 * A float as the reference parser reads the format's values: decimal with an optional exponent, Inf or
 * Infinity with an optional sign, or NaN (any letter case). undefined when it is none of these.
 */
export function parseFloatValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return NaN;
  const inf = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Reads one line from left to right; every method consumes what it recognises. */
class Cursor {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly lineNo: number,
  ) {}

  fail(detail: string): never {
    throw new ExpositionError(detail, this.lineNo);
  }
  done(): boolean {
    return this.at >= this.text.length;
  }
  peek(): string {
    return this.text[this.at] ?? '';
  }
  skipBlanks(): number {
    const n = BLANKS.exec(this.rest())![0].length;
    this.at += n;
    return n;
  }
  rest(): string {
    return this.text.slice(this.at);
  }
  take(re: RegExp, what: string): string {
    const m = re.exec(this.rest());
    if (!m || m[0] === '') this.fail(`expected ${what}, found ${this.describeNext()}`);
    this.at += m[0].length;
    return m[0];
  }
  expect(char: string, what: string): void {
    if (this.peek() !== char) this.fail(`expected ${what}, found ${this.describeNext()}`);
    this.at += 1;
  }
  /** A token up to the next blank or the end of the line. */
  word(): string {
    return this.take(/^[^ \t]+/, 'a value');
  }
  describeNext(): string {
    return this.done() ? 'the end of the line' : `'${this.rest().slice(0, 20)}'`;
  }
  /** A double-quoted label value with the format's three escapes: \\, \" and \n. */
  quoted(label: string): string {
    this.expect('"', `a double-quoted value for label '${label}'`);
    let out = '';
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) this.fail(`label value of '${label}' has no closing quote`);
      this.at += 1;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.at];
      this.at += 1;
      if (e === '\\' || e === '"') out += e;
      else if (e === 'n') out += '\n';
      else
        this.fail(`label value of '${label}' has an invalid escape '\\${e ?? ''}' (only \\\\, \\" and \\n)`);
    }
  }
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** The metric a sample belongs to: histogram and summary samples carry a suffix on their metric's name. */
function familyOf(name: string, types: ReadonlyMap<string, MetricType>): string {
  for (const suffix of ['_bucket', '_count', '_sum']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return base;
  }
  return name;
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const sampled = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const cur = new Cursor(line, index + 1);
    cur.skipBlanks();
    if (cur.done()) return;
    if (cur.peek() === '#') {
      parseComment(cur, types, help, sampled);
      return;
    }
    const sample = parseSample(cur);
    sampled.add(familyOf(sample.name, types));
    samples.push(sample);
  });
  return { samples, types, help };
}

function parseComment(
  cur: Cursor,
  types: Map<string, MetricType>,
  help: Map<string, string>,
  sampled: ReadonlySet<string>,
): void {
  cur.expect('#', "'#'");
  cur.skipBlanks();
  // `# HELP`, `# TYPE` and `# TYPE name` with nothing after them are plain comments, as for the reference parser.
  const keyword = /^(HELP|TYPE)[ \t]+[^ \t]+[ \t]+/.exec(cur.rest())?.[1];
  if (keyword === undefined) return;
  cur.take(/^(HELP|TYPE)/, keyword);
  cur.skipBlanks();
  const name = cur.take(METRIC_NAME, `a metric name after ${keyword}`);
  if (cur.skipBlanks() === 0) cur.fail(`invalid metric name '${name}${cur.rest()}' after ${keyword}`);
  if (keyword === 'HELP') {
    if (help.has(name)) cur.fail(`second HELP line for metric '${name}'`);
    help.set(name, unescapeHelp(cur.rest()));
    return;
  }
  const type = cur.rest().toLowerCase() as MetricType;
  if (!TYPES.includes(type))
    cur.fail(`unknown metric type '${cur.rest()}' for '${name}' (expected ${TYPES.join(', ')})`);
  if (types.has(name)) cur.fail(`second TYPE line for metric '${name}'`);
  if (sampled.has(name)) cur.fail(`TYPE line for metric '${name}' after its samples`);
  types.set(name, type);
}

function parseSample(cur: Cursor): Sample {
  const name = cur.take(METRIC_NAME, 'a metric name');
  cur.skipBlanks();
  // A Map, so that any label name (even `__proto__`) becomes an own property of the result.
  const labels = new Map<string, string>();
  if (cur.peek() === '{') {
    cur.expect('{', "'{'");
    for (;;) {
      cur.skipBlanks();
      if (cur.peek() === '}') break;
      const label = cur.take(LABEL_NAME, `a label name or '}' in the labels of '${name}'`);
      if (label === '__name__') cur.fail(`label name '__name__' is reserved (in the labels of '${name}')`);
      if (labels.has(label)) cur.fail(`label '${label}' appears twice in the labels of '${name}'`);
      cur.skipBlanks();
      cur.expect('=', `'=' after label name '${label}'`);
      cur.skipBlanks();
      labels.set(label, cur.quoted(label));
      cur.skipBlanks();
      if (cur.peek() !== ',') break;
      cur.expect(',', "','");
    }
    cur.expect('}', `',' or '}' after a label of '${name}'`);
  }
  cur.skipBlanks();
  const raw = cur.word();
  const value = parseFloatValue(raw);
  if (value === undefined) cur.fail(`expected a number as the value of '${name}', found '${raw}'`);
  const sample: Sample = { name, labels: Object.fromEntries(labels), value };
  if (cur.done()) return sample;
  // A blank after the value announces a timestamp, and nothing may follow the timestamp, not even a blank.
  cur.skipBlanks();
  const stamp = cur.done() ? '' : cur.word();
  if (!/^[+-]?\d+$/.test(stamp))
    cur.fail(`expected a timestamp in whole milliseconds after the value of '${name}', found '${stamp}'`);
  sample.timestampMs = Number(stamp);
  if (!cur.done()) cur.fail(`unexpected ${cur.describeNext()} after the timestamp of '${name}'`);
  return sample;
}

export interface Bucket {
  /** The bucket's `le`: observations at most this value are counted in it (cumulative counts). */
  upperBound: number;
  count: number;
}

/** One labelled series of a histogram: its cumulative buckets (by upper bound), count and sum. */
export interface HistogramSeries {
  /** Every label but `le`. */
  labels: Readonly<Record<string, string>>;
  buckets: Bucket[];
  count: number | undefined;
  sum: number | undefined;
}

/** A stable key for a label set, whatever the order the labels came in. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The series of histogram `name` (`name_bucket`, `name_count`, `name_sum`), grouped by their labels. */
export function histogramSeries(exposition: Exposition, name: string): HistogramSeries[] {
  const series = new Map<string, HistogramSeries>();
  const of = (labels: Readonly<Record<string, string>>): HistogramSeries => {
    const key = labelKey(labels);
    let s = series.get(key);
    if (!s) {
      s = { labels, buckets: [], count: undefined, sum: undefined };
      series.set(key, s);
    }
    return s;
  };
  for (const sample of exposition.samples) {
    if (sample.name === `${name}_bucket`) {
      const { le, ...rest } = sample.labels;
      const upperBound = le === undefined ? undefined : parseFloatValue(le);
      if (upperBound === undefined || Number.isNaN(upperBound))
        throw new ExpositionError(
          `${name}_bucket${labelText(sample.labels)} has ${le === undefined ? 'no le label' : `le="${le}", not a number`}`,
        );
      of(rest).buckets.push({ upperBound, count: sample.value });
    } else if (sample.name === `${name}_count`) of(sample.labels).count = sample.value;
    else if (sample.name === `${name}_sum`) of(sample.labels).sum = sample.value;
  }
  for (const s of series.values()) s.buckets.sort((a, b) => a.upperBound - b.upperBound);
  return [...series.values()];
}

/** `{a="1",b="2"}` for messages. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(',')}}`;
}
