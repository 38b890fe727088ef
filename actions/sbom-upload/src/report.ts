/** Counts for the job summary: components by ecosystem and scope, licences found. */
import { SummaryBuilder } from '../../lib/summary.js';
import { ecosystemOf, type Inventory } from './inventory.js';
import type { PurlReport } from './snapshot.js';

export interface Counts {
  byEcosystem: { ecosystem: string; required: number; optional: number; dev: number; total: number }[];
  licenses: { license: string; count: number }[];
  unlicensed: number;
}

export function countInventory(inventory: Inventory): Counts {
  const eco = new Map<string, { required: number; optional: number; dev: number; total: number }>();
  const licenses = new Map<string, number>();
  let unlicensed = 0;
  for (const pkg of inventory.packages) {
    const key = ecosystemOf(pkg);
    const row = eco.get(key) ?? { required: 0, optional: 0, dev: 0, total: 0 };
    row[pkg.scope]++;
    if (pkg.dev) row.dev++;
    row.total++;
    eco.set(key, row);
    if (pkg.licenses.length === 0) unlicensed++;
    for (const license of pkg.licenses) licenses.set(license, (licenses.get(license) ?? 0) + 1);
  }
  return {
    byEcosystem: [...eco.entries()]
      .map(([ecosystem, row]) => ({ ecosystem, ...row }))
      .sort((a, b) => b.total - a.total || a.ecosystem.localeCompare(b.ecosystem)),
    licenses: [...licenses.entries()]
      .map(([license, count]) => ({ license, count }))
      .sort((a, b) => b.count - a.count || a.license.localeCompare(b.license)),
    unlicensed,
  };
}

export interface Results {
  sbomPath: string;
  format: string;
  source: string;
  artifact?: { name: string; id?: number; size?: number } | 'skipped';
  snapshot?: { id: number; result: string; purls: PurlReport } | 'skipped';
  attestation?: { url?: string; id?: string } | 'skipped';
  /** Set when the step failed after the SBOM was written. */
  failure?: string;
}

const NOT_REACHED = 'not reached (the step failed before it)';

export function summaryMarkdown(inventory: Inventory, counts: Counts, results: Results): string {
  const s = new SummaryBuilder();
  s.heading(`SBOM: ${inventory.root.name}${inventory.root.version ? `@${inventory.root.version}` : ''}`);
  s.paragraph(
    `${inventory.packages.length} components from \`${results.source}\`, written as ${results.format} to \`${results.sbomPath}\`.`,
  );
  const lines: string[] = [];
  const a = results.artifact;
  lines.push(
    a === 'skipped'
      ? 'Artifact: not uploaded (upload-artifact: false)'
      : !a
        ? `Artifact: ${NOT_REACHED}`
        : `Artifact: \`${a.name}\` uploaded (id ${a.id ?? 'n/a'}, ${a.size ?? 0} bytes)`,
  );
  const sn = results.snapshot;
  if (sn === 'skipped') lines.push('Dependency snapshot: not submitted (dependency-snapshot: false)');
  else if (!sn) lines.push(`Dependency snapshot: ${NOT_REACHED}`);
  else {
    lines.push(
      `Dependency snapshot: submitted (id ${sn.id}, result ${sn.result || 'n/a'}); ` +
        `${sn.purls.sanitized.length} purls sanitized, ${sn.purls.skipped.length} components skipped` +
        (sn.purls.local.length
          ? `, ${sn.purls.local.length} of the project's own packages left out (${sn.purls.local.join(', ')})`
          : ''),
    );
  }
  const at = results.attestation;
  lines.push(
    at === 'skipped'
      ? 'Attestation: not requested (attest: false)'
      : !at
        ? `Attestation: ${NOT_REACHED}`
        : `Attestation: ${at.url ? `[${at.id}](${at.url})` : (at.id ?? 'created')}`,
  );
  s.heading('Upload results', 3);
  if (results.failure) s.paragraph(`**Failed:** ${results.failure}`);
  s.list(lines);
  s.heading('Components by ecosystem and scope', 3).table(
    ['Ecosystem', 'Required', 'Optional', 'of which dev', 'Total'],
    counts.byEcosystem.map((r) => [r.ecosystem, r.required, r.optional, r.dev, r.total]),
  );
  s.heading('Licenses found', 3).table(
    ['License', 'Components'],
    [
      ...counts.licenses.map((l) => [l.license, l.count]),
      ...(counts.unlicensed ? [['(none declared)', counts.unlicensed]] : []),
    ],
    { maxRows: 100, noun: 'licenses' },
  );
  if (sn && sn !== 'skipped' && sn.purls.skipped.length) {
    s.heading('Left out of the dependency snapshot', 3).table(
      ['Component', 'Reason'],
      sn.purls.skipped.map((x) => [x.name, x.reason]),
      { maxRows: 50, noun: 'components' },
    );
  }
  return s.toString();
}
