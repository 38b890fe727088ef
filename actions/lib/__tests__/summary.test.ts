import { describe, expect, test } from '@jest/globals';
import { SUMMARY_LIMIT_BYTES, SummaryBuilder, cell } from '../summary.js';
import { AnnotationBudget, type Annotation } from '../annotations.js';

describe('SummaryBuilder', () => {
  test('when the table is small, then every row is shown', () => {
    const md = new SummaryBuilder()
      .heading('Result')
      .table(['a', 'b'], [[1, 'x|y']])
      .toString();
    expect(md).toBe('## Result\n\n| a | b |\n| --- | --- |\n| 1 | x\\|y |\n\n');
  });

  test('when 200,000 rows are added, then the summary stays under 1 MiB and says how many are hidden', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [
      `CVE-2024-${i}`,
      'HIGH',
      'openssl',
      'a long title '.repeat(3),
    ]);
    const md = new SummaryBuilder()
      .heading('Findings')
      .table(['id', 'sev', 'pkg', 'title'], rows, { noun: 'findings' })
      .paragraph('end')
      .toString();
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    const shown = md.split('\n').filter((line) => line.startsWith('| CVE-')).length;
    expect(md).toContain(`_${200_000 - shown} more findings not shown._`);
    expect(shown).toBeGreaterThan(1000);
  });

  test('when maxRows is set, then the table stops there', () => {
    const md = new SummaryBuilder().table(['n'], [[1], [2], [3]], { maxRows: 2 }).toString();
    expect(md).toContain('| 2 |');
    expect(md).not.toContain('| 3 |');
    expect(md).toContain('_1 more rows not shown._');
  });

  test('when rows are left out and the caller knows where they are, then the note says so and they are counted', () => {
    const s = new SummaryBuilder().table(['n'], [[1], [2], [3]], {
      maxRows: 1,
      noun: 'findings',
      elsewhere: '; all are in out.sarif',
    });
    expect(s.toString()).toContain('_2 more findings not shown; all are in out.sarif._');
    expect(s.rowsNotShown).toBe(2);
  });

  test('cell escapes pipes, newlines and HTML openers', () => {
    expect(cell('a|b\nc<script>')).toBe('a\\|b c&lt;script>');
  });
});

describe('AnnotationBudget', () => {
  test('when more than 10 of one level are added, then only 10 are emitted and the rest counted', () => {
    const emitted: Annotation[] = [];
    const budget = new AnnotationBudget((a) => emitted.push(a));
    for (let i = 0; i < 15; i++) budget.add({ level: 'error', message: `e${i}` });
    for (let i = 0; i < 3; i++) budget.add({ level: 'notice', message: `n${i}` });
    expect(emitted.filter((a) => a.level === 'error').map((a) => a.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `e${i}`),
    );
    expect(budget.droppedCounts).toEqual({ error: 5, warning: 0, notice: 0 });
    expect(budget.emittedCounts).toEqual({ error: 10, warning: 0, notice: 3 });
  });

  test('when a slot is reserved for the step’s own error, then findings get 9 and the 10th stays free', () => {
    const emitted: Annotation[] = [];
    const budget = new AnnotationBudget((a) => emitted.push(a));
    budget.reserve('error');
    budget.reserve('warning', 3);
    for (let i = 0; i < 15; i++) budget.add({ level: 'error', message: `e${i}` });
    for (let i = 0; i < 15; i++) budget.add({ level: 'warning', message: `w${i}` });
    expect(budget.emittedCounts).toEqual({ error: 9, warning: 7, notice: 0 });
    expect(budget.droppedCounts).toEqual({ error: 6, warning: 8, notice: 0 });
  });
});
