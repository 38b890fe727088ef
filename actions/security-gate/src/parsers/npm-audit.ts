/** `npm audit --json`: npm 7+ (auditReportVersion 2, one entry per package) and npm 6 (advisories). */
import type { RawFinding, Severity } from '../finding.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function npmSeverity(value: unknown): Severity {
  switch (str(value)) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'moderate':
      return 'medium';
    case 'low':
      return 'low';
    default:
      return 'info';
  }
}

const ghsa = (url: string): string => /GHSA(-[0-9a-z]{4}){3}/i.exec(url)?.[0] ?? '';

export function parseNpmAuditV2(doc: Obj, report: string): RawFinding[] {
  const vulns = (doc.vulnerabilities as Record<string, Obj> | undefined) ?? {};
  return Object.entries(vulns).map(([key, v]) => {
    const name = str(v.name) || key;
    const via = Array.isArray(v.via) ? (v.via as unknown[]) : [];
    const advisories = via.filter((x): x is Obj => typeof x === 'object' && x !== null);
    const through = via.filter((x): x is string => typeof x === 'string');
    const ids = [
      ...new Set(advisories.map((a) => ghsa(str(a.url)) || String(a.source ?? '')).filter(Boolean)),
    ];
    const fix = v.fixAvailable;
    const fixed =
      fix === true
        ? 'available'
        : typeof fix === 'object' && fix
          ? `${str((fix as Obj).name)}@${str((fix as Obj).version)}`
          : '';
    const first = advisories[0];
    return {
      tool: 'npm-audit',
      kind: 'vulnerability' as const,
      ruleId: ids[0] ?? `npm:${name}`,
      aliases: ids.slice(1),
      severity: npmSeverity(v.severity),
      title: first ? str(first.title) : `${name} depends on vulnerable ${through.join(', ')}`,
      package: { name, installed: str(v.range), fixed },
      target: 'package-lock.json',
      url: first ? str(first.url) || undefined : undefined,
      locationKey: Array.isArray(v.nodes) ? (v.nodes as string[]).join(',') : '',
      report,
    };
  });
}

export function parseNpmAuditV1(doc: Obj, report: string): RawFinding[] {
  const advisories = (doc.advisories as Record<string, Obj> | undefined) ?? {};
  return Object.values(advisories).map((a) => {
    const url = str(a.url);
    const id = str(a.github_advisory_id) || ghsa(url) || `npm-advisory-${String(a.id)}`;
    const findings = Array.isArray(a.findings) ? (a.findings as Obj[]) : [];
    return {
      tool: 'npm-audit',
      kind: 'vulnerability' as const,
      ruleId: id,
      aliases: [...(Array.isArray(a.cves) ? (a.cves as string[]) : []), String(a.id ?? '')].filter(Boolean),
      severity: npmSeverity(a.severity),
      title: str(a.title),
      package: {
        name: str(a.module_name),
        installed: findings.map((f) => str(f.version)).join(', '),
        fixed: str(a.patched_versions) === '<0.0.0' ? '' : str(a.patched_versions),
      },
      target: 'package-lock.json',
      url: url || undefined,
      locationKey: str(a.vulnerable_versions),
      report,
    };
  });
}
