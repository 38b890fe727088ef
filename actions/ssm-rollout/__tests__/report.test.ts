import { expect, test } from '@jest/globals';
import { planWaves } from '../src/planner.js';
import { dryRunSummary, planLines, rolloutSummary } from '../src/report.js';
import type { RolloutResult } from '../src/rollout.js';

const IDS = ['i-00000000000000001', 'i-00000000000000002', 'i-00000000000000003'];
const plan = planWaves(IDS, {
  strategy: 'canary',
  batchSize: { kind: 'count', value: 1 },
  minHealthy: { kind: 'count', value: 1 },
});

/** Splits a Markdown table into rows of cells (a second reading of the output, not the builder's). */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${header} |`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(2, -2).split(' | '));
  }
  return rows;
}

test('when the canary fails, then the summary has the plan and one row per instance, later waves marked not started', () => {
  const result: RolloutResult = {
    status: 'rolled-back',
    instances: [
      {
        instanceId: IDS[0]!,
        wave: 1,
        status: 'Failed',
        result: 'unhealthy-restored',
        durationMs: 12_345,
        outputTail: 'ssm-rollout: not healthy within 60 s\nSSM_ROLLOUT_RESULT=unhealthy-restored',
        commandId: 'c1',
      },
    ],
    wavesRun: 1,
    failedWave: 1,
    commandIds: ['c1'],
    updated: [],
    failed: [IDS[0]!],
    rolledBack: [],
    rollbackFailed: [],
    apiCalls: 4,
  };
  const md = rolloutSummary(plan, 'repo@sha256:x', result);
  expect(md).toContain('## ssm-rollout: rolled back');
  expect(md).toContain('0 updated, 1 failed, 0 rolled back; stopped at wave 1');
  expect(md).toContain('at least 1 instance(s) stay untouched during every wave');
  expect(tableRows(md, 'Wave')).toEqual([
    ['1 (canary)', '1', IDS[0]],
    ['2', '1', IDS[1]],
    ['3', '1', IDS[2]],
  ]);
  expect(tableRows(md, 'Instance')).toEqual([
    [
      IDS[0],
      '1',
      'Failed',
      '12.3 s',
      'unhealthy-restored',
      '',
      'ssm-rollout: not healthy within 60 s SSM_ROLLOUT_RESULT=unhealthy-restored',
    ],
    [IDS[1], '2', 'not started', '', '', '', ''],
    [IDS[2], '3', 'not started', '', '', '', ''],
  ]);
});

test('when dry-run, then the summary holds the plan and the exact command in a bash block', () => {
  const md = dryRunSummary(plan, 'repo@sha256:x', 'echo "the command"');
  expect(md).toContain('dry run (nothing was changed)');
  expect(md).toContain('```bash\necho "the command"\n```');
  expect(planLines(plan)).toEqual([
    `wave 1 (canary): 1 instance(s): ${IDS[0]}`,
    `wave 2: 1 instance(s): ${IDS[1]}`,
    `wave 3: 1 instance(s): ${IDS[2]}`,
  ]);
});
