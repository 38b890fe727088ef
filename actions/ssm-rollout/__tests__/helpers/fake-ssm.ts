/**
 * A scripted Systems Manager for aws-sdk-client-mock: SendCommand creates invocations, and each
 * ListCommandInvocations call advances them according to `outcome(instanceId, script, commandId)`, which says
 * how many polls the instance stays InProgress and how it ends. ListCommandInvocations shows the first 2,500
 * characters of the output, GetCommandInvocation the first 24,000, as Systems Manager does.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
  type CommandInvocation,
  type CommandInvocationStatus,
  type GetCommandInvocationCommandInput,
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

export function fakeSsm(
  outcome: (instanceId: string, script: string, commandId: string) => Outcome,
  pageSize = 50,
) {
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
      const o = outcome(id, script, input.CommandId!);
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
            Output: done ? (o.output ?? '').slice(0, 2500) : '',
            ResponseStartDateTime: new Date(0),
            ResponseFinishDateTime: done ? new Date(1500) : undefined,
          },
        ],
      };
    });
    const next = start + page.length < ids.length ? String(start + page.length) : undefined;
    return { CommandInvocations: invocations, NextToken: next };
  });
  mock.on(GetCommandInvocationCommand).callsFake(async (input: GetCommandInvocationCommandInput) => {
    const command = commands.get(input.CommandId!)!;
    const o = outcome(input.InstanceId!, command.input.Parameters!.commands![0]!, input.CommandId!);
    return {
      CommandId: input.CommandId,
      InstanceId: input.InstanceId,
      Status: o.status as CommandInvocationStatus,
      StandardOutputContent: (o.output ?? '').slice(0, 24_000),
    };
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
