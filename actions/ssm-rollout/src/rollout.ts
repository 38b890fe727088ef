/**
 * The rollout itself: one SendCommand per chunk of at most 50 instances per wave, bulk polling with
 * ListCommandInvocations until every invocation is terminal, stop at the first failed wave and send the
 * rollback script to every instance already updated. I/O (SSM client, clock, sleep) is injected.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  type CommandInvocation,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { awsCall, isRetryableAwsError, isThrottling } from '../../lib/aws.js';
import type { Sleep } from '../../lib/retry.js';
import type { CanaryReport, Invocation, Sampler } from './canary.js';
import type { Plan, Wave } from './planner.js';
import { parseMarkers, runShellCommand } from './script.js';

export const MAX_INSTANCES_PER_COMMAND = 50;
export const TERMINAL_STATUSES = new Set([
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'Undeliverable',
  'Terminated',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
  'InvalidPlatform',
  'AccessDenied',
]);

/** Invocation states in which the script never started on the instance. */
const NEVER_RAN = new Set(['Undeliverable', 'DeliveryTimedOut', 'InvalidPlatform', 'AccessDenied']);
/** Script verdicts after which the instance is settled: it put its previous container back, or never touched it. */
const SETTLED_RESULTS = new Set([
  'unhealthy-restored',
  'start-failed-restored',
  'environment-unreadable',
  'environment-empty',
  'environment-invalid',
]);

export interface RolloutDeps {
  ssm: Pick<SSMClient, 'send'>;
  sleep: Sleep;
  now: () => number;
  log: (line: string) => void;
  random?: () => number;
  /**
   * Told every command ID, and every instance a command went to, as soon as it is sent (main saves them for
   * the post step).
   */
  onCommandSent?: (allCommandIds: readonly string[], allInstanceIds: readonly string[]) => void;
}

export interface PollPolicy {
  /** Shortest wait between two polls of a wave (ms). */
  minIntervalMs: number;
  /** Longest wait between two polls (ms). */
  maxIntervalMs: number;
  /** The wait grows with the time the wave has run: this fraction of it (bounds the overshoot). */
  fraction: number;
}

export const DEFAULT_POLL: PollPolicy = { minIntervalMs: 2000, maxIntervalMs: 15_000, fraction: 0.04 };

export interface RolloutOptions {
  plan: Plan;
  deployScript: string;
  rollbackScript: string;
  /** Execution timeout of each command on the instance (s). */
  commandTimeoutSeconds: number;
  /** How long SSM may wait for an instance to pick the command up (s, at least 30). */
  deliveryTimeoutSeconds?: number;
  rollback: boolean;
  comment: string;
  poll?: PollPolicy;
  /**
   * Called once the first wave is healthy, before any other instance is touched: the canary analysis. It
   * gets the wave, the image those instances ran before, the instances of the later waves (still on that
   * image) and a sampler that runs a script on instances without counting them as touched. A report that
   * does not promote stops the rollout as a failed first wave (its instances are rolled back).
   */
  afterFirstWave?: (check: FirstWaveCheck) => Promise<CanaryReport>;
}

export interface FirstWaveCheck {
  wave: Wave;
  /** The image the first wave's instances ran before ('' on a first deployment). */
  previousImage: string;
  /** Instances of the later waves, in plan order. */
  laterIds: string[];
  /** Runs `script` on instances (execution timeout `timeoutSeconds`) and returns each one's whole output. */
  run: (script: string, timeoutSeconds: number) => Sampler;
}

export interface InstanceResult {
  instanceId: string;
  wave: number;
  status: string;
  /** The script's own verdict (healthy, unhealthy-restored, ...), when it got that far. */
  result?: string;
  previousImage?: string;
  durationMs?: number;
  outputTail: string;
  commandId: string;
  rollback?: { status: string; result?: string; commandId: string };
}

export type RolloutStatus = 'succeeded' | 'rolled-back' | 'failed';

export interface RolloutResult {
  status: RolloutStatus;
  instances: InstanceResult[];
  /** Waves that ran (1-based index of the last one). */
  wavesRun: number;
  failedWave?: number;
  commandIds: string[];
  updated: string[];
  failed: string[];
  rolledBack: string[];
  rollbackFailed: string[];
  apiCalls: number;
  /** The canary analysis, when afterFirstWave ran. */
  canary?: CanaryReport;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function tail(text: string, lines = 5): string {
  return text.replace(/\s+$/, '').split(/\r?\n/).slice(-lines).join('\n');
}

function invocationStatus(inv: CommandInvocation): string {
  const detail = inv.StatusDetails ?? '';
  return TERMINAL_STATUSES.has(detail) ? detail : (inv.Status ?? 'Pending');
}

interface SentCommand {
  commandId: string;
  instanceIds: string[];
  done: Map<string, CommandInvocation>;
}

/** Where an instance ended up after `Rollout.restore`: the rollback command's status and the script's verdict. */
export interface RestoreOutcome {
  instanceId: string;
  /** A terminal status, or the last one seen when the deadline came first. */
  status: string;
  result?: string;
  finished: boolean;
  commandId: string;
}

export class Rollout {
  apiCalls = 0;
  private readonly commandIds: string[] = [];
  private readonly instanceIds = new Set<string>();

