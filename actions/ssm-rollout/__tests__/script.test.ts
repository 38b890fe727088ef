import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import {
  deployScript,
  parseMarkers,
  rollbackScript,
  runShellCommand,
  shellQuote,
  type DeployScriptOptions,
} from '../src/script.js';
import {
  calls,
  containers,
  createStandIn,
  markUnhealthy,
  requests,
  stopAll,
  type StandIn,
} from '../../../stand-ins/instances.js';
import { freePort } from '../../../stand-ins/net.js';
import { runScript } from './helpers/run-script.js';
import { haveCurl, haveShellcheck, shellcheck } from './helpers/shellcheck.js';

const OLD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api@sha256:' + 'a'.repeat(64);
const NEW = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/legal-api@sha256:' + 'b'.repeat(64);
const HOSTILE = `we'ird "name" $(touch pwned-dollar) \`touch pwned-tick\` ; touch pwned-semi && echo $HOME`;

function options(
  s: StandIn,
  port: number,
  overrides: Partial<DeployScriptOptions> = {},
): DeployScriptOptions {
  return {
    runtime: 'docker',
    image: NEW,
    registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    containerName: 'legal-api',
    containerPort: 3000,
    hostPort: port,
    healthPath: '/health',
    healthTimeoutSeconds: 3,
    envParametersPath: '/legal-api/prod',
    stateDir: s.scriptState,
    probeIntervalSeconds: 0.2,
    rolloutId: 'run-42.1.abc',
    ...overrides,
  };
}

function pwnedFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (entry.startsWith('pwned')) found.push(path);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return found;
}

async function statusWithin(port: number, ms: number): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).status;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const standIns: StandIn[] = [];
afterEach(() => {
  for (const s of standIns.splice(0)) {
    stopAll(s);
    rmSync(s.root, { recursive: true, force: true });
  }
});

async function newStandIn(
  parameters: Record<string, string> = { '/legal-api/prod/DATABASE_URL': 'postgres://db/legal' },
) {
  const s = createStandIn(mkdtempSync(join(tmpdir(), 'ssm-rollout-script-')));
  standIns.push(s);
  const paramsFile = join(s.root, 'parameters.json');
  writeFileSync(paramsFile, JSON.stringify(parameters));
  s.env.FAKE_AWS_PARAMETERS = paramsFile;
  return { s, port: await freePort() };
}

describe('shellQuote', () => {
  test.each([
    ['plain', `'plain'`],
    [`it's`, `'it'\\''s'`],
    ['$(id) `id` "x"', `'$(id) \`id\` "x"'`],
    ['', `''`],
  ])('when quoting %j, then bash reads back exactly the input', (value, quoted) => {
    expect(shellQuote('f', value)).toBe(quoted);
    // Independent check: bash itself evaluates the quoted word back to the original.
    expect(execFileSync('bash', ['-c', `printf '%s' ${quoted}`], { encoding: 'utf8' })).toBe(value);
  });

  test.each(['a\nb', 'a\rb', 'tab\there', 'nul\u0000', 'esc\u001b[31m', 'del\u007f'])(
    'when a value holds a control character (%j), then the generator refuses it and names the field',
    (value) => {
      expect(() => deployScript({ ...options(createStandIn(), 1), healthPath: value })).toThrow(
        /health-path must not contain newlines or control characters/,
      );
    },
  );
});

describe('shellcheck', () => {
  const base = options(createStandIn(), 8080);
  const variants: [string, DeployScriptOptions][] = [
    ['docker with login and environment', base],
    [
      'podman without login or environment',
      { ...base, runtime: 'podman', registry: '', envParametersPath: '' },
    ],
    [
      'hostile values everywhere',
      {
        ...base,
        image: HOSTILE,
        containerName: HOSTILE,
        healthPath: `/h?${HOSTILE}`,
        envParametersPath: HOSTILE,
        registry: HOSTILE,
        region: HOSTILE,
      },
    ],
  ];
  (haveShellcheck ? test.each(variants) : test.skip.each(variants))(
    'when the deploy and rollback scripts are generated (%s), then shellcheck finds nothing',
    (_, o) => {
      for (const script of [deployScript(o), rollbackScript(o)])
        expect(shellcheck(script)).toEqual({ status: 0, output: '' });
      expect(shellcheck(runShellCommand(deployScript(o)), 'sh')).toEqual({ status: 0, output: '' });
    },
  );
});

