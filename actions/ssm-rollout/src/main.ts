/** Reads the inputs, builds the SSM client, resolves and plans, then rolls out (or prints the dry run). */
import { randomUUID } from 'node:crypto';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig } from '../../lib/aws.js';
import { realSleep } from '../../lib/retry.js';
import { runMain } from '../../lib/run-main.js';
import {
  appendSummary,
  endGroup,
  getState,
  info,
  saveState,
  setOutput,
  startGroup,
  warning,
} from '../../lib/runner.js';
import { bake, MAX_BASELINE } from './canary.js';
import { failureLines } from './canary-policy.js';
import { DEFAULT_HISTOGRAM } from './canary-stats.js';
import { restoreInstances, restoreLines, settled } from './cancel.js';
import { gitAncestry } from './git.js';
import { getInputs, scriptOptions, type Inputs } from './inputs.js';
import { acquireLock, releaseLock, type Interrupted } from './lock.js';
import { checkParameterPath, writeReleaseParameter } from './parameters.js';
import { planLines, dryRunSummary, rolloutSummary } from './report.js';
import { planWaves } from './planner.js';
import { post } from './post.js';
import { checkDowngrade, readRelease } from './release.js';
import { runRollout, type FirstWaveCheck } from './rollout.js';
import { deployScript, metricsScript, rollbackScript, runShellCommand } from './script.js';
import { resolveTargets, unavailable } from './targets.js';

function metricsCommand(inputs: Inputs): string {
  return metricsScript({
    runtime: inputs.runtime,
    containerName: inputs.containerName,
    metricsPort: inputs.canary.metricsPort,
    metricsPath: inputs.canary.metricsPath,
    tokenParameter: inputs.canary.tokenParameter,
    region: inputs.region,
    histogram: DEFAULT_HISTOGRAM,
  });
}

/** How long one metrics command may run on an instance (s). */
const METRICS_TIMEOUT_SECONDS = 60;

/**
 * The canary analysis after the first wave: its instances, and (with compare-to-baseline, when there was a
 * previous release) up to MAX_BASELINE instances of the later waves, read before and after the bake. The
 * health and metrics paths are left out of the traffic: probes and scrapes are not what users get.
 */
function canaryAnalysis(inputs: Inputs, deps: Parameters<typeof runRollout>[0]) {
  const { canary } = inputs;
  const excluded = new Set([inputs.healthPath, canary.metricsPath]);
  return async (check: FirstWaveCheck) => {
    const withBaseline = canary.compareToBaseline && check.previousImage !== '';
    if (canary.compareToBaseline && !withBaseline)
      deps.log('canary analysis: no previous release (a first deployment), so no baseline to compare with');
    return bake(deps, check.run(metricsCommand(inputs), METRICS_TIMEOUT_SECONDS), {
      canaryIds: check.wave.instanceIds,
      baselineIds: withBaseline ? check.laterIds.slice(0, MAX_BASELINE) : [],
      bakeMs: canary.bakeMs,
      policy: canary.policy,
      window: { include: (labels) => !excluded.has(labels.route ?? '') },
    });
  };
}

/** Refuses to replace the live release with an older commit, unless allow-downgrade says it is a rollback. */
async function checkNotDowngrade(
  env: NodeJS.ProcessEnv,
  inputs: Inputs,
  deps: Parameters<typeof readRelease>[0],
): Promise<void> {
  if (!inputs.releaseParameter) return;
  const live = await readRelease(deps, inputs.releaseParameter);
  const found = await checkDowngrade(
    {
      parameter: inputs.releaseParameter,
      live,
      commit: inputs.commit,
      allowDowngrade: inputs.allowDowngrade,
    },
    gitAncestry(env.GITHUB_WORKSPACE ?? process.cwd()),
  );
  info(`downgrade check: ${found}`);
}

