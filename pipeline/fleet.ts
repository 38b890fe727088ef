/**
 * The staging fleet of the rehearsal: instances behind the local SSM API (action-tests' SsmEndpoint), each
 * running podman, reaching the registry through its forwarder, authenticated by an auth file (what the ECR
 * credential helper gives a real instance), with the service's environment as SSM parameters.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SsmEndpoint } from '../stand-ins/ssm-endpoint.js';
import type { Cleanup } from './cleanup.js';
import { podmanStandIn, registrySocket, startForwarder } from './instances.js';
import { shellQuote } from '../actions/ssm-rollout/src/script.js';

const LOAD_GENERATOR = resolve(import.meta.dirname, 'load-generator.mjs');

/** The answers each instance's load generator got: request -> status -> count. */
export type Traffic = Map<string, Record<string, Record<string, number>>>;

export interface FleetOptions {
  dir: string;
  ids: string[];
  tags: Record<string, string>;
  registry: { host: string; username: string; password: string };
  /** The SSM path the service's environment is read from. */
  envPath: string;
  cleanup: Cleanup;
  /** Receives every secret put into parameters, to be masked. */
  mask: (secret: string) => void;
}

export class Fleet {
  readonly endpoint: SsmEndpoint;
  /** The first administrator the service creates from its environment (the load generator logs in as it). */
  readonly admin = { email: 'admin@staging.local', password: randomBytes(12).toString('base64url') };
  /** The bearer token of GET /metrics (METRICS_TOKEN), a SecureString parameter of the environment. */
  metricsTokenParameter = '';

  private constructor(private readonly dir: string) {
    this.endpoint = new SsmEndpoint(dir);
  }

  static async start(o: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(join(o.dir, 'fleet'));
    await fleet.endpoint.start();
    o.cleanup.defer('stand-in instances', () => fleet.endpoint.stop());
    o.cleanup.defer('containers on the instances', async () => {
      fleet.endpoint.killInvocations(); // a deploy still running could start a container after the removal
      for (const id of fleet.endpoint.instances.keys()) {
        const removed = await fleet.run(id, 'podman rm --all --force --time 0');
        if (removed.code !== 0) throw new Error(`${id}: podman rm exited ${removed.code}: ${removed.output}`);
      }
    });
    const socketPath = join(o.dir, 'registry.sock');
    const socket = await registrySocket(socketPath, o.registry.host);
    o.cleanup.defer('registry socket', () => socket.close());
    const authFile = join(o.dir, 'auth.json');
    const auth = Buffer.from(`${o.registry.username}:${o.registry.password}`).toString('base64');
    writeFileSync(authFile, JSON.stringify({ auths: { [o.registry.host]: { auth } } }), { mode: 0o600 });
    for (const [index, id] of o.ids.entries()) {
      // Short directory names: podman refuses a runroot path over 50 characters.
      const standIn = podmanStandIn(join(o.dir, 'fleet'), `i${index + 1}`, {
        host: o.registry.host,
        authFile,
      });
      const instance = await fleet.endpoint.addInstance(id, o.tags, 'Online', standIn);
      await startForwarder(fleet.endpoint, instance, o.registry.host, socketPath);
    }
    fleet.setEnvironment(o.envPath, o.mask);
    o.cleanup.defer('load generators', () => fleet.stopLoad());
    return fleet;
  }

  /** Each running load generator and what it will have printed once it has ended. */
  private loads = new Map<string, { child: ChildProcess; ended: Promise<string> }>();

  /** Starts traffic on every instance's host port, from inside its network namespace (see load-generator.mjs). */
  startLoad(hostPort: number, pauseMs: number): void {
    const config = join(this.dir, 'load.json');
    const url = `http://127.0.0.1:${hostPort}`;
    writeFileSync(config, JSON.stringify({ url, ...this.admin, pauseMs }), { mode: 0o600 });
    for (const [id, instance] of this.endpoint.instances) {
      const command = ['exec', process.execPath, LOAD_GENERATOR, config].map((a) => shellQuote('load', a));
      const child = this.endpoint.spawnOn(instance, command.join(' '));
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      this.loads.set(id, { child, ended: new Promise((done) => child.once('close', () => done(out))) });
    }
  }

  /** Stops the traffic; what each instance answered, by request and status. */
  async stopLoad(): Promise<Traffic> {
    const traffic: Traffic = new Map();
    for (const [id, { child, ended }] of this.loads) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const out = (await ended).trim();
      traffic.set(id, out ? (JSON.parse(out) as Record<string, Record<string, number>>) : {});
    }
    this.loads.clear();
    return traffic;
  }

  get url(): string {
    return this.endpoint.url;
  }

  /** Runs a command on an instance, as root in its namespaces; output trimmed. */
  async run(id: string, command: string): Promise<{ code: number; output: string }> {
    const result = await this.endpoint.exec(id, command);
    return { code: result.code, output: result.output.trim() };
  }

  /** What an instance serves: the status of GET /health on the host port, and its container's image. */
  async serving(id: string, container: string, hostPort: number): Promise<{ health: string; image: string }> {
    const health = await this.run(
      id,
      `curl --silent --max-time 5 --output /dev/null --write-out "%{http_code}" http://127.0.0.1:${hostPort}/health`,
    );
    // stderr apart: podman may warn first (say, about a layer a killed pull left incomplete, which it deletes).
    const image = await this.run(
      id,
      `podman container inspect --format '{{.Config.Image}}' '${container}' 2>/dev/null || echo 'no container'`,
    );
    return { health: health.output, image: image.output };
  }

  parameter(name: string): string | undefined {
    return this.endpoint.parameters.get(name)?.value;
  }

  /** The service's configuration, secrets as SecureString (random per run). */
  private setEnvironment(path: string, mask: (secret: string) => void): void {
    const jwtSecret = randomBytes(32).toString('hex');
    const metricsToken = randomBytes(24).toString('hex');
    for (const secret of [jwtSecret, this.admin.password, metricsToken]) mask(secret);
    this.metricsTokenParameter = `${path}/METRICS_TOKEN`;
    const parameters: Record<string, [string, string]> = {
      JWT_SECRET: [jwtSecret, 'SecureString'],
      ADMIN_EMAIL: [this.admin.email, 'String'],
      ADMIN_PASSWORD: [this.admin.password, 'SecureString'],
      METRICS_TOKEN: [metricsToken, 'SecureString'],
      ARGON2_MEMORY_KIB: ['8192', 'String'],
      LOG_LEVEL: ['warn', 'String'],
    };
    for (const [name, [value, type]] of Object.entries(parameters)) {
      this.endpoint.parameters.set(`${path}/${name}`, { value, type, version: 1, modified: Date.now() });
    }
  }
}