const live = haveCurl ? test : test.skip;
// Each of these runs bash, a stand-in docker and an HTTP probe: allow for a loaded 2-core CI machine.
jest.setTimeout(60_000);

describe('the deploy script, executed by bash against a stand-in docker', () => {
  live(
    'when nothing runs yet, then it logs in through stdin, pulls, starts the container with its environment and reports healthy',
    async () => {
      const { s, port } = await newStandIn({
        '/legal-api/prod/DATABASE_URL': 'postgres://db/legal',
        '/legal-api/prod/nested/LOG_LEVEL': 'info',
        '/other/SECRET': 'not mine',
      });
      const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'healthy', previousImage: '' });
      const login = calls(s).find(
        (c) => c.args[0] === undefined || (c.tool === 'docker' && c.args.includes('--password-stdin')),
      );
      expect(login?.args).toEqual([
        'login',
        '--username',
        'AWS',
        '--password-stdin',
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      ]);
      expect(calls(s).some((c) => c.args.some((a) => a.includes('fake-ecr-password')))).toBe(false);
      expect(containers(s)).toEqual([
        {
          name: 'legal-api',
          image: NEW,
          state: 'running',
          env: 'DATABASE_URL=postgres://db/legal\nLOG_LEVEL=info\n',
          port: String(port),
        },
      ]);
      const run1 = calls(s).find((c) => c.args[0] === 'run')!;
      expect(run1.args).toEqual(
        expect.arrayContaining(['--restart', 'unless-stopped', '--publish', `${port}:3000`, NEW]),
      );
      expect(requests(s)).toContain('/health');
    },
  );

  live(
    'when every value is hostile (quotes, $(), backticks, ;), then each reaches docker as one literal argument and nothing is executed',
    async () => {
      const hostileEnv = `a b'c"d $(touch pwned-env) \`touch pwned-env2\``;
      // Parameter Store names are [A-Za-z0-9_.-/] only (the input is checked), so the path is a real one; the
      // hostile part is the value, which reaches the script through the instance's own aws call.
      const path = `/app/prod`;
      const { s, port } = await newStandIn({ [`${path}/TOKEN`]: hostileEnv });
      const healthPath = `/health?q='$(touch\${IFS}pwned-probe)'&r=\`id\`"x";touch\${IFS}pwned-semi`;
      const o = options(s, port, {
        image: HOSTILE,
        containerName: `app 'x' $(touch pwned-name)`,
        healthPath,
        envParametersPath: path,
        registry: HOSTILE,
      });
      const run = await runScript('bash', deployScript(o), s.env, s.root);
      expect(run.code).toBe(0);
      expect(pwnedFiles(s.root)).toEqual([]);
      const recorded = calls(s);
      expect(recorded.find((c) => c.args[0] === 'pull')?.args).toEqual(['pull', '--quiet', HOSTILE]);
      expect(recorded.find((c) => c.args[0] === 'login')?.args.at(-1)).toBe(HOSTILE);
      expect(recorded.find((c) => c.args[0] === 'run')?.args).toEqual(
        expect.arrayContaining(['--name', `app 'x' $(touch pwned-name)`, HOSTILE]),
      );
      expect(containers(s)[0]?.env).toBe(`TOKEN=${hostileEnv}\n`);
      expect(requests(s)).toContain(healthPath);
    },
  );

  live(
    'when a healthy release replaces a running one, then the old container is kept stopped and its image recorded',
    async () => {
      const { s, port } = await newStandIn();
      await runScript('bash', deployScript(options(s, port, { image: OLD })), s.env, s.root);
      const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'healthy', previousImage: OLD });
      expect(
        containers(s)
          .map((c) => [c.name, c.image, c.state])
          .sort(),
      ).toEqual([
        ['legal-api', NEW, 'running'],
        ['legal-api-ssm-rollout-previous', OLD, 'exited'],
      ]);
    },
  );

  live(
    'when the new release never becomes healthy, then the script restores the previous container itself and exits 10',
    async () => {
      const { s, port } = await newStandIn();
      await runScript('bash', deployScript(options(s, port, { image: OLD })), s.env, s.root);
      markUnhealthy(s, NEW);
      const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(10);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'unhealthy-restored', previousImage: OLD });
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
      // The restored container answers again (independent check over HTTP).
      expect(await statusWithin(port, 5000)).toBe(200);
    },
  );

  live(
    'when the new container is unhealthy and the restored previous one does not answer healthy either, then the script exits 11 (restore-failed)',
    async () => {
      const { s, port } = await newStandIn();
      await runScript('bash', deployScript(options(s, port, { image: OLD })), s.env, s.root);
      markUnhealthy(s, NEW);
      markUnhealthy(s, OLD); // the previous release answers 500 once restarted
      const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(11);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'restore-failed', previousImage: OLD });
      expect(run.stdout).toContain('the previous container is back but not healthy within');
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
      // The previous container is back: a rollback has nothing to undo and leaves it alone.
      const rollback = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect({ code: rollback.code, result: parseMarkers(rollback.stdout).result }).toEqual({
        code: 0,
        result: 'unchanged',
      });
    },
  );

  live('when the image cannot be pulled, then nothing is stopped and the script fails', async () => {
    const { s, port } = await newStandIn();
    await runScript('bash', deployScript(options(s, port, { image: OLD })), s.env, s.root);
    writeFileSync(join(s.state, 'unpullable-images'), `${NEW}\n`);
    const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('pull access denied');
    expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
  });

  live.each([
    [{}, 'environment-empty'],
    [{ '/legal-api/prod/bad-name': 'x' }, 'environment-invalid'],
  ])(
    'when the parameter path gives %j, then the script stops before touching the container (%s)',
    async (params, marker) => {
      const { s, port } = await newStandIn(params);
      const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(4);
      expect(parseMarkers(run.stdout).result).toBe(marker);
      expect(containers(s)).toEqual([]);
    },
  );

  live(
    'when podman is the runtime and login is off, then podman is called and no login happens',
    async () => {
      const { s, port } = await newStandIn();
      const run = await runScript(
        'bash',
        deployScript(options(s, port, { runtime: 'podman', registry: '', envParametersPath: '' })),
        s.env,
        s.root,
      );
      expect(run.code).toBe(0);
      expect(new Set(calls(s).map((c) => c.tool))).toEqual(new Set(['podman']));
      expect(calls(s).some((c) => c.args[0] === 'login')).toBe(false);
      expect(containers(s)[0]?.env).toBe('');
    },
  );

  live(
    'when sent through the AWS-RunShellScript wrapper and run by sh, then the script runs under bash and its exit code comes back',
    async () => {
      const { s, port } = await newStandIn();
      await runScript('sh', runShellCommand(deployScript(options(s, port, { image: OLD }))), s.env, s.root);
      markUnhealthy(s, NEW);
      const run = await runScript('sh', runShellCommand(deployScript(options(s, port))), s.env, s.root);
      expect(run.code).toBe(10);
      expect(parseMarkers(run.stdout).result).toBe('unhealthy-restored');
    },
  );
});

