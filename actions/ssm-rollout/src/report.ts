/** Job summary and log lines for a plan and a rollout. Pure: returns Markdown. */
import { SummaryBuilder } from '../../lib/summary.js';
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
