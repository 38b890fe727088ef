import type { Logger } from '../../logger.js';

/** How long /health/ready waits for each dependency (checked side by side): under Kubernetes' default 1 s probe timeout. */
export const READINESS_BUDGET_MS = 800;

/** One dependency's check. */
export interface DependencyCheck {
  name: 'database' | 'redis' | 'documents';
  /** A required dependency that fails makes the instance not ready (503); an optional one only degraded. */
  required: boolean;
  /** Resolves when the dependency can serve; `signal` aborts once the budget is spent. */
  run: (signal: AbortSignal) => Promise<void>;
  /** The failure as the client may see it: a condition name, never internals (the log has the error). */
  problem: (err: unknown) => string;
}

export interface CheckResult {
  status: 'up' | 'down';
  ms: number;
  problem?: string;
}

export interface ReadinessReport {
  /** not-ready: a required dependency is down; degraded: only optional ones are. */
  status: 'ready' | 'degraded' | 'not-ready';
  checks: Record<string, CheckResult>;
}

class BudgetSpent extends Error {}

/**
 * Checks every configured dependency at once, each within the budget, and logs each dependency's changes
 * (down with the error, up again) once, not at every probe.
 */
export class Readiness {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly checks: DependencyCheck[],
    private readonly logger: Logger,
    private readonly budgetMs = READINESS_BUDGET_MS,
  ) {}

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map((check) => this.run(check)));
    const down = this.checks.filter((_, i) => results[i]!.status === 'down');
    return {
      status: down.some((c) => c.required) ? 'not-ready' : down.length > 0 ? 'degraded' : 'ready',
      checks: Object.fromEntries(this.checks.map((c, i) => [c.name, results[i]!])),
    };
  }

  private async run(check: DependencyCheck): Promise<CheckResult> {
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Rejected before the abort, so the race ends as a timeout, not as the aborted check's own error.
        reject(new BudgetSpent(`no answer within ${this.budgetMs} ms`));
        controller.abort();
      }, this.budgetMs);
    });
    let result: CheckResult;
    let error: unknown;
    try {
      await Promise.race([check.run(controller.signal), budget]);
      result = { status: 'up', ms: Math.round(performance.now() - started) };
    } catch (err) {
      error = err;
      const problem = err instanceof BudgetSpent ? 'timeout' : check.problem(err);
      result = { status: 'down', ms: Math.round(performance.now() - started), problem };
    } finally {
      clearTimeout(timer);
    }
    this.logChange(check, result, error);
    return result;
  }

  private logChange(check: DependencyCheck, result: CheckResult, error: unknown): void {
    const state = result.problem ?? 'up';
    const before = this.last.get(check.name);
    this.last.set(check.name, state);
    if (state === before || (before === undefined && state === 'up')) return;
    if (state === 'up') this.logger.info({ dependency: check.name }, `readiness: ${check.name} is up again`);
    else
      this.logger.warn(
        { dependency: check.name, problem: state, err: error },
        `readiness: ${check.name} is down (${state})`,
      );
  }
}