describe('the rollback script', () => {
  live(
    'when a release was deployed over a previous one, then rollback returns to the previous container',
    async () => {
      const { s, port } = await newStandIn();
      await runScript('bash', deployScript(options(s, port, { image: OLD })), s.env, s.root);
      await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'rolled-back', previousImage: OLD });
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
    },
  );

  live(
    'when there was no previous container, then rollback exits 12 and leaves the container alone',
    async () => {
      const { s, port } = await newStandIn();
      await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(12);
      expect(parseMarkers(run.stdout).result).toBe('no-previous');
      expect(containers(s).map((c) => [c.name, c.image])).toEqual([['legal-api', NEW]]);
      expect(existsSync(join(s.scriptState, 'legal-api.previous'))).toBe(true);
    },
  );

  live(
    "when the instance was changed by an earlier rollout only, then this rollout's rollback leaves it alone (no going back two releases)",
    async () => {
      const { s, port } = await newStandIn();
      await runScript(
        'bash',
        deployScript(options(s, port, { image: OLD, rolloutId: 'earlier' })),
        s.env,
        s.root,
      );
      await runScript('bash', deployScript(options(s, port, { rolloutId: 'earlier-2' })), s.env, s.root);
      const run = await runScript(
        'bash',
        rollbackScript(options(s, port, { rolloutId: 'this-one' })),
        s.env,
        s.root,
      );
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout).result).toBe('unchanged');
      expect(
        containers(s)
          .map((c) => [c.name, c.image, c.state])
          .sort(),
      ).toEqual([
        ['legal-api', NEW, 'running'],
        ['legal-api-ssm-rollout-previous', OLD, 'exited'],
      ]);
    },
  );

  live(
    'when the deploy already restored the previous container itself, then the rollback has nothing left to do',
    async () => {
      const { s, port } = await newStandIn();
      await runScript(
        'bash',
        deployScript(options(s, port, { image: OLD, rolloutId: 'earlier' })),
        s.env,
        s.root,
      );
      markUnhealthy(s, NEW);
      expect((await runScript('bash', deployScript(options(s, port)), s.env, s.root)).code).toBe(10);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout).result).toBe('unchanged');
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
    },
  );

  live(
    'when a deploy was killed after setting the old container aside, then the rollback puts it back',
    async () => {
      const { s, port } = await newStandIn();
      await runScript(
        'bash',
        deployScript(options(s, port, { image: OLD, rolloutId: 'earlier' })),
        s.env,
        s.root,
      );
      // The command is killed right before the new container starts (as SSM does at executionTimeout).
      const script = deployScript(options(s, port)).replace(
        'log "starting $name from $image"',
        'log "starting $name from $image"; kill -KILL $$',
      );
      expect((await runScript('bash', script, s.env, s.root)).code).not.toBe(0);
      expect(containers(s).map((c) => [c.name, c.state])).toEqual([
        ['legal-api-ssm-rollout-previous', 'exited'],
      ]);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'rolled-back', previousImage: OLD });
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
    },
  );
});

