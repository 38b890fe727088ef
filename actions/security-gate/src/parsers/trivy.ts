/** Trivy `--format json` (SchemaVersion 2): vulnerabilities, misconfigurations, secrets and licenses. */
import { normalizePath, normalizeText, type RawFinding, type Severity } from '../finding.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;

export function trivySeverity(value: unknown): Severity {
  switch (str(value).toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
      return 'high';
    case 'MEDIUM':
      return 'medium';
    case 'LOW':
      return 'low';
    default:
      return 'info'; // UNKNOWN
  }
}

/** Classes whose Target is a file in the repository rather than an image or an OS. */
const FILE_CLASSES = new Set(['config', 'secret', 'license-file']);

export function parseTrivy(doc: Obj, report: string, workspace?: string): RawFinding[] {
  const out: RawFinding[] = [];
  const results = Array.isArray(doc.Results) ? (doc.Results as Obj[]) : [];
  const artifact = str(doc.ArtifactName);
  for (const result of results) {
    const target = str(result.Target);
    const cls = str(result.Class);
    const isFile = FILE_CLASSES.has(cls) || (cls === 'lang-pkgs' && doc.ArtifactType === 'filesystem');
    const file = isFile && target ? normalizePath(target, workspace) : undefined;

    for (const v of (result.Vulnerabilities as Obj[] | undefined) ?? []) {
      const id = str(v.VulnerabilityID);
      const pkg = str(v.PkgName) || str((v.PkgIdentifier as Obj | undefined)?.PURL);
      out.push({
        tool: 'trivy',
        kind: 'vulnerability',
        ruleId: id,
        aliases: Array.isArray(v.VendorIDs) ? (v.VendorIDs as string[]) : [],
        severity: trivySeverity(v.Severity),
        title: str(v.Title) || id,
        // A lockfile is a file, but a vulnerable package has no line in it worth pointing at.
        ...(file ? { file } : {}),
        package: { name: pkg, installed: str(v.InstalledVersion), fixed: str(v.FixedVersion) },
        target: target || artifact,
        url: str(v.PrimaryURL) || undefined,
        locationKey: str(v.PkgPath),
        report,
      });
    }

    for (const m of (result.Misconfigurations as Obj[] | undefined) ?? []) {
      if (m.Status !== undefined && m.Status !== 'FAIL') continue;
      const cause = (m.CauseMetadata as Obj | undefined) ?? {};
      const lines = ((cause.Code as Obj | undefined)?.Lines as Obj[] | null | undefined) ?? [];
      const causeText = lines
        .filter((l) => l.IsCause)
        .map((l) => str(l.Content))
        .join('\n');
      const line = num(cause.StartLine);
      out.push({
        tool: 'trivy',
        kind: 'misconfiguration',
        ruleId: str(m.ID) || str(m.AVDID),
        aliases: [str(m.AVDID)].filter(Boolean),
        severity: trivySeverity(m.Severity),
        title: str(m.Title) || str(m.Message),
        ...(file ? { file } : {}),
        ...(file && line ? { line, endLine: num(cause.EndLine) ?? line } : {}),
        target: target || artifact,
        url: str(m.PrimaryURL) || undefined,
        locationKey: normalizeText(causeText || `${str(cause.Resource)} ${str(m.Message)}`),
        report,
      });
    }

    for (const s of (result.Secrets as Obj[] | undefined) ?? []) {
      const line = num(s.StartLine);
      out.push({
        tool: 'trivy',
        kind: 'secret',
        ruleId: str(s.RuleID),
        aliases: [],
        severity: trivySeverity(s.Severity),
        title: str(s.Title) || str(s.RuleID),
        // Secrets found inside an image layer have a path in the image, not in the repository.
        ...(cls === 'secret' && doc.ArtifactType !== 'container_image'
          ? { file: normalizePath(target, workspace) }
          : {}),
        ...(cls === 'secret' && doc.ArtifactType !== 'container_image' && line
          ? { line, endLine: num(s.EndLine) ?? line }
          : {}),
        target: target || artifact,
        locationKey: normalizeText(str(s.Match)),
        report,
      });
    }

    for (const l of (result.Licenses as Obj[] | undefined) ?? []) {
      const name = str(l.Name);
      const pkg = str(l.PkgName);
      const path = str(l.FilePath);
      out.push({
        tool: 'trivy',
        kind: 'license',
        ruleId: name,
        aliases: [str(l.Category)].filter(Boolean),
        severity: trivySeverity(l.Severity),
        title: `License ${name}${l.Category ? ` (${str(l.Category)})` : ''}`,
        ...(pkg ? { package: { name: pkg } } : {}),
        ...(!pkg && path && doc.ArtifactType !== 'container_image'
          ? { file: normalizePath(path, workspace) }
          : {}),
        target: target || artifact,
        url: str(l.Link) || undefined,
        locationKey: path,
        report,
      });
    }
  }
  return out;
}
