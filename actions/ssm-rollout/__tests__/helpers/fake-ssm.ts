/**
 * A scripted Systems Manager for aws-sdk-client-mock: SendCommand creates invocations, and each
 * ListCommandInvocations call advances them according to `outcome(instanceId, script)`, which says how
 * many polls the instance stays InProgress and how it ends.
 */
import {
  CancelCommandCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  type CommandInvocation,
  type CommandInvocationStatus,
  type ListCommandInvocationsCommandInput,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export interface Outcome {
  polls?: number;
  status: string;
  statusDetails?: string;
  output?: string;
}

export function fakeSsm(outcome: (instanceId: string, script: string) => Outcome, pageSize = 50) {
  const mock = mockClient(SSMClient);
  const commands = new Map<string, { input: SendCommandCommandInput; polls: Map<string, number> }>();
  const cancelled: string[] = [];
  let counter = 0;
  mock.on(SendCommandCommand).callsFake(async (input: SendCommandCommandInput) => {
    const id = `cmd-${String(++counter).padStart(4, '0')}`;
    commands.set(id, { input, polls: new Map() });
    return { Command: { CommandId: id, InstanceIds: input.InstanceIds } };
  });
  mock.on(ListCommandInvocationsCommand).callsFake(async (input: ListCommandInvocationsCommandInput) => {
    const command = commands.get(input.CommandId!)!;
    const script = command.input.Parameters!.commands![0]!;
    const ids = command.input.InstanceIds!;
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = ids.slice(start, start + Math.min(pageSize, input.MaxResults ?? 50));
    const invocations: CommandInvocation[] = page.map((id) => {
      const polls = (command.polls.get(id) ?? 0) + 1;
      command.polls.set(id, polls);
      const o = outcome(id, script);
      const done = polls > (o.polls ?? 0);
      return {
        CommandId: input.CommandId,
        InstanceId: id,
        Status: (done ? o.status : 'InProgress') as CommandInvocationStatus,
        StatusDetails: done ? (o.statusDetails ?? o.status) : 'InProgress',
        RequestedDateTime: new Date(0),
        CommandPlugins: [
          {
            Name: 'aws:runShellScript',
            Output: done ? (o.output ?? '') : '',
            ResponseStartDateTime: new Date(0),
            ResponseFinishDateTime: done ? new Date(1500) : undefined,
          },
        ],
      };
    });
    const next = start + page.length < ids.length ? String(start + page.length) : undefined;
    return { CommandInvocations: invocations, NextToken: next };
  });
  mock.on(CancelCommandCommand).callsFake(async (input: { CommandId: string }) => {
    cancelled.push(input.CommandId);
    return {};
  });
  return { mock, commands, cancelled };
}

export function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}