describe('the rollback script after a deploy or rollback cut short (a cancelled workflow)', () => {
  const cutAt = async (marker: string) => {
    const { s, port } = await newStandIn();
    await runScript(
      'bash',
      deployScript(options(s, port, { image: OLD, rolloutId: 'earlier' })),
      s.env,
      s.root,
    );
    const script = deployScript(options(s, port));
    expect(script).toContain(marker);
    const cut = script.replace(marker, `${marker}; kill -KILL $$`);
    expect((await runScript('bash', cut, s.env, s.root)).code).not.toBe(0);
    return { s, port };
  };

  live(
    'when the deploy was killed after recording the rollout but before touching the container, then the rollback finds the previous container serving and keeps it',
    async () => {
      const { s, port } = await cutAt(`printf '%s\\n' "$rollout_id" >"$state_dir/$name.rollout"`);
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout)).toEqual({ result: 'rolled-back', previousImage: OLD });
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
      expect(existsSync(join(s.scriptState, 'legal-api.rollout'))).toBe(false);
    },
  );

  live(
    'when the deploy was killed after stopping the previous container but before setting it aside, then the rollback starts it again',
    async () => {
      const { s, port } = await cutAt('"$runtime" stop "$name" >/dev/null');
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'exited']]);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout).result).toBe('rolled-back');
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
    },
  );

  live(
    'when a rollback was killed after renaming the previous container back, then a second rollback finishes it',
    async () => {
      const { s, port } = await newStandIn();
      await runScript(
        'bash',
        deployScript(options(s, port, { image: OLD, rolloutId: 'earlier' })),
        s.env,
        s.root,
      );
      await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      const marker = '"$runtime" rename "$backup" "$name"';
      const first = rollbackScript(options(s, port));
      expect(first).toContain(marker);
      expect(
        (await runScript('bash', first.replace(marker, `${marker}; kill -KILL $$`), s.env, s.root)).code,
      ).not.toBe(0);
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'exited']]);
      const run = await runScript('bash', rollbackScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(0);
      expect(parseMarkers(run.stdout).result).toBe('rolled-back');
      expect(containers(s).map((c) => [c.name, c.image, c.state])).toEqual([['legal-api', OLD, 'running']]);
      expect(await runScript('bash', rollbackScript(options(s, port)), s.env, s.root)).toMatchObject({
        code: 0,
      });
    },
  );
});

