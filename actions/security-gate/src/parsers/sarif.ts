/**
 * SARIF 2.1.0. Severity: `security-severity` (result, else rule properties) as a CVSS band when numeric, or
 * the word Semgrep writes there; else the result's level; else the rule's default level; else `warning`.
 * Suppressed results are left out and counted.
 */
import { normalizePath, normalizeText, type RawFinding, type Severity } from '../finding.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** CVSS v3 qualitative bands: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 none. */
export function cvssBand(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** `security-severity` as CodeQL/Trivy write it ("7.5") or as Semgrep writes it ("HIGH"). */
export function securitySeverity(value: unknown): Severity | undefined {
  if (typeof value === 'number') return cvssBand(value);
  const text = str(value).trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return cvssBand(Number(text));
  switch (text.toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
    case 'ERROR':
      return 'high';
    case 'MEDIUM':
    case 'MODERATE':
    case 'WARNING':
      return 'medium';
    case 'LOW':
      return 'low';
    case 'INFO':
    case 'NONE':
      return 'info';
    default:
      return undefined;
  }
}

export function levelSeverity(level: string): Severity {
  switch (level) {
    case 'error':
      return 'high';
    case 'note':
      return 'low';
    case 'none':
      return 'info';
    default:
      return 'medium'; // warning, the SARIF default
  }
}

export interface SarifParse {
  findings: RawFinding[];
  /** Suppressed results per tool. */
  suppressed: Record<string, number>;
  /** Every tool that has a run in the log, findings or not. */
  tools: string[];
}

export function toolSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'sarif'
  );
}

function isSuppressed(result: Obj): boolean {
  return arr(result.suppressions).some((s) => s.status === undefined || s.status === 'accepted');
}

/** Trivy puts package vulnerabilities on line 1 of the image or lockfile; that is not a source line. */
function isPackageRule(rule: Obj): boolean {
  return /PackageVulnerability$/.test(str(rule.name));
}

function trivyPackage(message: string): { name: string; installed: string; fixed: string } | undefined {
  const name = /^Package: (.*)$/m.exec(message)?.[1];
  if (!name) return undefined;
  return {
    name: name.trim(),
    installed: (/^Installed Version: (.*)$/m.exec(message)?.[1] ?? '').trim(),
    fixed: (/^Fixed Version: (.*)$/m.exec(message)?.[1] ?? '').trim(),
  };
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * An artifact URI is a URI reference (SARIF 2.1.0 §3.4.3), so a relative one is percent-encoded as CodeQL
 * writes it (`src/my%20file.js`): decoded here, the path is the file's name. A `%` not followed by two hex
 * digits cannot be URI encoding, so such a URI is taken as written. file:// URIs are decoded by normalizePath.
 */
export function uriToPath(uri: string): string {
  if (HAS_SCHEME.test(uri)) return uri;
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

export function parseSarif(doc: Obj, report: string, workspace?: string): SarifParse {
  const findings: RawFinding[] = [];
  const suppressed: Record<string, number> = {};
  const tools = new Set<string>();
  for (const run of arr(doc.runs)) {
    const driver = obj(obj(run.tool).driver);
    const tool = toolSlug(str(driver.name));
    tools.add(tool);
    const rules = arr(driver.rules);
    const extensions = arr(obj(run.tool).extensions);
    const byId = new Map<string, Obj>();
    for (const rule of rules) byId.set(str(rule.id), rule);
    const baseIds = obj(run.originalUriBaseIds);

    for (const result of arr(run.results)) {
      // `pass` and `notApplicable` results record that a rule was checked and found nothing.
      if (result.kind === 'pass' || result.kind === 'notApplicable') continue;
      if (isSuppressed(result)) {
        suppressed[tool] = (suppressed[tool] ?? 0) + 1;
        continue;
      }
      const ref = obj(result.rule);
      const index =
        typeof ref.index === 'number'
          ? ref.index
          : typeof result.ruleIndex === 'number'
            ? result.ruleIndex
            : -1;
      const comp = obj(ref.toolComponent);
      const component = typeof comp.index === 'number' ? obj(extensions[comp.index]) : undefined;
      const ruleList = component ? arr(component.rules) : rules;
      const ruleId = str(result.ruleId) || str(ref.id);
      const rule = (index >= 0 ? ruleList[index] : undefined) ?? byId.get(ruleId) ?? {};
      const id = ruleId || str(rule.id) || 'unknown-rule';

      const props = obj(rule.properties);
      const level = str(result.level) || str(obj(rule.defaultConfiguration).level) || 'warning';
      const severity =
        securitySeverity(obj(result.properties)['security-severity']) ??
        securitySeverity(props['security-severity']) ??
        levelSeverity(level);

      const message = str(obj(result.message).text);
      const physical = obj(obj(arr(result.locations)[0]).physicalLocation);
      const artifact = obj(physical.artifactLocation);
      const region = obj(physical.region);
      let uri = str(artifact.uri);
      const base = str(obj(baseIds[str(artifact.uriBaseId)]).uri);
      if (uri && base.startsWith('file://') && !HAS_SCHEME.test(uri)) uri = base + uri;
      const packageLevel = isPackageRule(rule);
      const pkg = packageLevel ? trivyPackage(message) : undefined;
      const file = uri && !packageLevel ? normalizePath(uriToPath(uri), workspace) : undefined;
      const line =
        typeof region.startLine === 'number' && region.startLine > 0 ? region.startLine : undefined;
      const snippet = str(obj(region.snippet).text);
      const fingerprints = { ...obj(result.partialFingerprints), ...obj(result.fingerprints) };
      const shortDescription = str(obj(rule.shortDescription).text);

      findings.push({
        tool,
        kind: pkg ? 'vulnerability' : 'code',
        ruleId: id,
        aliases: [str(rule.name)].filter((n) => n && n !== id),
        severity,
        title: shortDescription || message.split('\n')[0] || id,
        ...(file ? { file } : {}),
        ...(file && line
          ? {
              line,
              endLine: typeof region.endLine === 'number' ? region.endLine : line,
              ...(typeof region.startColumn === 'number' ? { column: region.startColumn } : {}),
            }
          : {}),
        ...(pkg ? { package: pkg } : {}),
        ...(!file ? { target: uri || undefined } : {}),
        url: str(rule.helpUri) || undefined,
        // A snippet moves with the code; so do the tools' own line-hash fingerprints minus their line part.
        locationKey: normalizeText(
          snippet || str(fingerprints['primaryLocationLineHash']).replace(/:\d+$/, '') || message,
        ),
        report,
      });
    }
  }
  return { findings, suppressed, tools: [...tools] };
}
