/**
 * Stand-in EC2 instances that run real containers: each has a podman of its own (own image and container
 * storage, this machine's runtime flags), the `aws` CLI stand-in the rollout scripts call for parameters,
 * and, inside its network namespace, a route to the registry: a forwarder on the registry's loopback
 * address that reaches the host's registry through a Unix socket (sockets in the file system cross network
 * namespaces), so the image reference ECR returned resolves the same on the runner and on the instances.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { shellQuote } from '../actions/ssm-rollout/src/script.js';
import { STAND_IN_DIR, type StandIn } from '../stand-ins/instances.js';
import { podmanWrapper, privateStorage, RUN_LIMITS } from '../stand-ins/podman.js';
import type { EndpointInstance, SsmEndpoint } from '../stand-ins/ssm-endpoint.js';

const FORWARDER = resolve(import.meta.dirname, 'tcp-to-unix.mjs');

export interface RegistryAccess {
  /** host:port of the registry on the runner's loopback. */
  host: string;
  /** A docker-style auth file with the registry's credentials (what an ECR credential helper provides). */
  authFile: string;
}

/** An instance directory whose `podman` is real, with private storage, trusting the plain-http registry. */
export function podmanStandIn(parent: string, name: string, registry: RegistryAccess): StandIn {
  const root = join(parent, name);
  const podmanDir = join(root, 'podman');
  if (join(podmanDir, 'run').length > 50) {
    throw new Error(
      `podman's runroot ${join(podmanDir, 'run')} is over podman's limit of 50 characters; set a shorter TMPDIR.`,
    );
  }
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const registriesConf = join(root, 'registries.conf');
  writeFileSync(registriesConf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
  const flags = privateStorage(podmanDir).podmanFlags;
  // Health checks are run by the rollout, not by a systemd timer (there is none here).
  const runFlags = [...RUN_LIMITS, '--health-interval', 'disable'];
  writeFileSync(join(bin, 'podman'), podmanWrapper(flags, runFlags));
  chmodSync(join(bin, 'podman'), 0o755);
  symlinkSync(join(STAND_IN_DIR, 'fake-aws'), join(bin, 'aws'));
  return {
    root,
    bin,
    state: join(root, 'state'),
    scriptState: join(root, 'var-lib', 'ssm-rollout'),
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: root,
      CONTAINERS_REGISTRIES_CONF: registriesConf,
      REGISTRY_AUTH_FILE: registry.authFile,
    },
  };
}

/** Serves the registry on a Unix socket (runner side of every instance's forwarder). */
export async function registrySocket(
  socketPath: string,
  registryHost: string,
): Promise<{ close(): Promise<void> }> {
  const [host, port] = [registryHost.slice(0, registryHost.lastIndexOf(':')), registryHost.split(':').pop()];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host, port: Number(port) });
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    // pipe() ends each side when the other ends; an error tears both down.
    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail).on('close', () => open.delete(client));
    upstream.on('error', fail).on('close', () => open.delete(upstream));
  });
  await new Promise<void>((done) => server.listen(socketPath, done));
  return {
    // Closing waits for open connections; the pulls are over, so end them (keep-alive ones stay open).
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of open) socket.destroy();
      }),
  };
}

/** Starts the instance's forwarder from the registry's loopback address to the socket; resolves when it listens. */
export async function startForwarder(
  endpoint: SsmEndpoint,
  instance: EndpointInstance,
  registryHost: string,
  socketPath: string,
): Promise<void> {
  const child = endpoint.spawnOn(
    instance,
    ['exec', process.execPath, FORWARDER, registryHost, socketPath]
      .map((arg) => shellQuote('forwarder', arg))
      .join(' '),
  );
  await new Promise<void>((done, fail) => {
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.once('data', () => done());
    child.once('exit', (code) =>
      fail(new Error(`registry forwarder on ${instance.id} exited ${code}: ${err}`)),
    );
  });
}
