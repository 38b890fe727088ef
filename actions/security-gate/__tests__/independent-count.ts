/**
 * A second, deliberately separate reading of the raw reports, used as the source of truth for counts. It
 * follows the counting rules written in shared/fixtures/reports/SOURCES.md, not the gate's parsers.
 */
import { readFileSync } from 'node:fs';

type Sev = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Tally = Record<string, Partial<Record<Sev, number>>>;

/* eslint-disable @typescript-eslint/no-explicit-any */
function bump(t: Tally, tool: string, sev: Sev): void {
  t[tool] ??= {};
  t[tool][sev] = (t[tool][sev] ?? 0) + 1;
}

const WORDS: Record<string, Sev> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  MODERATE: 'medium',
  LOW: 'low',
  UNKNOWN: 'info',
  INFO: 'info',
};

function band(raw: unknown): Sev | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = parseFloat(String(raw));
  if (!Number.isNaN(n) && String(n) === String(Number(raw))) {
    return n >= 9 ? 'critical' : n >= 7 ? 'high' : n >= 4 ? 'medium' : n > 0 ? 'low' : 'info';
  }
  return WORDS[String(raw).toUpperCase()];
}

export function countRaw(path: string): { tally: Tally; suppressed: number } {
  const doc: any = JSON.parse(readFileSync(path, 'utf8'));
  const tally: Tally = {};
  let suppressed = 0;
  if (doc.runs) {
    for (const run of doc.runs) {
      const tool = String(run.tool.driver.name)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-');
      const rules: any[] = run.tool.driver.rules ?? [];
      for (const r of run.results ?? []) {
        if ((r.suppressions ?? []).length > 0) {
          suppressed++;
          continue;
        }
        const rule = rules.find((x) => x.id === r.ruleId) ?? rules[r.ruleIndex] ?? {};
        const level = r.level ?? rule.defaultConfiguration?.level ?? 'warning';
        const sev =
          band(r.properties?.['security-severity']) ??
          band(rule.properties?.['security-severity']) ??
          ({ error: 'high', warning: 'medium', note: 'low', none: 'info' } as Record<string, Sev>)[level]!;
        bump(tally, tool, sev);
      }
    }
  } else if (doc.SchemaVersion !== undefined) {
    for (const res of doc.Results ?? []) {
      for (const v of res.Vulnerabilities ?? []) bump(tally, 'trivy', WORDS[v.Severity]!);
      for (const m of res.Misconfigurations ?? [])
        if (m.Status === 'FAIL') bump(tally, 'trivy', WORDS[m.Severity]!);
      for (const s of res.Secrets ?? []) bump(tally, 'trivy', WORDS[s.Severity]!);
      for (const l of res.Licenses ?? []) bump(tally, 'trivy', WORDS[l.Severity]!);
    }
  } else if (doc.generated_at !== undefined) {
    for (const r of doc.results) bump(tally, 'bandit', WORDS[r.issue_severity]!);
  } else if (doc.auditReportVersion === 2) {
    for (const v of Object.values<any>(doc.vulnerabilities))
      bump(tally, 'npm-audit', WORDS[v.severity.toUpperCase()]!);
  } else if (doc.advisories) {
    for (const a of Object.values<any>(doc.advisories))
      bump(tally, 'npm-audit', WORDS[a.severity.toUpperCase()]!);
  }
  return { tally, suppressed };
}

/** Drops zero counts so tallies compare regardless of which severities were listed. */
export function nonZero(counts: Record<string, Record<string, number>>): Tally {
  const out: Tally = {};
  for (const [tool, per] of Object.entries(counts)) {
    for (const [sev, n] of Object.entries(per)) if (n > 0) (out[tool] ??= {})[sev as Sev] = n;
  }
  return out;
}
