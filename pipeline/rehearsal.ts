/**
 * Bookkeeping of a rehearsal run: steps run in order and are timed; once one fails, the rest are recorded
 * as "not run"; a check records what was compared and fails its step when the comparison does not hold.
 */
import type { PipelineReport, StepStatus } from './summary.js';

export class CheckFailed extends Error {}

export class Rehearsal {
  readonly report: PipelineReport;
  private failed = false;

  constructor(
    commit: string,
    private readonly print: (line: string) => void,
    /** Applied to error messages before they are shown (masks secrets). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {
    this.report = { commit, steps: [], checks: [], artifacts: [], stepSummaries: [], cleanupFailures: [] };
  }

  private current = '';

  /** Runs `body` unless an earlier step failed; its result is the step's detail line. `id` names it in rehearsal.json. */
  async step(id: string, name: string, body: () => Promise<string>): Promise<void> {
    const record = { id, name, status: 'not run' as StepStatus, seconds: 0, detail: '' };
    this.report.steps.push(record);
    if (this.failed) return;
    this.current = id;
    this.print(`\n━━ ${name}`);
    const started = performance.now();
    try {
      record.detail = await body();
      record.status = 'passed';
    } catch (err) {
      this.failed = true;
      record.status = 'failed';
      record.detail = this.redact((err as Error).message);
      this.print(`✖ ${name}: ${record.detail}`);
    }
    record.seconds = (performance.now() - started) / 1000;
  }

  /** Records a comparison against a real component; throws (failing the step) when it does not hold. */
  check(what: string, ok: boolean, detail: string): void {
    this.report.checks.push({ step: this.current, what, ok, detail });
    this.print(`${ok ? '✔' : '✖'} ${what}: ${detail}`);
    if (!ok) throw new CheckFailed(`check failed: ${what}: ${detail}`);
  }
}
