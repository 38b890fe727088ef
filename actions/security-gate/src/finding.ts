/** The one finding shape every parser produces, and the severity scale the policy works on. */
import { hash } from 'node:crypto';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** True when `severity` is at or above `threshold`; `none` is never reached. */
export function atLeast(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && RANK[severity] >= RANK[threshold];
}

export type Confidence = 'high' | 'medium' | 'low';
export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret' | 'license' | 'code';

export interface PackageRef {
  name: string;
  installed?: string;
  /** Empty when the report names no fixed version. */
  fixed?: string;
}

export interface Finding {
  /** `trivy`, `bandit`, `npm-audit`, or the SARIF driver name in lower case (`codeql`, `semgrep-oss`). */
  tool: string;
  kind: FindingKind;
  ruleId: string;
  /** Other identifiers an ignore entry may use (CVE ids, GHSA ids, rule names). */
  aliases: string[];
  severity: Severity;
  title: string;
  /** Repository-relative path with forward slashes, when the report points into source. */
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
  package?: PackageRef;
  /** What the scanner looked at when there is no source file: image, lockfile, OS packages. */
  target?: string;
  confidence?: Confidence;
  url?: string;
  /** Source text or message standing for the location without relying on line numbers. */
  locationKey: string;
  /** Stable identity across runs: tool + rule + package/path + normalized location. */
  fingerprint: string;
  /** The report file it came from. */
  report: string;
}

export type RawFinding = Omit<Finding, 'fingerprint'>;

/** Collapses whitespace and strips bandit-style leading line numbers so moved code keeps its key. */
export function normalizeText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\d+\s/, '').trim())
    .filter((line) => line !== '')
    .join('\n')
    .replace(/[ \t]+/g, ' ')
    .slice(0, 2000);
}

/** Repository-relative, forward slashes, no `./` or `file://` prefix. */
export function normalizePath(path: string, workspace?: string): string {
  let p = path.replace(/\\/g, '/');
  if (p.startsWith('file://')) p = decodeURIComponent(p.slice('file://'.length));
  if (workspace) {
    const ws = workspace.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
    if (p.startsWith(ws)) p = p.slice(ws.length);
  }
  return p.replace(/^\.\//, '');
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded (`my file#1.js` -> `my%20file%231.js`). */
export function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Assigns fingerprints. Findings sharing tool, rule, subject and location key (the same code repeated in
 * one file) are told apart by their order within that group, which survives code moving up or down.
 */
export function fingerprint(findings: RawFinding[]): Finding[] {
  const seen = new Map<string, number>();
  const out: Finding[] = new Array(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]! as Finding;
    const subject = f.package
      ? `pkg:${f.package.name}@${f.target ?? ''}`
      : `path:${f.file ?? f.target ?? ''}`;
    const base = hash('sha256', `${f.tool}\u0000${f.ruleId}\u0000${subject}\u0000${f.locationKey}`);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const id = (n === 0 ? base : hash('sha256', `${base}\u0000${n}`)).slice(0, 32);
    // Set in place: copying 100,000 findings would double their memory at the peak.
    f.fingerprint = id;
    out[i] = f;
  }
  return out;
}
