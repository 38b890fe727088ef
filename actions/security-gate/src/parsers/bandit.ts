/** Bandit `-f json`: results[] with issue_severity and issue_confidence. */
import { normalizePath, normalizeText, type Confidence, type RawFinding, type Severity } from '../finding.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function banditSeverity(value: unknown): Severity {
  const s = str(value).toUpperCase();
  return s === 'HIGH' ? 'high' : s === 'MEDIUM' ? 'medium' : s === 'LOW' ? 'low' : 'info';
}

export function banditConfidence(value: unknown): Confidence {
  const s = str(value).toUpperCase();
  return s === 'HIGH' ? 'high' : s === 'MEDIUM' ? 'medium' : 'low';
}

export function parseBandit(doc: Obj, report: string, workspace?: string): RawFinding[] {
  const results = Array.isArray(doc.results) ? (doc.results as Obj[]) : [];
  return results.map((r) => {
    const line = typeof r.line_number === 'number' && r.line_number > 0 ? r.line_number : undefined;
    const range = Array.isArray(r.line_range) ? (r.line_range as number[]) : [];
    const code = str(r.code)
      .split('\n')
      .filter((l) => line !== undefined && l.startsWith(`${line} `))
      .join('\n');
    const cwe = r.issue_cwe as Obj | undefined;
    return {
      tool: 'bandit',
      kind: 'code' as const,
      ruleId: str(r.test_id),
      aliases: [str(r.test_name), cwe?.id ? `CWE-${String(cwe.id)}` : ''].filter(Boolean),
      severity: banditSeverity(r.issue_severity),
      title: str(r.issue_text),
      file: normalizePath(str(r.filename), workspace),
      ...(line ? { line, endLine: range.length ? Math.max(line, ...range) : line } : {}),
      ...(typeof r.col_offset === 'number' ? { column: r.col_offset + 1 } : {}),
      confidence: banditConfidence(r.issue_confidence),
      url: str(r.more_info) || undefined,
      locationKey: normalizeText(code || str(r.issue_text)),
      report,
    };
  });
}