  constructor(
    private readonly deps: RolloutDeps,
    private readonly options: RolloutOptions,
  ) {}

  private call<T>(
    label: string,
    permission: string,
    op: () => Promise<T>,
    retryable: (err: unknown) => boolean = isRetryableAwsError,
  ): Promise<T> {
    return awsCall(
      () => {
        this.apiCalls++;
        return op();
      },
      {
        operation: label,
        permission,
        retryable,
        sleep: this.deps.sleep,
        random: this.deps.random,
        log: this.deps.log,
      },
    );
  }

  private async send(
    instanceIds: string[],
    script: string,
    what: string,
    { touches = true, timeoutSeconds = this.options.commandTimeoutSeconds } = {},
  ): Promise<SentCommand[]> {
    const sent: SentCommand[] = [];
    for (const chunk of chunks(instanceIds, MAX_INSTANCES_PER_COMMAND)) {
      // SendCommand is not idempotent: after a lost response the command may already run, so only a
      // throttled request (which AWS never executed) is sent again.
      const response = await this.call(
        'SSM SendCommand',
        'ssm:SendCommand',
        () =>
          this.deps.ssm.send(
            new SendCommandCommand({
              DocumentName: 'AWS-RunShellScript',
              InstanceIds: chunk,
              Comment: `${this.options.comment} ${what}`.slice(0, 100),
              TimeoutSeconds: Math.max(30, this.options.deliveryTimeoutSeconds ?? 600),
              Parameters: {
                commands: [runShellCommand(script)],
                executionTimeout: [String(timeoutSeconds)],
              },
            }),
          ),
        isThrottling,
      );
      const commandId = response.Command?.CommandId;
      if (!commandId) throw new Error('SSM SendCommand returned no CommandId.');
      this.commandIds.push(commandId);
      // A command that only reads (the metrics) leaves the instance as it was: nothing to restore there.
      if (touches) for (const id of chunk) this.instanceIds.add(id);
      this.deps.onCommandSent?.(this.commandIds, [...this.instanceIds]);
      this.deps.log(`${what}: command ${commandId} sent to ${chunk.length} instance(s): ${chunk.join(' ')}`);
      sent.push({ commandId, instanceIds: chunk, done: new Map() });
    }
    return sent;
  }