describe('what reaches the instance from Systems Manager', () => {
  test('when a value carries an SSM {{...}} placeholder, then generation refuses it (Run Command would substitute it unquoted)', () => {
    const o = {
      runtime: 'docker' as const,
      image: NEW,
      registry: '',
      region: 'eu-west-1',
      containerName: 'api',
      containerPort: 3000,
      hostPort: 8080,
      healthPath: '/{{ssm:/team/banner}}',
      healthTimeoutSeconds: 5,
      envParametersPath: '',
      rolloutId: 'r1',
    };
    expect(() => deployScript(o)).toThrow(
      "health-path must not contain '{{' or '}}' (Systems Manager substitutes {{ssm:...}} placeholders into the command)",
    );
    expect(() => rollbackScript({ ...o, healthPath: '/ok', containerName: 'api}}' })).toThrow(
      "container-name must not contain '{{' or '}}'",
    );
  });

  live(
    'when a parameter holds several lines, then the deploy stops and never prints any of them',
    async () => {
      const { s, port } = await newStandIn({
        '/legal-api/prod/TLS_KEY':
          '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANSECRETLINE\n-----END PRIVATE KEY-----',
      });
      const run = await runScript('bash', deployScript(options(s, port)), s.env, s.root);
      expect(run.code).toBe(4);
      expect(parseMarkers(run.stdout).result).toBe('environment-invalid');
      expect(run.stdout).toContain('parameter /legal-api/prod/TLS_KEY holds several lines');
      expect(`${run.stdout}${run.stderr}`).not.toContain('SECRETLINE');
      expect(calls(s).some((c) => c.args[0] === 'run')).toBe(false);
    },
  );

  live(
    'when the image is in another region, then the login uses its region and the parameters the deploy region',
    async () => {
      const { s, port } = await newStandIn({ '/legal-api/prod/LOG_LEVEL': 'info' });
      const o = { ...options(s, port), region: 'eu-west-1', ecrRegion: 'us-east-1' };
      const run = await runScript('bash', deployScript(o), s.env, s.root);
      expect(run.code).toBe(0);
      const awsCalls = readFileSync(join(s.root, 'aws-calls.log'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as string[]);
      const regionOf = (service: string) =>
        awsCalls.filter((a) => a[0] === service).map((a) => a[a.indexOf('--region') + 1]);
      expect(regionOf('ecr')).toEqual(['us-east-1']);
      expect(new Set(regionOf('ssm'))).toEqual(new Set(['eu-west-1']));
    },
  );
});
