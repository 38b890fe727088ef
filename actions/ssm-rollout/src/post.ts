import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig } from '../../lib/aws.js';
import { realSleep } from '../../lib/retry.js';
import { appendSummary, getState, info, warning } from '../../lib/runner.js';
import { CANCEL_BUDGET_MS, restoreInstances, restoreLines, restoreSummary } from './cancel.js';
import { getInputs, scriptOptions } from './inputs.js';
import { markInterrupted, releaseLock } from './lock.js';
import { cancelCommands } from './rollout.js';
import { rollbackScript } from './script.js';

/**
 * The post step (runs after the job's steps, also when the workflow was cancelled). When the main step did not
 * finish, commands it sent may still be running: cancel them; with restore-on-cancel, send every instance the
 * rollout touched back to its previous release within the time a cancelled job gets (CANCEL_BUDGET_MS). The
 * lock is released when that worked; otherwise it is marked interrupted for the next rollout to repair first.
 */
export async function post(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (getState('finished', env) === 'true') return;
  const started = Date.now();
  const commandIds = getState('command-ids', env).split(' ').filter(Boolean);
  const instances = getState('instances', env).split(' ').filter(Boolean);
  const lockParameter = getState('lock-parameter', env);
  const owner = getState('lock-owner', env);
  const rolloutId = getState('rollout-id', env);
  if (commandIds.length === 0 && !lockParameter) return;
  const ssm = new SSMClient(awsClientConfig(getState('region', env) || undefined));
  const deps = { ssm, sleep: realSleep, now: Date.now, log: info };
  const inputs = getInputs(env);
  const wavesDone = getState('waves-done', env);
  if (wavesDone) {
    // Cancelled after its last wave: the instances are where the rollout (or its own rollback) left them.
    if (lockParameter && (await releaseLock(deps, lockParameter, owner)))
      info(`lock ${lockParameter} released`);
    warning(
      `ssm-rollout was stopped after its waves had ended (${wavesDone}); nothing to restore` +
        (wavesDone === 'succeeded' && inputs.releaseParameter
          ? `, but ${inputs.releaseParameter} may still name the previous release.`
          : '.'),
    );
    return;
  }
  if (!inputs.restoreOnCancel || !rolloutId || instances.length === 0) {
    info(`ssm-rollout did not finish: cancelling ${commandIds.length} command(s)`);
    await cancelCommands(deps, commandIds);
    if (lockParameter && (await releaseLock(deps, lockParameter, owner)))
      info(`lock ${lockParameter} released`);
    if (instances.length > 0)
      warning(`restore-on-cancel is false: ${instances.join(' ')} stay as the cancelled rollout left them.`);
    return;
  }
  info(
    `ssm-rollout did not finish: cancelling ${commandIds.length} command(s), then restoring ${instances.join(' ')} ` +
      `to the previous release (within ${CANCEL_BUDGET_MS / 1000} s)`,
  );
  const report = await restoreInstances(deps, {
    commandIds,
    instances,
    rollbackScript: rollbackScript(scriptOptions(inputs, rolloutId)),
    comment: `ssm-rollout cancel ${env.GITHUB_REPOSITORY ?? ''}@${inputs.commit.slice(0, 7)}`,
    until: started + CANCEL_BUDGET_MS,
  });
  for (const line of restoreLines(report)) info(line);
  let released = false;
  if (report.complete) {
    released = await releaseLock(deps, lockParameter, owner);
    if (released) info(`lock ${lockParameter} released`);
  } else {
    await markInterrupted(deps, lockParameter, owner, { rolloutId, instances, at: new Date().toISOString() });
    warning(
      `Not every instance could be restored in time; the lock ${lockParameter} is left marked as interrupted, ` +
        'and the next rollout repairs these instances before anything else.',
    );
  }
  appendSummary(restoreSummary(report, lockParameter, released), env);
}
