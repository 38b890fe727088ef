/** The job summary: verdict, counts per tool x severity, failing findings first, ignore entries. */
import { SummaryBuilder } from '../../lib/summary.js';
import { pathToUri, SEVERITIES, type Finding } from './finding.js';
import { isOutsideWorkspace } from './path-map.js';
import type { Verdict } from './policy.js';

export interface SummaryContext {
  failOn: string;
  reportOn: string;
  /** e.g. https://github.com/o/r/blob/<sha>/ — file links are made from it when set. */
  blobBase?: string;
  annotationsDropped: number;
  /** Findings whose file lies outside the workspace, so no annotation could be attached. */
  outsideWorkspace?: { count: number; example?: string };
  /** The sarif-output input: the file that holds every reported finding. */
  sarifOutput?: string;
  maxRows?: number;
  limitBytes?: number;
}

const HIDDEN: unknown[] = [];

function where(f: Finding, blobBase?: string): string {
  if (f.file) {
    const label = `${f.file}${f.line ? `:${f.line}` : ''}`;
    return blobBase && !isOutsideWorkspace(f.file)
      ? `[${label}](${blobBase}${pathToUri(f.file)}${f.line ? `#L${f.line}` : ''})`
      : label;
  }
  const pkg = f.package ? `${f.package.name} ${f.package.installed ?? ''}`.trim() : '';
  return [pkg, f.target ? `(${f.target})` : ''].filter(Boolean).join(' ');
}

function rule(f: Finding): string {
  return f.url ? `[${f.ruleId}](${f.url})` : f.ruleId;
}

export function buildSummary(verdict: Verdict, ctx: SummaryContext): string {
  const s = new SummaryBuilder(ctx.limitBytes);
  const maxRows = ctx.maxRows ?? 1000;
  s.heading('Security gate', 2);
  s.paragraph(
    verdict.passed
      ? `**Passed**: no finding at or above \`${ctx.failOn}\` blocks this change.`
      : `**Failed**: ${verdict.failingCount} finding${verdict.failingCount === 1 ? '' : 's'} at or above \`${ctx.failOn}\` block this change.`,
  );

  const tools = Object.keys(verdict.counts).sort();
  if (tools.length) {
    s.table(
      ['Tool', ...SEVERITIES, 'suppressed in SARIF'],
      tools.map((tool) => [
        tool,
        ...SEVERITIES.map((sev) => verdict.counts[tool]![sev]),
        verdict.suppressed[tool] ?? 0,
      ]),
    );
  } else {
    s.paragraph('The reports contain no findings.');
  }

  const failing = verdict.reported.filter((e) => e.failing);
  const others = verdict.reported.filter((e) => !e.failing);
  const row = (e: (typeof verdict.reported)[number]) => [
    e.finding.severity,
    e.finding.tool,
    rule(e.finding),
    where(e.finding, ctx.blobBase),
    e.finding.package?.fixed ?? '',
    e.finding.title,
  ];
  const header = ['Severity', 'Tool', 'Rule', 'Location / package', 'Fixed in', 'Title'];
  // Only rows that can be shown are rendered; the rest only count toward "N more not shown".
  const rows = (list: typeof verdict.reported): unknown[][] => {
    const out: unknown[][] = new Array(list.length).fill(HIDDEN);
    for (let i = 0; i < Math.min(list.length, maxRows); i++) out[i] = row(list[i]!);
    return out;
  };
  // Where the rows that do not fit are: the merged SARIF holds every reported finding.
  const elsewhere = ctx.sarifOutput
    ? `; every finding is in \`${ctx.sarifOutput}\` (\`sarif-output\`)`
    : '; set `sarif-output` to get every finding in one SARIF file';
  const hiddenBefore = s.rowsNotShown;
  if (failing.length) {
    s.heading('Failing findings', 3);
    s.table(header, rows(failing), { maxRows, noun: 'failing findings', elsewhere });
  }
  if (others.length) {
    s.heading(`Other findings at or above \`${ctx.reportOn}\``, 3);
    s.table(header, rows(others), { maxRows, noun: 'findings', elsewhere });
  }
  const findingsNotListed = s.rowsNotShown - hiddenBefore;

  if (verdict.expiredEntries.length) {
    s.heading('Expired ignore entries (no longer suppress)', 3);
    s.table(
      ['Id', 'Package / path', 'Expired', 'Reason', 'Findings matched'],
      verdict.expiredEntries.map(({ entry, matched }) => [
        entry.id,
        [entry.package, entry.path].filter(Boolean).join(' '),
        entry.expires,
        entry.reason,
        matched,
      ]),
      { maxRows, noun: 'expired entries' },
    );
  }
  if (verdict.activeEntries.length) {
    s.heading(`Ignored (${verdict.ignored.length} findings)`, 3);
    s.table(
      ['Id', 'Package / path', 'Expires', 'Reason', 'Findings matched'],
      verdict.activeEntries.map(({ entry, matched }) => [
        entry.id,
        [entry.package, entry.path].filter(Boolean).join(' '),
        entry.expires,
        entry.reason,
        matched,
      ]),
      { maxRows, noun: 'ignore entries' },
    );
  }

  const notes: string[] = [];
  const d = verdict.dropped;
  if (d.unfixed)
    notes.push(`${d.unfixed} vulnerabilities without a fixed version left out (\`ignore-unfixed\`).`);
  if (d.lowConfidence) notes.push(`${d.lowConfidence} Bandit findings below \`min-confidence\` left out.`);
  if (d.outsideDiff)
    notes.push(`${d.outsideDiff} findings outside the pull request's changes left out (\`diff-filter\`).`);
  if (d.belowReportOn)
    notes.push(`${d.belowReportOn} findings below \`report-on\` (${ctx.reportOn}) not listed.`);
  if (ctx.annotationsDropped)
    notes.push(
      `${ctx.annotationsDropped} annotations not shown (GitHub shows 10 per level per step); ` +
        (findingsNotListed === 0
          ? 'all are listed above.'
          : `${findingsNotListed} findings are not listed above either` +
            (ctx.sarifOutput
              ? `: every finding is in \`${ctx.sarifOutput}\` (\`sarif-output\`).`
              : ': set `sarif-output` to get every finding in one SARIF file.')),
    );
  const outside = ctx.outsideWorkspace;
  if (outside?.count)
    notes.push(
      `${outside.count} findings point at files outside the workspace (such as \`${outside.example}\`), ` +
        "so no annotation could be attached to them; map the scanner's path onto the workspace with " +
        '`path-map` (e.g. `/src=.` when it scanned the code at /src).',
    );
  const suppressed = Object.values(verdict.suppressed).reduce((a, b) => a + b, 0);
  if (suppressed) notes.push(`${suppressed} SARIF results carry suppressions and were not gated.`);
  if (notes.length) s.list(notes);
  return s.toString();
}
