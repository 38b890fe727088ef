/**
 * Job summary Markdown that never exceeds GitHub's 1 MiB per step. Sections are added in priority
 * order; once the budget is nearly spent, further rows are counted and reported as "N more not shown".
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Escapes text for a Markdown table cell. */
export function cell(text: unknown): string {
  return String(text ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;');
}

export class SummaryBuilder {
  private parts: string[] = [];
  private bytes = 0;
  private omitted = 0;
  private notShown = 0;

  /** `reserveBytes` is kept free for the closing lines (omission notes). */
  constructor(
    private readonly limitBytes = SUMMARY_LIMIT_BYTES,
    private readonly reserveBytes = 4096,
  ) {}

  get size(): number {
    return this.bytes;
  }

  /** Table rows left out so far, by `maxRows`, by the size limit, or with a whole table that did not fit. */
  get rowsNotShown(): number {
    return this.notShown;
  }

  private fits(text: string): boolean {
    return this.bytes + Buffer.byteLength(text) <= this.limitBytes - this.reserveBytes;
  }

  private push(text: string): boolean {
    if (!this.fits(text)) return false;
    this.parts.push(text);
    this.bytes += Buffer.byteLength(text);
    return true;
  }

  heading(text: string, level = 2): this {
    this.push(`${'#'.repeat(level)} ${text}\n\n`);
    return this;
  }

  paragraph(text: string): this {
    this.push(`${text}\n\n`);
    return this;
  }

  list(items: string[]): this {
    this.push(items.map((item) => `- ${item}\n`).join('') + '\n');
    return this;
  }

  /**
   * A table of as many rows as fit; `maxRows` caps it further. Rows left out are reported under the
   * table with `noun` (e.g. "findings") and `elsewhere` (e.g. "; all are in report.sarif").
   */
  table(
    header: string[],
    rows: unknown[][],
    options: { maxRows?: number; noun?: string; elsewhere?: string } = {},
  ): this {
    const { maxRows = Number.POSITIVE_INFINITY, noun = 'rows', elsewhere = '' } = options;
    const head = `| ${header.map(cell).join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`;
    if (!this.push(head)) {
      this.omitted += rows.length;
      this.notShown += rows.length;
      return this;
    }
    let shown = 0;
    for (const row of rows) {
      if (shown >= maxRows || !this.push(`| ${row.map(cell).join(' | ')} |\n`)) break;
      shown++;
    }
    const hidden = rows.length - shown;
    this.notShown += hidden;
    this.parts.push(hidden > 0 ? `\n_${hidden} more ${noun} not shown${elsewhere}._\n\n` : '\n');
    this.bytes += Buffer.byteLength(this.parts[this.parts.length - 1]!);
    return this;
  }

  /** The Markdown, with a final note when whole sections did not fit. */
  toString(): string {
    const tail =
      this.omitted > 0 ? `_${this.omitted} more entries not shown (job summary size limit)._\n` : '';
    return this.parts.join('') + tail;
  }
}
