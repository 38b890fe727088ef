/** Job summary and log lines for a plan and a rollout. Pure: returns Markdown. */
import { SummaryBuilder } from '../../lib/summary.js';
import type { CanaryReport } from './canary.js';
import { milliseconds, percent } from './canary-policy.js';
import type { Plan } from './planner.js';
import type { RolloutResult } from './rollout.js';

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

export function planLines(plan: Plan): string[] {
  return plan.waves.map(
    (w) =>
      `wave ${w.index}${w.canary ? ' (canary)' : ''}: ${w.instanceIds.length} instance(s): ${w.instanceIds.join(' ')}`,
  );
}

function planTable(summary: SummaryBuilder, plan: Plan): void {
  summary.paragraph(
    `Strategy **${plan.strategy}**, ${plan.fleetSize} instance(s) in ${plan.waves.length} wave(s); ` +
      `at least ${plan.minHealthy} instance(s) stay untouched during every wave.`,
  );
  summary.table(
    ['Wave', 'Instances', 'IDs'],
    plan.waves.map((w) => [
      `${w.index}${w.canary ? ' (canary)' : ''}`,
      w.instanceIds.length,
      w.instanceIds.join(' '),
    ]),
    { noun: 'waves' },
  );
}

export function dryRunSummary(plan: Plan, image: string, command: string): string {
  const summary = new SummaryBuilder();
  summary.heading('ssm-rollout: dry run (nothing was changed)');
  summary.paragraph(`Image \`${image}\``);
  planTable(summary, plan);
  summary.paragraph(`The command each instance would run:\n\n\`\`\`bash\n${command}\n\`\`\``);
  return summary.toString();
}

export function rolloutSummary(plan: Plan, image: string, result: RolloutResult): string {
  const summary = new SummaryBuilder();
  const verdict = { succeeded: 'succeeded', 'rolled-back': 'rolled back', failed: 'failed' }[result.status];
  summary.heading(`ssm-rollout: ${verdict}`);
  summary.paragraph(
    `Image \`${image}\`: ${result.updated.length} updated, ${result.failed.length} failed, ` +
      `${result.rolledBack.length} rolled back${result.failedWave ? `; stopped at wave ${result.failedWave}` : ''}.`,
  );
  planTable(summary, plan);
  if (result.canary) canaryTable(summary, result.canary);
  const byId = new Map(result.instances.map((i) => [i.instanceId, i]));
  const rows = plan.waves.flatMap((w) =>
    w.instanceIds.map((id) => {
      const r = byId.get(id);
      if (!r) return [id, w.index, 'not started', '', '', '', ''];
      const rollback = r.rollback
        ? `${r.rollback.status}${r.rollback.result ? ` (${r.rollback.result})` : ''}`
        : '';
      return [id, w.index, r.status, seconds(r.durationMs), r.result ?? '', rollback, r.outputTail];
    }),
  );
  summary.heading('Instances', 3);
  summary.table(['Instance', 'Wave', 'Result', 'Duration', 'Health', 'Rollback', 'Last output'], rows, {
    noun: 'instances',
  });
  return summary.toString();
}

const OUTCOME = {
  passed: 'passed: promoted',
  failed: 'failed: rolled back',
  'insufficient-traffic': 'too little traffic to judge: promoted (insufficient-traffic: promote)',
} as const;

/** The canary analysis: the verdict, then one row per instance read (canary first, then the baseline). */
function canaryTable(summary: SummaryBuilder, report: CanaryReport): void {
  summary.heading(`Canary analysis: ${OUTCOME[report.outcome]}`, 3);
  const baseline = report.baseline
    ? `compared with the baseline (${report.baseline.requests} requests, ${percent(report.baseline.errorShare)} 5xx, p95 ${milliseconds(report.baseline.latency)})`
    : (report.baselineNote ?? 'no baseline');
  summary.paragraph(`Window of ${(report.windowMs / 1000).toFixed(0)} s between two readings; ${baseline}.`);
  summary.table(
    ['Instance', 'Role', 'Release', 'Requests', '5xx share', 'p95', 'Verdict'],
    report.rows.map((r) => [
      r.instanceId,
      r.role,
      r.image || '?',
      r.stats ? r.stats.requests : '–',
      r.stats ? `${percent(r.stats.errorShare)} (${r.stats.errors})` : '–',
      milliseconds(r.stats?.latency),
      r.reasons.length ? `${r.verdict}: ${r.reasons.join('; ')}` : r.verdict,
    ]),
    { noun: 'instances' },
  );
}
