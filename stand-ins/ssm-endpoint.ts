/**
 * A local Systems Manager endpoint for integration tests, speaking the AWS JSON 1.1 protocol
 * (POST /, X-Amz-Target: AmazonSSM.<Operation>) that the SDK reaches through AWS_ENDPOINT_URL_SSM.
 *
 * Instances are stand-ins: each has its own directory, a docker/aws on PATH (fakes by default; the local
 * pipeline gives them a real podman), its own network namespace (so every instance has its own 127.0.0.1
 * and the same host port, as on real hosts) and its own mount namespace with its own /var/lib, kept for the
 * instance's lifetime like a host's. SendCommand really RUNS the command on each instance with sh, like the SSM agent does,
 * and ListCommandInvocations reports what happened. Faults can be injected: throttling, an instance
 * going offline, and executionTimeout is enforced.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { calls as standInCalls, createStandIn, type StandIn } from './instances.js';
import {
  ecrRepositoryArn,
  LOCAL_ACCOUNT,
  signedRegion,
  ssmParameterArn,
  tagContext,
  type IamRequest,
} from './iam.js';

export interface EndpointInstance {
  id: string;
  pingStatus: string;
  /** False: an EC2 instance whose SSM agent never registered (EC2 knows it, SSM does not). */
  registered: boolean;
  ec2State: string;
  tags: Record<string, string>;
  standIn: StandIn;
  netns: string;
  /** A process that holds the instance's mount namespace (its /var/lib, podman's netns mounts). */
  keeper: ChildProcess;
}

interface Invocation {
  instanceId: string;
  status: string;
  statusDetails: string;
  /** stdout and stderr as they came (ListCommandInvocations' Output). */
  output: string;
  stdout: string;
  stderr: string;
  requested: number;
  started?: number;
  finished?: number;
  child?: ChildProcess;
  timer?: NodeJS.Timeout;
}

interface Command {
  id: string;
  instanceIds: string[];
  commands: string;
  executionTimeout: number;
  invocations: Map<string, Invocation>;
}