  private async listInvocations(commandId: string): Promise<CommandInvocation[]> {
    const all: CommandInvocation[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(
        `SSM ListCommandInvocations ${commandId}`,
        'ssm:ListCommandInvocations',
        () =>
          this.deps.ssm.send(
            new ListCommandInvocationsCommand({
              CommandId: commandId,
              Details: true,
              MaxResults: 50,
              NextToken: nextToken,
            }),
          ),
      );
      all.push(...(page.CommandInvocations ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return all;
  }

  /**
   * Polls every command of a wave until each of its invocations is terminal (or the deadline passes: then the
   * late ones are cancelled and counted TimedOut, unless `until` set the deadline, which leaves them running).
   */
  private async waitFor(
    sent: SentCommand[],
    until?: number,
    timeoutSeconds = this.options.commandTimeoutSeconds,
  ): Promise<void> {
    const poll = this.options.poll ?? DEFAULT_POLL;
    const start = this.deps.now();
    const deadline =
      until ??
      start + (timeoutSeconds + Math.max(30, this.options.deliveryTimeoutSeconds ?? 600) + 60) * 1000;
    for (;;) {
      const pending = sent.filter((c) => c.done.size < c.instanceIds.length);
      if (pending.length === 0) return;
      const elapsed = this.deps.now() - start;
      const wait = Math.min(
        poll.maxIntervalMs,
        Math.max(poll.minIntervalMs, Math.round(elapsed * poll.fraction)),
        ...(until === undefined ? [] : [Math.max(0, until - this.deps.now())]),
      );
      await this.deps.sleep(wait);
      for (const command of pending) {
        for (const inv of await this.listInvocations(command.commandId)) {
          if (inv.InstanceId && TERMINAL_STATUSES.has(invocationStatus(inv)))
            command.done.set(inv.InstanceId, inv);
        }
      }
      if (until !== undefined && this.deps.now() >= until) return;
      if (this.deps.now() > deadline) {
        for (const command of sent.filter((c) => c.done.size < c.instanceIds.length)) {
          const late = command.instanceIds.filter((id) => !command.done.has(id));
          this.deps.log(`command ${command.commandId}: no result from ${late.join(' ')} in time; cancelling`);
          await this.call('SSM CancelCommand', 'ssm:CancelCommand', () =>
            this.deps.ssm.send(new CancelCommandCommand({ CommandId: command.commandId, InstanceIds: late })),
          );
          for (const id of late) {
            command.done.set(id, {
              InstanceId: id,
              CommandId: command.commandId,
              Status: 'TimedOut',
              StatusDetails: 'TimedOut',
            });
          }
        }
        return;
      }
    }
  }

  private collect(sent: SentCommand[]): Map<string, { inv: CommandInvocation; commandId: string }> {
    const out = new Map<string, { inv: CommandInvocation; commandId: string }>();
    for (const command of sent) {
      for (const id of command.instanceIds)
        out.set(id, { inv: command.done.get(id)!, commandId: command.commandId });
    }
    return out;
  }

  /**
   * Waits until every invocation of `commandIds` is terminal (say, after CancelCommand) or `until` passes;
   * returns the instances whose invocation was still running then.
   */
  async settle(commandIds: readonly string[], until: number): Promise<string[]> {
    const sent: SentCommand[] = [];
    for (const commandId of commandIds) {
      const invocations = await this.listInvocations(commandId);
      const command: SentCommand = {
        commandId,
        instanceIds: invocations.flatMap((inv) => (inv.InstanceId ? [inv.InstanceId] : [])),
        done: new Map(),
      };
      for (const inv of invocations) {
        if (inv.InstanceId && TERMINAL_STATUSES.has(invocationStatus(inv)))
          command.done.set(inv.InstanceId, inv);
      }
      sent.push(command);
    }
    await this.waitFor(sent, until);
    return sent.flatMap((c) => c.instanceIds.filter((id) => !c.done.has(id)));
  }

  /**
   * Sends the rollback script to `instanceIds` and polls until each has finished or `until` passes (a command
   * still running then is left to its execution timeout).
   */
  async restore(instanceIds: string[], until: number): Promise<RestoreOutcome[]> {
    const sent = await this.send(instanceIds, this.options.rollbackScript, 'restore');
    await this.waitFor(sent, until);
    return sent.flatMap((command) =>
      command.instanceIds.map((instanceId) => {
        const inv = command.done.get(instanceId);
        return {
          instanceId,
          status: inv ? invocationStatus(inv) : 'InProgress',
          result: inv ? parseMarkers(inv.CommandPlugins?.[0]?.Output ?? '').result : undefined,
          finished: inv !== undefined,
          commandId: command.commandId,
        };
      }),
    );
  }

  /**
   * Runs a read-only script on instances (not counted as touched, so a cancel restores nothing for it) and
   * returns each invocation with its whole standard output: ListCommandInvocations keeps 2,500 characters of
   * it, GetCommandInvocation 24,000.
   */
  sampler(script: string, timeoutSeconds: number): Sampler {
    return async (instanceIds) => {
      const sent = await this.send(instanceIds, script, 'canary metrics', { touches: false, timeoutSeconds });
      await this.waitFor(sent, undefined, timeoutSeconds);
      const out = new Map<string, Invocation>();
      for (const [instanceId, { inv, commandId }] of this.collect(sent)) {
        const status = invocationStatus(inv);
        let output = inv.CommandPlugins?.[0]?.Output ?? '';
        if (!NEVER_RAN.has(status)) {
          const full = await this.call(
            `SSM GetCommandInvocation ${commandId} ${instanceId}`,
            'ssm:GetCommandInvocation',
            () =>
              this.deps.ssm.send(
                new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
              ),
          );
          output = full.StandardOutputContent ?? output;
        }
        out.set(instanceId, { status, output });
      }
      return out;
    };
  }

  async run(): Promise<RolloutResult> {
    try {
      return await this.runWaves();
    } catch (err) {
      // An API error mid-rollout (not a failed instance): stop the commands still running before giving up,
      // so no instance goes on changing after the action has failed and released its lock.
      await cancelCommands(this.deps, this.commandIds);
      throw err;
    }
  }

  private async runWaves(): Promise<RolloutResult> {
    const { plan } = this.options;
    const instances: InstanceResult[] = [];
    const updated: string[] = [];
    let failedWave: number | undefined;
    let wavesRun = 0;
    let canary: CanaryReport | undefined;
    for (const wave of plan.waves) {
      wavesRun = wave.index;
      const label = `wave ${wave.index}/${plan.waves.length}${wave.canary ? ' (canary)' : ''}`;
      const sent = await this.send(wave.instanceIds, this.options.deployScript, label);
      await this.waitFor(sent);
      let failures = 0;
      for (const [instanceId, { inv, commandId }] of this.collect(sent)) {
        const plugin = inv.CommandPlugins?.[0];
        const output = plugin?.Output ?? inv.CommandPlugins?.map((p) => p.Output ?? '').join('\n') ?? '';
        const markers = parseMarkers(output);
        const status = invocationStatus(inv);
        const started = inv.RequestedDateTime ?? plugin?.ResponseStartDateTime;
        const finished = plugin?.ResponseFinishDateTime;
        instances.push({
          instanceId,
          wave: wave.index,
          status,
          result: markers.result,
          previousImage: markers.previousImage,
          durationMs:
            started && finished ? new Date(finished).getTime() - new Date(started).getTime() : undefined,
          outputTail: tail(output),
          commandId,
        });
        if (status === 'Success') updated.push(instanceId);
        else failures++;
      }
      this.deps.log(`${label}: ${wave.instanceIds.length - failures} updated, ${failures} failed`);
      if (failures > 0) {
        failedWave = wave.index;
        break;
      }
      if (wave.index === 1 && this.options.afterFirstWave) {
        canary = await this.options.afterFirstWave({
          wave,
          previousImage: instances.find((i) => i.previousImage)?.previousImage ?? '',
          laterIds: plan.waves.slice(1).flatMap((w) => w.instanceIds),
          run: (script, timeoutSeconds) => this.sampler(script, timeoutSeconds),
        });
        if (!canary.promote) {
          failedWave = wave.index;
          break;
        }
      }
    }
    // The first wave's instances are counted failed when the canary analysis stopped them (they are rolled back).
    const rejected = canary && !canary.promote ? canary.canaryIds : [];
    const failed = instances
      .filter((i) => i.status !== 'Success' || rejected.includes(i.instanceId))
      .map((i) => i.instanceId);
    const result: RolloutResult = {
      status: failedWave === undefined ? 'succeeded' : 'failed',
      instances,
      wavesRun,
      failedWave,
      commandIds: this.commandIds,
      updated,
      failed,
      rolledBack: [],
      rollbackFailed: [],
      apiCalls: 0,
      canary,
    };
    // Updated instances, and failed ones that may have stopped half-way (killed by a timeout or a cancel):
    // the rollback script acts only where this rollout's ID is recorded, so sending it is always safe.
    const halfWay = instances
      .filter(
        (i) => i.status !== 'Success' && !NEVER_RAN.has(i.status) && !SETTLED_RESULTS.has(i.result ?? ''),
      )
      .map((i) => i.instanceId);
    const rollbackTargets = [...updated, ...halfWay];
    if (failedWave !== undefined && this.options.rollback && rollbackTargets.length > 0) {
      this.deps.log(
        `wave ${failedWave} failed; rolling back ${updated.length} updated instance(s)` +
          (halfWay.length ? ` and checking ${halfWay.length} interrupted one(s)` : ''),
      );
      const sent = await this.send(rollbackTargets, this.options.rollbackScript, 'rollback');
      await this.waitFor(sent);
      for (const [instanceId, { inv, commandId }] of this.collect(sent)) {
        const status = invocationStatus(inv);
        const markers = parseMarkers(inv.CommandPlugins?.[0]?.Output ?? '');
        const entry = instances.find((i) => i.instanceId === instanceId)!;
        entry.rollback = { status, result: markers.result, commandId };
        if (status !== 'Success') result.rollbackFailed.push(instanceId);
        else if (markers.result !== 'unchanged') result.rolledBack.push(instanceId);
      }
      result.updated = updated.filter((id) => !result.rolledBack.includes(id));
      result.status = result.rollbackFailed.length === 0 ? 'rolled-back' : 'failed';
    } else if (failedWave !== undefined && this.options.rollback) {
      // Nothing had been updated (the canary or first wave failed and restored itself, or never ran).
      result.status = 'rolled-back';
    }
    result.apiCalls = this.apiCalls;
    return result;
  }
}

export async function runRollout(deps: RolloutDeps, options: RolloutOptions): Promise<RolloutResult> {
  return new Rollout(deps, options).run();
}

/** Cancels commands that may still run (the post step, when the workflow was cancelled). */
export async function cancelCommands(
  deps: Pick<RolloutDeps, 'ssm' | 'sleep' | 'log' | 'random'>,
  commandIds: readonly string[],
): Promise<void> {
  for (const commandId of commandIds) {
    try {
      await awsCall(() => deps.ssm.send(new CancelCommandCommand({ CommandId: commandId })), {
        operation: `SSM CancelCommand ${commandId}`,
        permission: 'ssm:CancelCommand',
        sleep: deps.sleep,
        random: deps.random,
        log: deps.log,
      });
      deps.log(`cancelled command ${commandId}`);
    } catch (err) {
      deps.log(`could not cancel command ${commandId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
