/**
 * Targets: instance IDs and `tag:Key=Value` selectors, resolved through Systems Manager's
 * DescribeInstanceInformation (which also tells whether each instance's agent is Online).
 */
import {
  DescribeInstanceInformationCommand,
  type InstanceInformation,
  type InstanceInformationStringFilter,
  type PingStatus,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { awsCall } from '../../lib/aws.js';
import type { Sleep } from '../../lib/retry.js';

export type Target = { kind: 'instance'; id: string } | { kind: 'tag'; key: string; value: string };

const INSTANCE_ID = /^(i|mi)-[0-9a-f]{8,17}$/;
const TAG = /^tag:([^=]+)=(.*)$/;

/** Parses the `targets` lines; every malformed line is reported at once. */
export function parseTargets(lines: readonly string[]): Target[] {
  if (lines.length === 0) {
    throw new Error(
      "Input 'targets': expected at least one instance ID (i-0123456789abcdef0) or tag:Key=Value line.",
    );
  }
  const bad: string[] = [];
  const targets: Target[] = [];
  for (const line of lines) {
    const tag = TAG.exec(line);
    if (INSTANCE_ID.test(line)) targets.push({ kind: 'instance', id: line });
    else if (tag && tag[1]!.trim() !== '' && tag[2]!.trim() !== '') {
      targets.push({ kind: 'tag', key: tag[1]!.trim(), value: tag[2]!.trim() });
    } else bad.push(line);
  }
  if (bad.length > 0) {
    throw new Error(
      `Input 'targets': expected instance IDs (i-0123456789abcdef0 or mi-...) or tag:Key=Value lines, ` +
        `got ${bad.map((b) => `'${b}'`).join(', ')}.`,
    );
  }
  return targets;
}

export interface ResolvedInstance {
  instanceId: string;
  pingStatus: string;
  platformType?: string;
  computerName?: string;
  /** Which target lines selected it. */
  selectedBy: string[];
}

export interface ResolveDeps {
  ssm: Pick<SSMClient, 'send'>;
  /** EC2 finds tagged instances whose SSM agent never registered (they would be missed otherwise). */
  ec2: Pick<EC2Client, 'send'>;
  sleep?: Sleep;
  random?: () => number;
  log?: (line: string) => void;
}

function targetLabel(t: Target): string {
  return t.kind === 'instance' ? t.id : `tag:${t.key}=${t.value}`;
}

async function describeAll(
  deps: ResolveDeps,
  filters: InstanceInformationStringFilter[],
  label: string,
): Promise<InstanceInformation[]> {
  const found: InstanceInformation[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(
      () =>
        deps.ssm.send(
          new DescribeInstanceInformationCommand({
            Filters: filters,
            MaxResults: 50,
            NextToken: nextToken,
          }),
        ),
      {
        operation: `SSM DescribeInstanceInformation (${label})`,
        permission: 'ssm:DescribeInstanceInformation',
        sleep: deps.sleep,
        random: deps.random,
        log: deps.log,
      },
    );
    found.push(...(page.InstanceInformationList ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

/** IDs of the pending or running EC2 instances carrying the tag. */
async function runningEc2Instances(
  deps: ResolveDeps,
  target: { key: string; value: string },
): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(
      () =>
        deps.ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: `tag:${target.key}`, Values: [target.value] },
              { Name: 'instance-state-name', Values: ['pending', 'running'] },
            ],
            MaxResults: 1000,
            NextToken: nextToken,
          }),
        ),
      {
        operation: `EC2 DescribeInstances (tag:${target.key}=${target.value})`,
        permission: 'ec2:DescribeInstances',
        sleep: deps.sleep,
        random: deps.random,
        log: deps.log,
      },
    );
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? [])
        if (instance.InstanceId) ids.push(instance.InstanceId);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

/**
 * Resolves every target. Instance IDs that Systems Manager does not know come back with pingStatus
 * 'NotRegistered' so the caller treats them as offline; a tag that matches nothing is an error.
 */
export async function resolveTargets(
  targets: readonly Target[],
  deps: ResolveDeps,
): Promise<ResolvedInstance[]> {
  const byId = new Map<string, ResolvedInstance>();
  const add = (info: InstanceInformation, label: string) => {
    const id = info.InstanceId;
    if (!id) return;
    const existing = byId.get(id);
    if (existing) {
      if (!existing.selectedBy.includes(label)) existing.selectedBy.push(label);
      return;
    }
    byId.set(id, {
      instanceId: id,
      pingStatus: info.PingStatus ?? 'Unknown',
      platformType: info.PlatformType,
      computerName: info.ComputerName,
      selectedBy: [label],
    });
  };
  const ids = targets.filter((t) => t.kind === 'instance').map((t) => t.id);
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const infos = await describeAll(
      deps,
      [{ Key: 'InstanceIds', Values: chunk }],
      `${chunk.length} instance IDs`,
    );
    for (const info of infos) add(info, info.InstanceId ?? '');
  }
  // Keep the order the workflow listed the IDs in: waves follow it.
  const ordered = new Map<string, ResolvedInstance>();
  for (const id of ids) {
    ordered.set(id, byId.get(id) ?? { instanceId: id, pingStatus: 'NotRegistered', selectedBy: [id] });
  }
  for (const target of targets) {
    if (target.kind !== 'tag') continue;
    const label = targetLabel(target);
    const infos = await describeAll(deps, [{ Key: `tag:${target.key}`, Values: [target.value] }], label);
    const registered = new Set(infos.map((info) => info.InstanceId));
    const unseen = (await runningEc2Instances(deps, target)).filter((id) => !registered.has(id));
    // SSM's tag filter can lag behind EC2 tags: ask for the rest by ID; unknown ones are not registered.
    for (let i = 0; i < unseen.length; i += 50) {
      infos.push(
        ...(await describeAll(deps, [{ Key: 'InstanceIds', Values: unseen.slice(i, i + 50) }], label)),
      );
    }
    const found = new Set(infos.map((info) => info.InstanceId));
    for (const id of unseen.filter((id) => !found.has(id)))
      infos.push({ InstanceId: id, PingStatus: 'NotRegistered' as PingStatus });
    if (infos.length === 0) {
      throw new Error(
        `Input 'targets': ${label} matched no running EC2 instance and no instance registered with Systems Manager ` +
          '(check the tag and the region).',
      );
    }
    for (const info of [...infos].sort((a, b) => (a.InstanceId ?? '').localeCompare(b.InstanceId ?? ''))) {
      add(info, label);
      const id = info.InstanceId;
      if (id && !ordered.has(id)) ordered.set(id, byId.get(id)!);
    }
  }
  return [...ordered.values()];
}

/** Instances that cannot run the command now: not Online, or not Linux (AWS-RunShellScript). */
export function unavailable(
  instances: readonly ResolvedInstance[],
): { instance: ResolvedInstance; reason: string }[] {
  return instances.flatMap((instance) => {
    if (instance.pingStatus !== 'Online') {
      const reason =
        instance.pingStatus === 'NotRegistered'
          ? 'not registered with Systems Manager'
          : `SSM agent ping status is ${instance.pingStatus}`;
      return [{ instance, reason }];
    }
    if (instance.platformType && instance.platformType !== 'Linux') {
      return [{ instance, reason: `platform ${instance.platformType} cannot run AWS-RunShellScript` }];
    }
    return [];
  });
}
