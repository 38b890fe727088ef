/**
 * The generated deploy and rollback scripts against REAL containers: podman (with the flags this machine
 * needs, see DESIGN.md) pulling from a local docker-registry. Two image versions of a tiny perl HTTP server:
 * one answers 200, the other 500. The health checks hit the real published port.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  symlinkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { deployScript, parseMarkers, rollbackScript, type DeployScriptOptions } from '../src/script.js';
import { STAND_IN_DIR } from '../../../stand-ins/instances.js';
import { freePort } from '../../../stand-ins/net.js';
import { podmanWrapper, privateStorage, RUN_LIMITS } from '../../../stand-ins/podman.js';
import { runScript } from './helpers/run-script.js';

jest.setTimeout(180_000);

const tools = ['podman', 'buildah', 'docker-registry', 'curl', 'perl'];
const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const root = process.getuid?.() === 0;
if ((missing.length > 0 || !root) && process.env.CI === 'true') {
  throw new Error(`real-container rollout tests need root and ${missing.join(', ')}`);
}
const live = missing.length === 0 && root ? describe : describe.skip;

const SERVER = String.raw`use IO::Socket::INET;
my $code = $ARGV[0] // 200;
$SIG{TERM} = sub { exit 0 };
my $s = IO::Socket::INET->new(LocalPort => 3000, Listen => 16, ReuseAddr => 1) or die "listen: $!";
while (my $c = $s->accept) {
  my $line = <$c>;
  my $body = "status $code, greeting " . ($ENV{GREETING} // '') . "\n";
  print $c "HTTP/1.0 $code X\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
  close $c;
}
`;

const GREETING = `hello 'world' "$(touch pwned)" \`id\``;
let dir = '';
let registry: ChildProcess | undefined;
let env: NodeJS.ProcessEnv = {};
const images: Record<'good' | 'bad', string> = { good: '', bad: '' };
let storage: string[] = [];

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A root filesystem holding perl, the libraries it links and its base modules, plus the server. */
function rootfs(target: string): void {
  const perl = '/usr/bin/perl';
  const libs = sh('ldd', [perl])
    .split('\n')
    .map((line) => /(\/\S+)/.exec(line.split('=>').pop() ?? '')?.[1])
    .filter((p): p is string => Boolean(p));
  for (const file of [perl, ...libs]) {
    mkdirSync(join(target, dirname(file)), { recursive: true });
    copyFileSync(file, join(target, file)); // follows symlinks (libcrypt.so.1 -> libcrypt.so.1.1.0)
  }
  cpSync('/usr/lib/x86_64-linux-gnu/perl-base', join(target, '/usr/lib/x86_64-linux-gnu/perl-base'), {
    recursive: true,
    dereference: true,
  });
  writeFileSync(join(target, 'server.pl'), SERVER);
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/v2/`]).status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('registry did not start');
}

async function probe(port: number): Promise<string> {
  const out = spawnSync(
    'curl',
    ['-s', '--retry', '10', '--retry-connrefused', '--retry-delay', '1', `http://127.0.0.1:${port}/health`],
    {
      encoding: 'utf8',
    },
  );
  return out.stdout;
}

function podman(args: string[]): string {
  return sh(join(dir, 'bin', 'podman'), args);
}

