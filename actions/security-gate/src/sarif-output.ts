/**
 * One merged SARIF 2.1.0 log of the reported findings for code-scanning upload: one run per tool, each with
 * its own `automationDetails.id` category so uploads do not replace each other. Every tool whose report was
 * read gets its run, an empty one when nothing of it is reported: code scanning then closes the alerts that
 * an earlier upload of that category opened.
 *
 * Severity: every result carries its own `level`. Code scanning shows a rule's `security-severity`, when it
 * has one, for all of the rule's results, so a rule gets it only when all its results share one severity;
 * a rule whose results differ (flawfinder rates each call site) has none, and each result shows its level.
 * The rule id stays the tool's, as code scanning needs for tracking alerts across runs.
 */
import { pathToUri, severityRank, type Finding, type Severity } from './finding.js';
import type { Evaluated } from './policy.js';

/** A representative CVSS score per band, so code scanning shows the same severity the gate used. */
const SCORE: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: '0.0',
};
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

type Json = Record<string, unknown>;

function location(f: Finding): Json[] {
  const uri = f.file ?? f.target;
  if (!uri) return [];
  const physical: Json = { artifactLocation: { uri: pathToUri(uri) } };
  if (f.file && f.line) {
    physical.region = {
      startLine: f.line,
      ...(f.endLine && f.endLine >= f.line ? { endLine: f.endLine } : {}),
      ...(f.column ? { startColumn: f.column } : {}),
    };
  }
  return [{ physicalLocation: physical }];
}

export function mergedSarif(
  reported: Evaluated[],
  version: string,
  toolsRead: readonly string[] = [],
  categoryPrefix = 'security-gate',
): Json {
  const byTool = new Map<string, Evaluated[]>(toolsRead.map((tool) => [tool, []]));
  for (const e of reported) {
    const list = byTool.get(e.finding.tool) ?? [];
    list.push(e);
    byTool.set(e.finding.tool, list);
  }
  const runs = [...byTool.keys()].sort().map((tool) => {
    const evaluated = byTool.get(tool)!;
    const severities = new Map<string, Set<Severity>>();
    for (const { finding } of evaluated) {
      const set = severities.get(finding.ruleId) ?? new Set<Severity>();
      set.add(finding.severity);
      severities.set(finding.ruleId, set);
    }
    const rules: Json[] = [];
    const ruleIndex = new Map<string, number>();
    const results = evaluated.map(({ finding: f, failing }) => {
      let index = ruleIndex.get(f.ruleId);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(f.ruleId, index);
        const ruleSeverities = [...severities.get(f.ruleId)!];
        const worst = ruleSeverities.reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
        rules.push({
          id: f.ruleId,
          shortDescription: { text: f.title || f.ruleId },
          ...(f.url ? { helpUri: f.url } : {}),
          defaultConfiguration: { level: LEVEL[worst] },
          properties: {
            ...(ruleSeverities.length === 1 ? { 'security-severity': SCORE[worst] } : {}),
            tags: ['security', f.kind],
          },
        });
      }
      const pkg = f.package
        ? `\nPackage: ${f.package.name} ${f.package.installed ?? ''}${f.package.fixed ? `, fixed in ${f.package.fixed}` : ''}`
        : '';
      return {
        ruleId: f.ruleId,
        ruleIndex: index,
        level: LEVEL[f.severity],
        message: { text: `${f.title}${pkg}` },
        locations: location(f),
        partialFingerprints: { 'securityGate/v1': f.fingerprint },
        properties: { severity: f.severity, failing, report: f.report },
      };
    });
    return {
      tool: { driver: { name: tool, rules, properties: { gatedBy: `security-gate ${version}` } } },
      automationDetails: { id: `${categoryPrefix}/${tool}/` },
      results,
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs,
  };
}