export interface Call {
  operation: string;
  input: Record<string, unknown>;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** What Run Command keeps of a command's output: ListCommandInvocations' Output, GetCommandInvocation's. */
const OUTPUT_LIMIT = 2500;
const STDOUT_LIMIT = 24_000;
const STDERR_LIMIT = 8000;

/** Whether this machine can give each stand-in its own network namespace (needs root and iproute2). */
export function canUseNetns(): boolean {
  const name = `ssmr-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', name]);
  if (add.status !== 0) return false;
  spawnSync('ip', ['netns', 'del', name]);
  return true;
}

export class SsmEndpoint {
  readonly instances = new Map<string, EndpointInstance>();
  readonly parameters = new Map<
    string,
    { value: string; type: string; version: number; modified: number; keyId?: string }
  >();
  readonly commands = new Map<string, Command>();
  readonly calls: Call[] = [];
  /** What IAM authorizes for each signed call the workflow made (recorded for infra/test/least-privilege.test.ts). */
  readonly iamRequests: IamRequest[] = [];
  /** Operation -> number of upcoming calls answered with ThrottlingException. */
  readonly throttle = new Map<string, number>();
  /** Instance -> number of SendCommand calls after which it goes ConnectionLost. */
  readonly offlineAfterCommands = new Map<string, number>();
  private sendCount = 0;
  private netnsCount = 0;
  private server?: Server;
  url = '';

  constructor(
    private readonly root: string,
    readonly accountId = LOCAL_ACCOUNT,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.url;
  }

  /** Ends every command still running on an instance (as the agent does when a command is cancelled). */
  killInvocations(): void {
    for (const command of this.commands.values()) {
      for (const inv of command.invocations.values()) this.kill(inv);
    }
  }

  async stop(): Promise<void> {
    this.killInvocations();
    for (const instance of this.instances.values()) {
      const pids = spawnSync('ip', ['netns', 'pids', instance.netns], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
      spawnSync('ip', ['netns', 'del', instance.netns]);
    }
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Adds an instance; resolves once its namespaces are set up. */
  async addInstance(
    id: string,
    tags: Record<string, string> = {},
    pingStatus = 'Online',
    standIn: StandIn = createStandIn(this.root, id),
  ): Promise<EndpointInstance> {
    const varLib = join(standIn.root, 'var-lib');
    mkdirSync(varLib, { recursive: true });
    const netns = `ssmr-${process.pid}-${this.netnsCount++}`;
    const add = spawnSync('ip', ['netns', 'add', netns], { encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`ip netns add ${netns}: ${add.stderr}`);
    spawnSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
    // nsenter, not `ip netns exec`: the latter remounts /sys, hiding the cgroup mounts podman needs.
    const keeper = spawn(
      'nsenter',
      [
        `--net=/run/netns/${netns}`,
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mount --bind "$1" /var/lib && echo ready && exec sleep infinity',
        'sh',
        varLib,
      ],
      // Detached: a Ctrl-C to the terminal's process group must not end the instance before its clean-up.
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        keeper.stdout.once('data', () => resolve());
        keeper.once('error', reject);
        keeper.once('exit', (code) =>
          reject(new Error(`instance ${id}: mount namespace setup exited ${code}`)),
        );
      });
    } catch (err) {
      spawnSync('ip', ['netns', 'del', netns]);
      throw err;
    }
    const instance = { id, pingStatus, registered: true, ec2State: 'running', tags, standIn, netns, keeper };
    this.instances.set(id, instance);
    return instance;
  }

  /** Runs a shell command on a stand-in as the agent would (sh, as root, in the instance's namespaces). */
  spawnOn(instance: EndpointInstance, shellCommand: string): ChildProcess {
    const scriptFile = join(instance.standIn.root, `_script-${randomUUID()}.sh`);
    writeFileSync(scriptFile, shellCommand, { mode: 0o700 });
    const parametersFile = join(instance.standIn.root, 'parameters.json');
    writeFileSync(
      parametersFile,
      JSON.stringify(Object.fromEntries([...this.parameters].map(([k, v]) => [k, v.value]))),
    );
    return spawn(
      'nsenter',
      [
        `--net=/run/netns/${instance.netns}`,
        `--mount=/proc/${instance.keeper.pid}/ns/mnt`,
        'sh',
        '-c',
        'cd "$1" && exec sh "$2"',
        'sh',
        instance.standIn.root,
        scriptFile,
      ],
      {
        env: { ...instance.standIn.env, FAKE_AWS_PARAMETERS: parametersFile, AWS_ENDPOINT_URL_SSM: '' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }

  /** Runs a command on an instance now and returns its exit code and output (test setup and checks). */
  exec(instanceId: string, shellCommand: string): Promise<{ code: number; output: string }> {
    const child = this.spawnOn(this.instances.get(instanceId)!, shellCommand);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, output })));
  }

  private kill(inv: Invocation): void {
    if (inv.timer) clearTimeout(inv.timer);
    if (inv.child?.pid && inv.child.exitCode === null) {
      try {
        process.kill(-inv.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const region = signedRegion(req.headers.authorization);
    if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(body);
      if (region) {
        this.iamRequests.push({
          principal: 'workflow',
          action: `ec2:${params.get('Action') ?? ''}`,
          resource: '*',
          context: { 'ec2:Region': region },
        });
      }
      this.ec2(params, res);
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    this.calls.push({ operation, input });
    if (region) this.iamRequests.push(...this.ssmIamRequests(operation, input, region));
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify(payload));
    };
    try {
      const throttled = this.throttle.get(operation) ?? 0;
      if (throttled > 0) {
        this.throttle.set(operation, throttled - 1);
        throw new AwsError('ThrottlingException', 'Rate exceeded');
      }
      reply(200, this.dispatch(operation, input));
    } catch (err) {
      if (err instanceof AwsError) reply(err.status, { __type: err.type, message: err.message });
      else reply(500, { __type: 'InternalServerError', message: String(err) });
    }
  }

  /**
   * The IAM requests behind an SSM API call: SendCommand is authorized on the document and on every
   * instance (with that instance's tags as condition keys); parameter calls on the parameter or path;
   * the rest take no resource.
   */
  private ssmIamRequests(operation: string, input: Record<string, unknown>, region: string): IamRequest[] {
    const request = (resource: string, context: IamRequest['context'] = {}): IamRequest => ({
      principal: 'workflow',
      action: `ssm:${operation}`,
      resource,
      context,
    });
    const parameter = (name: unknown) => ssmParameterArn(region, this.accountId, String(name));
    switch (operation) {
      case 'SendCommand': {
        const document = String(input.DocumentName);
        const documentArn = document.startsWith('AWS-')
          ? `arn:aws:ssm:${region}::document/${document}`
          : `arn:aws:ssm:${region}:${this.accountId}:document/${document}`;
        return [
          request(documentArn),
          ...((input.InstanceIds as string[] | undefined) ?? []).map((id) =>
            request(
              `arn:aws:ec2:${region}:${this.accountId}:instance/${id}`,
              tagContext(this.instances.get(id)?.tags ?? {}),
            ),
          ),
        ];
      }
      case 'GetParameter':
      case 'DeleteParameter':
        return [request(parameter(input.Name))];
      case 'PutParameter':
        return [request(parameter(input.Name), { 'ssm:Overwrite': String(Boolean(input.Overwrite)) })];
      case 'GetParameters':
        return ((input.Names as string[] | undefined) ?? []).map((name) => request(parameter(name)));
      case 'GetParametersByPath':
        return [request(parameter(input.Path), { 'ssm:Recursive': String(Boolean(input.Recursive)) })];
      default:
        return [request('*')];
    }
  }

  /**
   * The IAM requests the instances' role made while running the commands: the AWS CLI calls (the stand-in
   * aws logs its arguments) and each image pull (ECR login is the CLI call; the pull reads the manifest
   * and the layers). A SecureString read also has SSM decrypt it with the parameter's KMS key.
   */
  instanceIamRequests(): IamRequest[] {
    const requests: IamRequest[] = [];
    const request = (action: string, resource: string, context: IamRequest['context'] = {}) =>
      requests.push({ principal: 'instance', action, resource, context });
    for (const instance of this.instances.values()) {
      const log = instance.standIn.env.FAKE_AWS_LOG;
      const cliCalls =
        log && existsSync(log)
          ? readFileSync(log, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as string[])
          : [];
      for (const args of cliCalls) {
        const flag = (name: string) => args[args.indexOf(name) + 1] ?? '';
        const region = flag('--region');
        const command = `${args[0]} ${args[1]}`;
        if (command === 'ecr get-login-password') request('ecr:GetAuthorizationToken', '*');
        else if (command === 'ssm get-parameters-by-path') {
          request('ssm:GetParametersByPath', ssmParameterArn(region, this.accountId, flag('--path')), {
            'ssm:Recursive': String(args.includes('--recursive')),
          });
        } else if (command === 'ssm get-parameter') {
          const arn = ssmParameterArn(region, this.accountId, flag('--name'));
          request('ssm:GetParameter', arn);
          const stored = this.parameters.get(flag('--name'));
          if (stored?.type === 'SecureString' && args.includes('--with-decryption')) {
            request(
              'kms:Decrypt',
              `arn:aws:kms:${region}:${this.accountId}:key/${stored.keyId ?? 'alias/aws/ssm'}`,
              {
                'kms:ViaService': `ssm.${region}.amazonaws.com`,
                'kms:EncryptionContext:PARAMETER_ARN': arn,
                'kms:CallerAccount': this.accountId,
              },
            );
          }
        } else throw new Error(`no IAM mapping for the instance's call aws ${args.join(' ')}`);
      }
      for (const call of standInCalls(instance.standIn)) {
        if (call.args[0] !== 'pull') continue;
        const image = call.args[call.args.length - 1]!;
        const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^@:]+)/.exec(image);
        if (!ecr) continue; // not an ECR image: no AWS call
        const repository = ecrRepositoryArn(ecr[2]!, ecr[1]!, ecr[3]!);
        request('ecr:BatchGetImage', repository);
        request('ecr:GetDownloadUrlForLayer', repository);
      }
    }
    return requests;
  }

  /** EC2's query protocol, DescribeInstances only (XML answer). */
  private ec2(params: URLSearchParams, res: ServerResponse): void {
    const action = params.get('Action') ?? '';
    this.calls.push({ operation: `ec2:${action}`, input: Object.fromEntries(params) });
    const xml = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
    };
    if (action !== 'DescribeInstances') {
      xml(
        400,
        `<Response><Errors><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></Errors><RequestID>x</RequestID></Response>`,
      );
      return;
    }
    const filters = new Map<string, string[]>();
    for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
      const values: string[] = [];
      for (let j = 1; params.has(`Filter.${i}.Value.${j}`); j++)
        values.push(params.get(`Filter.${i}.Value.${j}`)!);
      filters.set(params.get(`Filter.${i}.Name`)!, values);
    }
    const matches = [...this.instances.values()].filter((instance) =>
      [...filters].every(([name, values]) =>
        name === 'instance-state-name'
          ? values.includes(instance.ec2State)
          : name.startsWith('tag:') && values.includes(instance.tags[name.slice(4)] ?? '\u0000'),
      ),
    );
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const items = matches
      .map(
        (i) =>
          `<item><instanceId>${i.id}</instanceId><instanceState><code>16</code><name>${i.ec2State}</name></instanceState>` +
          `<tagSet>${Object.entries(i.tags)
            .map(([k, v]) => `<item><key>${escape(k)}</key><value>${escape(v)}</value></item>`)
            .join('')}</tagSet></item>`,
      )
      .join('');
    xml(
      200,
      `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>` +
        `<reservationSet>${matches.length ? `<item><reservationId>r-0123456789abcdef0</reservationId><instancesSet>${items}</instancesSet></item>` : ''}</reservationSet></DescribeInstancesResponse>`,
    );
  }

  private dispatch(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'DescribeInstanceInformation':
        return this.describeInstanceInformation(input);
      case 'SendCommand':
        return this.sendCommand(input);
      case 'ListCommandInvocations':
        return this.listCommandInvocations(input);
      case 'GetCommandInvocation':
        return this.getCommandInvocation(input);
      case 'CancelCommand':
        return this.cancelCommand(input);
      case 'GetParameter':
        return { Parameter: this.parameter(String(input.Name)) };
      case 'GetParameters': {
        const names = input.Names as string[];
        return {
          Parameters: names.filter((n) => this.parameters.has(n)).map((n) => this.parameter(n)),
          InvalidParameters: names.filter((n) => !this.parameters.has(n)),
        };
      }
      case 'GetParametersByPath':
        return this.getParametersByPath(input);
      case 'DescribeParameters':
        return this.describeParameters(input);
      case 'PutParameter':
        return this.putParameter(input);
      case 'DeleteParameter':
        this.parameter(String(input.Name));
        this.parameters.delete(String(input.Name));
        return {};
      default:
        throw new AwsError(
          'UnknownOperationException',
          `operation ${operation} is not implemented by the test endpoint`,
        );
    }
  }

  private page<T>(items: T[], input: Record<string, unknown>, max = 50): { items: T[]; next?: string } {
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0 || start > items.length) {
      throw new AwsError('InvalidNextToken', 'The specified token is not valid.');
    }
    const size = Math.min(max, Number(input.MaxResults ?? max));
    const items2 = items.slice(start, start + size);
    return { items: items2, next: start + size < items.length ? String(start + size) : undefined };
  }

  private describeInstanceInformation(input: Record<string, unknown>) {
    let list = [...this.instances.values()].filter((i) => i.registered);
    for (const filter of (input.Filters as { Key: string; Values: string[] }[] | undefined) ?? []) {
      if (filter.Key === 'InstanceIds') list = list.filter((i) => filter.Values.includes(i.id));
      else if (filter.Key.startsWith('tag:'))
        list = list.filter((i) => filter.Values.includes(i.tags[filter.Key.slice(4)] ?? '\u0000'));
      else
        throw new AwsError(
          'InvalidInstanceInformationFilterValue',
          `filter ${filter.Key} not supported here`,
        );
    }
    const { items, next } = this.page(list, input);
    return {
      InstanceInformationList: items.map((i) => ({
        InstanceId: i.id,
        PingStatus: i.pingStatus,
        PlatformType: 'Linux',
        ComputerName: i.id,
      })),
      NextToken: next,
    };
  }

  private sendCommand(input: Record<string, unknown>) {
    if (input.DocumentName !== 'AWS-RunShellScript')
      throw new AwsError('InvalidDocument', 'only AWS-RunShellScript here');
    const instanceIds = input.InstanceIds as string[];
    if (!instanceIds?.length || instanceIds.length > 50) {
      throw new AwsError('ValidationException', 'InstanceIds: member must have length between 1 and 50');
    }
    // Every target must be a managed node SSM knows before anything is sent: one unknown ID fails the call.
    const unknown = instanceIds.filter((id) => !this.instances.get(id)?.registered);
    if (unknown.length > 0) {
      throw new AwsError(
        'InvalidInstanceId',
        `Instances [[${unknown.join(', ')}]] not in a valid state for account ${this.accountId}`,
      );
    }
    const parameters = input.Parameters as { commands: string[]; executionTimeout?: string[] };
    this.sendCount++;
    for (const [id, after] of this.offlineAfterCommands) {
      if (this.sendCount > after) this.instances.get(id)!.pingStatus = 'ConnectionLost';
    }
    const command: Command = {
      id: randomUUID(),
      instanceIds,
      commands: parameters.commands.join('\n'),
      executionTimeout: Number(parameters.executionTimeout?.[0] ?? 3600),
      invocations: new Map(),
    };
    this.commands.set(command.id, command);
    for (const id of instanceIds) {
      const inv: Invocation = {
        instanceId: id,
        status: 'Pending',
        statusDetails: 'Pending',
        output: '',
        stdout: '',
        stderr: '',
        requested: Date.now(),
      };
      command.invocations.set(id, inv);
      const instance = this.instances.get(id)!;
      if (instance.pingStatus !== 'Online') {
        // The agent never picks it up; SSM reports it undeliverable after a while.
        inv.timer = setTimeout(
          () =>
            Object.assign(inv, { status: 'Failed', statusDetails: 'Undeliverable', finished: Date.now() }),
          500,
        );
        continue;
      }
      this.run(instance, command, inv);
    }
    return {
      Command: {
        CommandId: command.id,
        InstanceIds: instanceIds,
        DocumentName: 'AWS-RunShellScript',
        Status: 'Pending',
      },
    };
  }

  private run(instance: EndpointInstance, command: Command, inv: Invocation): void {
    Object.assign(inv, { status: 'InProgress', statusDetails: 'InProgress', started: Date.now() });
    const child = this.spawnOn(instance, command.commands);
    inv.child = child;
    child.stdout!.on('data', (d) => {
      inv.output += d;
      inv.stdout += d;
    });
    child.stderr!.on('data', (d) => {
      inv.output += d;
      inv.stderr += d;
    });
    inv.timer = setTimeout(() => {
      Object.assign(inv, { status: 'TimedOut', statusDetails: 'ExecutionTimedOut' });
      this.kill(inv);
    }, command.executionTimeout * 1000);
    child.on('close', (code) => {
      clearTimeout(inv.timer);
      inv.finished = Date.now();
      if (inv.status === 'InProgress') {
        Object.assign(
          inv,
          code === 0
            ? { status: 'Success', statusDetails: 'Success' }
            : { status: 'Failed', statusDetails: 'Failed' },
        );
      }
    });
  }

  private listCommandInvocations(input: Record<string, unknown>) {
    const command = this.commands.get(String(input.CommandId));
    if (!command) throw new AwsError('InvalidCommandId', 'no such command');
    const { items, next } = this.page([...command.invocations.values()], input);
    const seconds = (ms?: number) => (ms === undefined ? undefined : ms / 1000);
    return {
      CommandInvocations: items.map((inv) => ({
        CommandId: command.id,
        InstanceId: inv.instanceId,
        Status: inv.status,
        StatusDetails: inv.statusDetails,
        RequestedDateTime: seconds(inv.requested),
        CommandPlugins: input.Details
          ? [
              {
                Name: 'aws:runShellScript',
                Status: inv.status,
                Output:
                  inv.output.length > OUTPUT_LIMIT
                    ? `${inv.output.slice(0, OUTPUT_LIMIT)}\n---Output truncated---`
                    : inv.output,
                ResponseStartDateTime: seconds(inv.started),
                ResponseFinishDateTime: seconds(inv.finished),
              },
            ]
          : undefined,
      })),
      NextToken: next,
    };
  }

  private getCommandInvocation(input: Record<string, unknown>) {
    const inv = this.commands.get(String(input.CommandId))?.invocations.get(String(input.InstanceId));
    if (!inv)
      throw new AwsError(
        'InvocationDoesNotExist',
        'An invocation with this command and instance does not exist.',
      );
    return {
      CommandId: input.CommandId,
      InstanceId: input.InstanceId,
      DocumentName: 'AWS-RunShellScript',
      PluginName: 'aws:runShellScript',
      Status: inv.status,
      StatusDetails: inv.statusDetails,
      StandardOutputContent: inv.stdout.slice(0, STDOUT_LIMIT),
      StandardErrorContent: inv.stderr.slice(0, STDERR_LIMIT),
    };
  }

  private cancelCommand(input: Record<string, unknown>) {
    const command = this.commands.get(String(input.CommandId));
    if (!command) throw new AwsError('InvalidCommandId', 'no such command');
    const ids = (input.InstanceIds as string[] | undefined) ?? command.instanceIds;
    for (const id of ids) {
      const inv = command.invocations.get(id);
      if (inv && !['Success', 'Failed', 'TimedOut', 'Cancelled'].includes(inv.status)) {
        Object.assign(inv, { status: 'Cancelled', statusDetails: 'Cancelled', finished: Date.now() });
        this.kill(inv);
      }
    }
    return {};
  }

  private parameter(name: string) {
    const p = this.parameters.get(name);
    if (!p) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
    return {
      Name: name,
      Type: p.type,
      Value: p.value,
      Version: p.version,
      LastModifiedDate: p.modified / 1000,
    };
  }

  private getParametersByPath(input: Record<string, unknown>) {
    const prefix = String(input.Path).replace(/\/?$/, '/');
    const names = [...this.parameters.keys()].filter(
      (n) => n.startsWith(prefix) && (input.Recursive || !n.slice(prefix.length).includes('/')),
    );
    const { items, next } = this.page(names, input, 10);
    return { Parameters: items.map((n) => this.parameter(n)), NextToken: next };
  }

  private describeParameters(input: Record<string, unknown>) {
    const filter = (
      input.ParameterFilters as { Key: string; Option?: string; Values: string[] }[] | undefined
    )?.find((f) => f.Key === 'Path');
    const prefix = filter ? filter.Values[0]!.replace(/\/?$/, '/') : '/';
    const recursive = filter?.Option === 'Recursive';
    const names = [...this.parameters.keys()].filter(
      (n) => n.startsWith(prefix) && (recursive || !n.slice(prefix.length).includes('/')),
    );
    const { items, next } = this.page(names, input);
    return {
      Parameters: items.map((n) => ({
        Name: n,
        Type: this.parameters.get(n)!.type,
        Version: this.parameters.get(n)!.version,
      })),
      NextToken: next,
    };
  }

  private putParameter(input: Record<string, unknown>) {
    const name = String(input.Name);
    const existing = this.parameters.get(name);
    if (existing && !input.Overwrite)
      throw new AwsError('ParameterAlreadyExists', 'The parameter already exists.');
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, {
      value: String(input.Value),
      type: String(input.Type ?? existing?.type ?? 'String'),
      version,
      modified: Date.now(),
    });
    return { Version: version, Tier: 'Standard' };
  }
}