/** The repair of an interrupted rollout (a lock marked so), before this rollout may take the lock. */
function repairInterrupted(env: NodeJS.ProcessEnv, inputs: Inputs, deps: Parameters<typeof runRollout>[0]) {
  return async (interrupted: Interrupted, held: { owner: string }): Promise<void> => {
    const report = await restoreInstances(deps, {
      commandIds: [],
      instances: interrupted.instances,
      rollbackScript: rollbackScript(scriptOptions(inputs, interrupted.rolloutId)),
      comment: `ssm-rollout repair ${env.GITHUB_REPOSITORY ?? ''}`,
      until: deps.now() + inputs.commandTimeoutMs + 60_000,
    });
    for (const line of restoreLines(report)) info(`repair: ${line}`);
    if (!report.complete) {
      const left = report.outcomes.filter((o) => !settled(o)).map((o) => o.instanceId);
      throw new Error(
        `The rollout of ${held.owner} was interrupted and its instances could not all be put back ` +
          `(${left.join(', ')}); nothing else was changed and the lock ${inputs.lockParameter} is left as it is. ` +
          'Check those instances (the job summary has their output), then run again.',
      );
    }
  };
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = getInputs(env);
  const ssm = new SSMClient(awsClientConfig(inputs.region));
  const log = info;
  const deps = {
    ssm,
    sleep: realSleep,
    now: Date.now,
    log,
    onCommandSent: (ids: readonly string[], instances: readonly string[]) => {
      saveState('command-ids', ids.join(' '), env);
      saveState('instances', instances.join(' '), env);
    },
  };
  saveState('region', inputs.region, env);

  const ec2 = new EC2Client(awsClientConfig(inputs.region));
  const resolved = await resolveTargets(inputs.targets, { ...deps, ec2 });
  const offline = unavailable(resolved);
  if (offline.length > 0) {
    const lines = offline.map((o) => `${o.instance.instanceId}: ${o.reason}`);
    if (!inputs.skipOffline) {
      throw new Error(
        `Input 'targets': ${offline.length} of ${resolved.length} instance(s) cannot run the command, so nothing was ` +
          `changed: ${lines.join('; ')}. Bring them online, or set skip-offline: true to roll out to the others.`,
      );
    }
    for (const line of lines) warning(`skipped (skip-offline): ${line}`);
  }
  const skipped = new Set(offline.map((o) => o.instance.instanceId));
  const fleet = resolved.map((r) => r.instanceId).filter((id) => !skipped.has(id));
  const plan = planWaves(fleet, {
    strategy: inputs.strategy,
    batchSize: inputs.batchSize,
    minHealthy: inputs.minHealthy,
  });
  startGroup(`Plan: ${plan.waves.length} wave(s) over ${plan.fleetSize} instance(s)`);
  for (const line of planLines(plan)) log(line);
  endGroup();

  if (inputs.envParametersPath) {
    const count = await checkParameterPath(deps, inputs.envParametersPath);
    log(`env-parameters-path ${inputs.envParametersPath}: ${count}${count === 50 ? '+' : ''} parameter(s)`);
  }

  const rolloutId = `${env.GITHUB_RUN_ID ?? 'local'}.${env.GITHUB_RUN_ATTEMPT ?? '1'}.${randomUUID()}`;
  const options = scriptOptions(inputs, rolloutId);
  const deploy = deployScript(options);
  const rollbackCommand = rollbackScript(options);

  const list = (ids: string[]) => ids.join(' ');
  if (inputs.dryRun) {
    await checkNotDowngrade(env, inputs, deps);
    const command = runShellCommand(deploy);
    startGroup('Dry run: the command each instance would run (AWS-RunShellScript)');
    log(command);
    endGroup();
    startGroup('Dry run: the rollback command updated instances would get if a later wave failed');
    log(runShellCommand(rollbackCommand));
    endGroup();
    if (inputs.canary.bakeMs > 0) {
      startGroup('Dry run: the command that reads the metrics for the canary analysis');
      log(runShellCommand(metricsCommand(inputs)));
      endGroup();
    }
    appendSummary(dryRunSummary(plan, inputs.image.reference, command), env);
    setOutput('status', 'dry-run', env);
    setOutput('deployed-instances', '', env);
    setOutput('failed-instances', '', env);
    setOutput('rolled-back', 'false', env);
    setOutput('rolled-back-instances', '', env);
    setOutput('command-ids', '', env);
    setOutput('previous-image', '', env);
    setOutput('planned-instances', list(fleet), env);
    setOutput('canary-verdict', '', env);
    log('dry-run: nothing was changed.');
    return;
  }

  // The lock lives as long as the slowest possible rollout: every wave and the rollback at their timeouts.
  const perCommandMs = inputs.commandTimeoutMs + (600 + 60) * 1000;
  const bakeMs = inputs.canary.bakeMs
    ? inputs.canary.bakeMs + 2 * (METRICS_TIMEOUT_SECONDS + 600 + 60) * 1000
    : 0;
  const owner = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''} ${randomUUID()}`;
  await acquireLock(
    deps,
    inputs.lockParameter,
    owner,
    (plan.waves.length + 1) * perCommandMs + bakeMs,
    repairInterrupted(env, inputs, deps),
  );
  saveState('lock-parameter', inputs.lockParameter, env);
  saveState('lock-owner', owner, env);
  saveState('rollout-id', rolloutId, env);
  try {
    await checkNotDowngrade(env, inputs, deps);
    await rollOut(env, inputs, deps, plan, deploy, rollbackCommand, fleet);
  } finally {
    if (await releaseLock(deps, inputs.lockParameter, owner)) log(`lock ${inputs.lockParameter} released`);
  }
}

async function rollOut(
  env: NodeJS.ProcessEnv,
  inputs: Inputs,
  deps: Parameters<typeof runRollout>[0],
  plan: ReturnType<typeof planWaves>,
  deploy: string,
  rollbackCommand: string,
  fleet: string[],
): Promise<void> {
  const log = deps.log;
  const list = (ids: string[]) => ids.join(' ');
  const result = await runRollout(deps, {
    plan,
    deployScript: deploy,
    rollbackScript: rollbackCommand,
    commandTimeoutSeconds: Math.ceil(inputs.commandTimeoutMs / 1000),
    rollback: inputs.rollback,
    comment: `ssm-rollout ${env.GITHUB_REPOSITORY ?? ''}@${(env.GITHUB_SHA ?? '').slice(0, 7)}`,
    afterFirstWave: inputs.canary.bakeMs > 0 ? canaryAnalysis(inputs, deps) : undefined,
  });
  // From here on every wave (and any rollback) is over: a cancel now has nothing to put back.
  saveState('waves-done', result.status, env);
  log(`SSM API calls: ${result.apiCalls}`);
  appendSummary(rolloutSummary(plan, inputs.image.reference, result), env);
  const previous = result.instances.find((i) => i.previousImage)?.previousImage ?? '';
  setOutput('status', result.status, env);
  setOutput('deployed-instances', list(result.updated), env);
  setOutput('failed-instances', list(result.failed), env);
  setOutput('rolled-back', String(result.rolledBack.length > 0 || result.status === 'rolled-back'), env);
  setOutput('rolled-back-instances', list(result.rolledBack), env);
  setOutput('command-ids', list(result.commandIds), env);
  setOutput('previous-image', previous, env);
  setOutput('planned-instances', list(fleet), env);
  setOutput('canary-verdict', result.canary?.outcome ?? '', env);
  if (result.canary?.outcome === 'insufficient-traffic') {
    warning(
      `Canary analysis: too little traffic to judge (${failureLines(result.canary).join('; ')}); promoted because insufficient-traffic is promote.`,
    );
  }

  if (result.status === 'succeeded') {
    if (inputs.releaseParameter) {
      await writeReleaseParameter(deps, inputs.releaseParameter, {
        image: inputs.image.reference,
        digest: inputs.image.digest,
        commit: inputs.commit,
        time: new Date(deps.now()).toISOString(),
        instanceCount: result.updated.length,
      });
      log(`release recorded in ${inputs.releaseParameter}`);
    }
    return;
  }
  if (result.canary && !result.canary.promote) throw new Error(canaryError(result, inputs.rollback));
  const where = result.failedWave ? ` at wave ${result.failedWave}` : '';
  const failedList = result.failed.join(', ');
  if (result.status === 'rolled-back') {
    throw new Error(
      `Rollout stopped${where}: ${failedList} failed (each restored its previous container); ` +
        `${result.rolledBack.length} already updated instance(s) rolled back. See the job summary for their output.`,
    );
  }
  const rollbackNote = result.rollbackFailed.length
    ? `; rollback FAILED on ${result.rollbackFailed.join(', ')} — check those instances by hand`
    : inputs.rollback
      ? ''
      : `; rollback is off, so ${result.updated.length} instance(s) stay on the new image`;
  throw new Error(
    `Rollout failed${where}: ${failedList} failed${rollbackNote}. See the job summary for their output.`,
  );
}

/** Why the canary analysis stopped the rollout, with the figures, and where the canary instances are now. */
function canaryError(result: Awaited<ReturnType<typeof runRollout>>, rollback: boolean): string {
  const canary = result.canary!;
  const seconds = Math.round(canary.windowMs / 1000);
  const where = result.rollbackFailed.length
    ? `rollback FAILED on ${result.rollbackFailed.join(', ')} — check those instances by hand`
    : rollback
      ? `${canary.canaryIds.join(', ')} rolled back to the previous release`
      : `rollback is off, so ${canary.canaryIds.join(', ')} stay on the new image`;
  return (
    `Canary analysis stopped the rollout after a ${seconds} s bake: ${failureLines(canary).join('; ')}. ` +
    `${where}; no other instance was touched. See the job summary for every instance's figures.`
  );
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (getState('is-post', env) === 'true') {
    await runMain(() => post(env));
    return;
  }
  saveState('is-post', 'true', env);
  try {
    await runMain(() => main(env));
  } finally {
    saveState('finished', 'true', env);
  }
}