beforeAll(async () => {
  if (missing.length > 0 || !root) return;
  dir = mkdtempSync(join(tmpdir(), 'ssm-rollout-podman-'));
  // The podman the script finds on PATH: this machine's flags and a private storage (buildah shares it).
  const podmanStorage = privateStorage(join(dir, 'podman'));
  storage = podmanStorage.storage;
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'podman'), podmanWrapper(podmanStorage.podmanFlags, RUN_LIMITS));
  chmodSync(join(dir, 'bin', 'podman'), 0o755);

  const port = await freePort();
  writeFileSync(
    join(dir, 'registry.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  registry = spawn('docker-registry', ['serve', join(dir, 'registry.yml')], { stdio: 'ignore' });
  await waitForPort(port);
  writeFileSync(
    join(dir, 'registries.conf'),
    `[[registry]]\nlocation = "127.0.0.1:${port}"\ninsecure = true\n`,
  );

  rootfs(join(dir, 'rootfs'));
  for (const [version, code] of [
    ['good', '200'],
    ['bad', '500'],
  ] as const) {
    const ctr = sh('buildah', [...storage, 'from', 'scratch']);
    sh('buildah', [...storage, 'copy', ctr, join(dir, 'rootfs'), '/']);
    sh('buildah', [
      ...storage,
      'config',
      '--entrypoint',
      '["/usr/bin/perl", "/server.pl"]',
      '--cmd',
      `["${code}"]`,
      ctr,
    ]);
    sh('buildah', [...storage, 'commit', '-q', ctr, `localhost/legal-api:${version}`]);
    sh('buildah', [...storage, 'rm', ctr]);
    const digestFile = join(dir, `${version}.digest`);
    const ref = `127.0.0.1:${port}/legal-api`;
    sh('buildah', [
      ...storage,
      'push',
      '--tls-verify=false',
      '--digestfile',
      digestFile,
      `localhost/legal-api:${version}`,
      `docker://${ref}:${version}`,
    ]);
    images[version] = `${ref}@${readFileSync(digestFile, 'utf8').trim()}`;
  }
  symlinkSync(join(STAND_IN_DIR, 'fake-aws'), join(dir, 'bin', 'aws'));
  writeFileSync(join(dir, 'parameters.json'), JSON.stringify({ '/legal-api/prod/GREETING': GREETING }));
  env = {
    FAKE_AWS_PARAMETERS: join(dir, 'parameters.json'),
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    HOME: dir,
    CONTAINERS_REGISTRIES_CONF: join(dir, 'registries.conf'),
  };
});

afterAll(() => {
  if (!dir) return;
  spawnSync(join(dir, 'bin', 'podman'), ['rm', '--all', '--force', '--time', '0']);
  registry?.kill();
  rmSync(dir, { recursive: true, force: true });
});

live('the scripts with real podman containers', () => {
  let hostPort = 0;
  const options = (image: string): DeployScriptOptions => ({
    runtime: 'podman',
    image,
    registry: '',
    region: 'eu-west-1',
    containerName: 'legal-api',
    containerPort: 3000,
    hostPort,
    healthPath: '/health',
    healthTimeoutSeconds: 8,
    envParametersPath: '/legal-api/prod',
    stateDir: join(dir, 'state'),
    probeIntervalSeconds: 1,
    rolloutId: 'podman-run',
  });
  const image = (name: string) => podman(['container', 'inspect', '--format', '{{.Config.Image}}', name]);

  test('when the good release is deployed, then a real container answers 200 on the host port with its environment from the parameter path', async () => {
    hostPort = await freePort();
    const run = await runScript('bash', deployScript(options(images.good)), env, dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseMarkers(run.stdout)).toEqual({ result: 'healthy', previousImage: '' });
    expect(await probe(hostPort)).toBe(`status 200, greeting ${GREETING}\n`);
    expect(image('legal-api')).toBe(images.good);
    expect(
      podman(['container', 'inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', 'legal-api']),
    ).toBe('unless-stopped');
  });

  test('when the bad release is deployed over it, then the script sees 500, restores the good container and exits 10', async () => {
    const run = await runScript('bash', deployScript(options(images.bad)), env, dir);
    expect(run.code).toBe(10);
    expect(parseMarkers(run.stdout)).toEqual({ result: 'unhealthy-restored', previousImage: images.good });
    expect(image('legal-api')).toBe(images.good);
    expect(await probe(hostPort)).toBe(`status 200, greeting ${GREETING}\n`);
    expect(podman(['ps', '--all', '--format', '{{.Names}}'])).toBe('legal-api');
  });

  test('when a release was deployed and is then rolled back, then the previous real container serves again', async () => {
    const deploy = await runScript('bash', deployScript(options(images.good)), env, dir);
    expect(deploy.code).toBe(0);
    expect(parseMarkers(deploy.stdout).previousImage).toBe(images.good);
    const rollback = await runScript('bash', rollbackScript(options(images.good)), env, dir);
    expect(rollback.code).toBe(0);
    expect(parseMarkers(rollback.stdout).result).toBe('rolled-back');
    expect(await probe(hostPort)).toBe(`status 200, greeting ${GREETING}\n`);
    expect(podman(['ps', '--format', '{{.Names}}'])).toBe('legal-api');
  });
});
