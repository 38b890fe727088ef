/** The policy: thresholds, filters, ignore entries, baseline and diff scope -> a verdict. */
import { inDiff, onAddedLine, type ChangedLines, type DiffMode } from './diff.js';
import {
  atLeast,
  SEVERITIES,
  severityRank,
  type Confidence,
  type Finding,
  type Severity,
} from './finding.js';
import { entryMatches, isExpired, type IgnoreEntry } from './ignore.js';

export type Threshold = Severity | 'none';

export interface Policy {
  failOn: Threshold;
  reportOn: Threshold;
  ignoreUnfixed: boolean;
  minConfidence: Confidence;
  ignores: IgnoreEntry[];
  /** Fingerprints of the base branch's findings; undefined when there is no baseline. */
  baseline?: Set<string>;
  diffMode: DiffMode;
  changed?: ChangedLines;
  now: Date;
}

export interface Evaluated {
  finding: Finding;
  failing: boolean;
  isNew: boolean;
  onAddedLine: boolean;
}

export interface EntryUse {
  entry: IgnoreEntry;
  matched: number;
}

export type Counts = Record<string, Record<Severity, number>>;

export interface Verdict {
  passed: boolean;
  /** Reported findings (>= report-on, not ignored, in scope), worst first, failing before the rest. */
  reported: Evaluated[];
  failingCount: number;
  newCount: number;
  ignored: { finding: Finding; entry: IgnoreEntry }[];
  activeEntries: EntryUse[];
  expiredEntries: EntryUse[];
  /** Every finding in the reports per tool and severity, before any policy. */
  counts: Counts;
  dropped: { unfixed: number; lowConfidence: number; outsideDiff: number; belowReportOn: number };
  suppressed: Record<string, number>;
}

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

export function emptyCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/** Plain code-unit order: deterministic and much cheaper than localeCompare on 100k findings. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareEvaluated(a: Evaluated, b: Evaluated): number {
  return (
    Number(b.failing) - Number(a.failing) ||
    severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
    Number(b.onAddedLine) - Number(a.onAddedLine) ||
    cmp(a.finding.tool, b.finding.tool) ||
    cmp(a.finding.file ?? a.finding.target ?? '', b.finding.file ?? b.finding.target ?? '') ||
    (a.finding.line ?? 0) - (b.finding.line ?? 0) ||
    cmp(a.finding.ruleId, b.finding.ruleId) ||
    cmp(a.finding.package?.name ?? '', b.finding.package?.name ?? '')
  );
}

export function evaluate(
  findings: Finding[],
  policy: Policy,
  suppressed: Record<string, number> = {},
): Verdict {
  const counts: Counts = {};
  const byId = new Map<string, IgnoreEntry[]>();
  for (const entry of policy.ignores) {
    const list = byId.get(entry.id) ?? [];
    list.push(entry);
    byId.set(entry.id, list);
  }
  const uses = new Map<IgnoreEntry, number>(policy.ignores.map((e) => [e, 0]));
  const reported: Evaluated[] = [];
  const ignored: Verdict['ignored'] = [];
  const dropped = { unfixed: 0, lowConfidence: 0, outsideDiff: 0, belowReportOn: 0 };
  let failingCount = 0;
  let newCount = 0;
  const minConfidence = CONFIDENCE_RANK[policy.minConfidence];

  for (const finding of findings) {
    const perTool = (counts[finding.tool] ??= emptyCounts());
    perTool[finding.severity]++;

    if (
      policy.ignoreUnfixed &&
      finding.kind === 'vulnerability' &&
      finding.package &&
      !finding.package.fixed
    ) {
      dropped.unfixed++;
      continue;
    }
    if (finding.confidence && CONFIDENCE_RANK[finding.confidence] < minConfidence) {
      dropped.lowConfidence++;
      continue;
    }

    let activeEntry: IgnoreEntry | undefined;
    if (byId.size) {
      for (const id of [finding.ruleId, ...finding.aliases]) {
        for (const entry of byId.get(id) ?? []) {
          if (!entryMatches(entry, finding)) continue;
          uses.set(entry, uses.get(entry)! + 1);
          if (!activeEntry && !isExpired(entry, policy.now)) activeEntry = entry;
        }
      }
    }
    if (activeEntry) {
      ignored.push({ finding, entry: activeEntry });
      continue;
    }

    if (!inDiff(policy.diffMode, policy.changed, finding.file, finding.line, finding.endLine)) {
      dropped.outsideDiff++;
      continue;
    }
    const isNew = policy.baseline ? !policy.baseline.has(finding.fingerprint) : true;
    const failing = isNew && atLeast(finding.severity, policy.failOn);
    if (failing) failingCount++;
    if (!failing && !atLeast(finding.severity, policy.reportOn)) {
      dropped.belowReportOn++;
      continue;
    }
    if (isNew) newCount++;
    reported.push({
      finding,
      failing,
      isNew,
      onAddedLine: onAddedLine(policy.changed, finding.file, finding.line, finding.endLine),
    });
  }
  reported.sort(compareEvaluated);

  const activeEntries: EntryUse[] = [];
  const expiredEntries: EntryUse[] = [];
  for (const [entry, matched] of uses) {
    (isExpired(entry, policy.now) ? expiredEntries : activeEntries).push({ entry, matched });
  }
  return {
    passed: failingCount === 0,
    reported,
    failingCount,
    newCount,
    ignored,
    activeEntries,
    expiredEntries,
    counts,
    dropped,
    suppressed,
  };
}
