/**
 * Cancel means consistent: when the workflow is cancelled mid-rollout, the post step stops the deploy commands
 * still running and sends every instance this rollout touched back to its previous release (the rollback
 * script acts only where this rollout's ID is recorded), within the time GitHub gives a cancelled job. The next
 * rollout uses the same repair when a lock says an earlier one was interrupted.
 */
import { SummaryBuilder } from '../../lib/summary.js';
import { cancelCommands, Rollout, type RestoreOutcome, type RolloutDeps } from './rollout.js';

/**
 * GitHub's documented cancellation sequence (docs.github.com/en/actions/reference/workflow-cancellation-reference):
 * the running step gets SIGINT, SIGTERM 7,500 ms later and is killed 2,500 ms after that; "after the 5 minute
 * cancellation timeout period, the server will forcibly terminate all jobs and steps that are still running".
 * So the post step starts about 10 s into those 5 minutes; 4 minutes leaves time to report and release the lock.
 */
export const CANCEL_BUDGET_MS = 240_000;
/** Of the budget, how long the cancelled deploy commands may take to stop before the restore is sent. */
const SETTLE_MS = 60_000;

/** Script verdicts after which an instance is as consistent as it can be made. */
const SETTLED = new Set(['rolled-back', 'unchanged', 'no-previous']);

export function settled(outcome: RestoreOutcome): boolean {
  // no-previous (exit 12): a first deployment has no earlier release to return to; the next rollout replaces it.
  return (
    outcome.finished &&
    SETTLED.has(outcome.result ?? '') &&
    (outcome.status === 'Success' || outcome.result === 'no-previous')
  );
}

export interface RestoreRequest {
  /** Deploy commands the interrupted rollout sent (cancelled first). */
  commandIds: string[];
  /** Instances the interrupted rollout sent its deploy script to. */
  instances: string[];
  rollbackScript: string;
  comment: string;
  /** When the restore must be over (ms since the epoch). */
  until: number;
}

export interface RestoreReport {
  /** Instances whose deploy command had not stopped in time: not restored, left for the next rollout. */
  stillDeploying: string[];
  outcomes: RestoreOutcome[];
  /** Every touched instance settled: the fleet serves one release again. */
  complete: boolean;
}

/** Cancels the deploy commands, waits for them to stop, then restores the touched instances. */
export async function restoreInstances(deps: RolloutDeps, request: RestoreRequest): Promise<RestoreReport> {
  if (request.commandIds.length > 0) await cancelCommands(deps, request.commandIds);
  const remainingSeconds = () => Math.max(1, Math.floor((request.until - deps.now()) / 1000));
  const rollout = (seconds: number) =>
    new Rollout(deps, {
      plan: { strategy: 'all-at-once', fleetSize: 0, batchSize: 0, minHealthy: 0, waves: [] },
      deployScript: '',
      rollbackScript: request.rollbackScript,
      commandTimeoutSeconds: seconds,
      deliveryTimeoutSeconds: 30,
      rollback: true,
      comment: request.comment,
    });
  const stillDeploying =
    request.commandIds.length > 0
      ? await rollout(remainingSeconds()).settle(
          request.commandIds,
          Math.min(request.until, deps.now() + SETTLE_MS),
        )
      : [];
  const targets = request.instances.filter((id) => !stillDeploying.includes(id));
  // The restore command is given what is left of the budget as its execution timeout, so nothing keeps
  // changing an instance after the report.
  const outcomes =
    targets.length > 0 ? await rollout(remainingSeconds()).restore(targets, request.until) : [];
  return {
    stillDeploying,
    outcomes,
    complete: stillDeploying.length === 0 && outcomes.every(settled),
  };
}

function verdict(outcome: RestoreOutcome): string {
  if (!outcome.finished) return 'still running when the time was up';
  if (outcome.result === 'rolled-back') return 'back on the previous release, healthy';
  if (outcome.result === 'unchanged') return 'not changed by this rollout';
  if (outcome.result === 'no-previous') return 'no previous release to return to (first deployment)';
  return `${outcome.status}${outcome.result ? ` (${outcome.result})` : ''}`;
}

export function restoreLines(report: RestoreReport): string[] {
  return [
    ...report.stillDeploying.map((id) => `${id}: its deploy command did not stop in time; not restored`),
    ...report.outcomes.map((o) => `${o.instanceId}: ${verdict(o)} (command ${o.commandId})`),
  ];
}

export function restoreSummary(report: RestoreReport, lock: string, lockReleased: boolean): string {
  const summary = new SummaryBuilder();
  summary.heading(`ssm-rollout: cancelled, ${report.complete ? 'instances restored' : 'restore INCOMPLETE'}`);
  summary.paragraph(
    report.complete
      ? `The workflow was cancelled mid-rollout. Every instance the rollout touched is back on the previous release (or was never changed), so the fleet serves one release. ${lockReleased ? `Lock \`${lock}\` released.` : ''}`
      : `The workflow was cancelled mid-rollout and not every instance could be restored in the time a cancelled job gets. The lock \`${lock}\` is left marked as interrupted: the next rollout repairs these instances before anything else.`,
  );
  summary.table(
    ['Instance', 'After the cancel'],
    [
      ...report.stillDeploying.map((id) => [id, 'deploy command did not stop in time; not restored']),
      ...report.outcomes.map((o) => [o.instanceId, verdict(o)]),
    ],
    { noun: 'instances' },
  );
  return summary.toString();
}
