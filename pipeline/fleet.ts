/**
 * The staging fleet of the rehearsal: instances behind the local SSM API (action-tests' SsmEndpoint), each
 * running podman, reaching the registry through its forwarder, authenticated by an auth file (what the ECR
 * credential helper gives a real instance), with the service's environment as SSM parameters.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SsmEndpoint } from '../action-tests/helpers/ssm-endpoint.js';
import type { Cleanup } from './cleanup.js';
import { podmanStandIn, registrySocket, startForwarder } from './instances.js';

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

  private constructor(dir: string) {
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
    return fleet;
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
    const adminPassword = randomBytes(12).toString('base64url');
    mask(jwtSecret);
    mask(adminPassword);
    const parameters: Record<string, [string, string]> = {
      JWT_SECRET: [jwtSecret, 'SecureString'],
      ADMIN_EMAIL: ['admin@staging.local', 'String'],
      ADMIN_PASSWORD: [adminPassword, 'SecureString'],
      ARGON2_MEMORY_KIB: ['8192', 'String'],
      LOG_LEVEL: ['warn', 'String'],
    };
    for (const [name, [value, type]] of Object.entries(parameters)) {
      this.endpoint.parameters.set(`${path}/${name}`, { value, type, version: 1, modified: Date.now() });
    }
  }
}
