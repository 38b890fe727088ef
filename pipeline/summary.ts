/** The rehearsal's job summary: one row per step, the checks made against the real components, each step's own summary. */

export type StepStatus = 'passed' | 'failed' | 'not run';

export interface StepRecord {
  /** A stable id (release-1, broken-release, ...), the key of the step in rehearsal.json. */
  id: string;
  name: string;
  status: StepStatus;
  seconds: number;
  detail: string;
}

export interface CheckRecord {
  /** The id of the step that made the check. */
  step: string;
  what: string;
  ok: boolean;
  detail: string;
}

export interface PipelineReport {
  commit: string;
  steps: StepRecord[];
  checks: CheckRecord[];
  /** Files the rehearsal leaves behind for the reader. */
  artifacts: { what: string; path: string }[];
  /** Each action step's own GITHUB_STEP_SUMMARY. */
  stepSummaries: { step: string; markdown: string }[];
  cleanupFailures: string[];
}

const ICON: Record<StepStatus, string> = { passed: '✅', failed: '❌', 'not run': '⏭️' };

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

export function passed(report: PipelineReport): boolean {
  return (
    report.steps.every((s) => s.status === 'passed') &&
    report.checks.every((c) => c.ok) &&
    report.cleanupFailures.length === 0
  );
}

export function renderSummary(report: PipelineReport): string {
  const lines = [
    `## Local pipeline rehearsal: ${passed(report) ? 'passed' : 'FAILED'}`,
    '',
    `Commit \`${report.commit}\`. Steps run with the bundles in \`dist/\`, as the deploy workflow runs them.`,
    '',
    '| Step | Result | Time | Detail |',
    '| --- | --- | ---: | --- |',
    ...report.steps.map(
      (s) =>
        `| ${cell(s.name)} | ${ICON[s.status]} ${s.status} | ${s.status === 'not run' ? '' : `${s.seconds.toFixed(1)} s`} | ${cell(s.detail)} |`,
    ),
  ];
  if (report.checks.length > 0) {
    lines.push('', '### Checks against the real components', '');
    for (const c of report.checks) lines.push(`- ${c.ok ? '✅' : '❌'} ${c.what}: ${c.detail}`);
  }
  if (report.cleanupFailures.length > 0) {
    lines.push('', '### Clean-up failures', '');
    for (const failure of report.cleanupFailures) lines.push(`- ${failure}`);
  }
  if (report.artifacts.length > 0) {
    lines.push('', '### Left for you', '');
    for (const a of report.artifacts) lines.push(`- ${a.what}: \`${a.path}\``);
  }
  for (const { step, markdown } of report.stepSummaries) {
    if (markdown.trim() === '') continue;
    lines.push(
      '',
      `<details><summary>${step}: its job summary</summary>`,
      '',
      markdown.trim(),
      '',
      '</details>',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `.pipeline-local/rehearsal.json`: each step by id, whether it passed, and the checks it made. */
export interface RehearsalJson {
  commit: string;
  passed: boolean;
  steps: {
    id: string;
    title: string;
    passed: boolean;
    seconds: number;
    checks: { name: string; passed: boolean; detail: string }[];
  }[];
}

export function rehearsalJson(report: PipelineReport): RehearsalJson {
  return {
    commit: report.commit,
    passed: passed(report),
    steps: report.steps.map((s) => {
      const checks = report.checks.filter((c) => c.step === s.id);
      return {
        id: s.id,
        title: s.name,
        passed: s.status === 'passed' && checks.every((c) => c.ok),
        seconds: Math.round(s.seconds * 10) / 10,
        checks: checks.map((c) => ({ name: c.what, passed: c.ok, detail: c.detail })),
      };
    }),
  };
}
