/**
 * The reports the deploy workflow gates on, produced here where the tool can run: ESLint's SARIF over the
 * repository (always), `npm audit --json` (when the registry's audit endpoint answers), a Trivy image scan
 * (when trivy is installed). Where a scanner cannot run, the report is a recorded real one from the gate's
 * fixtures, and the notes say so.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, haveTool } from '../stand-ins/commands.js';

/** A real Trivy SARIF (Trivy's own golden file, see the fixture's SOURCES.md), used when trivy is absent. */
const TRIVY_FIXTURE = 'actions/security-gate/__tests__/fixtures/trivy/golden-alpine-310.sarif';

export interface GateReports {
  files: string[];
  notes: string[];
}

export async function gateReports(
  repo: string,
  dir: string,
  print: (line: string) => void,
  /** Writes the image as an OCI archive to the given path (for Trivy). */
  exportImage: (archive: string) => Promise<void>,
): Promise<GateReports> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const notes: string[] = [];

  const eslintSarif = join(dir, 'eslint.sarif');
  const eslint = await exec(
    join(repo, 'node_modules/.bin/eslint'),
    ['.', '--format', '@microsoft/eslint-formatter-sarif', '--output-file', eslintSarif],
    { cwd: repo },
  );
  // 0: clean, 1: findings (both are reports); anything else is ESLint failing to run.
  if (eslint.code > 1 || !existsSync(eslintSarif))
    throw new Error(`eslint exited ${eslint.code}: ${eslint.stderr.trim()}`);
  files.push(eslintSarif);
  notes.push('ESLint SARIF of this checkout');

  const audit = await exec('npm', ['audit', '--json'], { cwd: repo, timeoutMs: 120_000 });
  const auditReport = parseAudit(audit.stdout);
  if (auditReport) {
    const auditFile = join(dir, 'npm-audit.json');
    writeFileSync(auditFile, audit.stdout);
    files.push(auditFile);
    notes.push('npm audit of this checkout');
  } else {
    const reason = /npm (?:warn|error) audit (.*)/.exec(audit.stderr)?.[1]?.trim() ?? `exit ${audit.code}`;
    print(`npm audit produced no report here (${reason}); the gate runs without it.`);
    notes.push(`npm audit unavailable (${reason})`);
  }

  if (haveTool('trivy')) {
    const imageArchive = join(dir, 'image.oci.tar');
    await exportImage(imageArchive);
    const trivyFile = join(dir, 'trivy.json');
    const scan = await exec(
      'trivy',
      ['image', '--input', imageArchive, '--format', 'json', '--output', trivyFile],
      {
        timeoutMs: 15 * 60_000,
      },
    );
    if (scan.code !== 0) throw new Error(`trivy exited ${scan.code}: ${scan.stderr.trim().slice(-2000)}`);
    files.push(trivyFile);
    notes.push('Trivy scan of the image');
  } else {
    files.push(join(repo, TRIVY_FIXTURE));
    print(
      `trivy is not installed here: the gate reads the recorded Trivy report ${TRIVY_FIXTURE} in its place.`,
    );
    notes.push(`Trivy not installed: recorded report ${TRIVY_FIXTURE}`);
  }
  return { files, notes };
}

/** The npm audit report, when the output is one (npm prints an error object when the endpoint fails). */
function parseAudit(stdout: string): unknown {
  try {
    const parsed = JSON.parse(stdout) as { auditReportVersion?: number; error?: unknown };
    return parsed.auditReportVersion !== undefined && parsed.error === undefined ? parsed : undefined;
  } catch {
    return undefined;
  }
}
