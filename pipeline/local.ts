/**
 * `npm run pipeline:local`: the deploy workflow's steps, run on this machine with the real bundles in dist/
 * against local stand-ins for AWS and GitHub (see README "Try the toolkit without AWS"):
 *
 *   sha-tag on HEAD → buildah image build → security-gate → ecr-push to a real registry via a local ECR API
 *   → sbom-upload (the snapshot recorded, not sent) → ssm-rollout to three instances running the image under
 *   podman via a local SSM API → a broken release, which must stop at the canary and roll back.
 *
 * Every claim is checked against the real component (the registry's API, podman on each instance, the
 * service's /health); the summary is printed and kept in .pipeline-local/. Everything it starts is torn
 * down, also when a step fails or the run is interrupted.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { startEcrEndpoint } from '../action-tests/helpers/ecr-endpoint.js';
import { getManifest, REGISTRY_PASSWORD, startRegistry } from '../action-tests/helpers/ecr-registry.js';
import { fakeGitHub } from '../action-tests/helpers/sbom-upload.js';
import { privateStorage } from '../action-tests/helpers/service-image.js';
import { SsmEndpoint } from '../action-tests/helpers/ssm-endpoint.js';
import { Cleanup } from './cleanup.js';
import { gateReports } from './gate-reports.js';
import { buildBrokenImage, buildServiceImage, storageReference } from './images.js';
import { podmanStandIn, registrySocket, startForwarder } from './instances.js';
import { runAction, type StepRun } from './run-action.js';
import { RunnerLog } from './runner-log.js';
import { passed, renderSummary, type PipelineReport, type StepStatus } from './summary.js';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, '.pipeline-local');
const REPOSITORY = 'legal-service';
const CONTAINER = 'legal-service';
const INSTANCES = ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003'];
const ENV_PATH = '/legal-service/staging/env';
const RELEASE_PARAMETER = '/legal-service/staging/release';
const TOOLS = ['buildah', 'podman', 'runc', 'skopeo', 'docker-registry', 'nsenter', 'unshare', 'curl', 'ip'];

const print = (line: string) => process.stdout.write(`${line}\n`);

class StepFailed extends Error {}

function git(args: string[]): string {
  const run = spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  if (run.status !== 0) throw new StepFailed(`git ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

function preflight(): void {
  const problems: string[] = [];
  if (process.getuid?.() !== 0)
    problems.push('it must run as root (each stand-in instance is a network namespace)');
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0)
    problems.push(`these tools are missing: ${missing.join(', ')} (see .ci/run for the packages)`);
  for (const action of ['sha-tag', 'security-gate', 'ecr-push', 'sbom-upload', 'ssm-rollout']) {
    if (!existsSync(join(REPO, 'dist', action, 'index.js')))
      problems.push(`dist/${action}/index.js is missing (npm run build)`);
  }
  if (problems.length > 0) {
    console.error(`npm run pipeline:local cannot run here:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  preflight();
  const cleanup = new Cleanup();
  const interrupted = (signal: NodeJS.Signals) => {
    print(`\n${signal}: cleaning up…`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let report: PipelineReport;
  try {
    report = await rehearse(cleanup);
  } catch (err) {
    print(`\nThe rehearsal stopped: ${(err as Error).stack ?? String(err)}`);
    print('\n━━ cleaning up');
    for (const failure of await cleanup.run()) print(`  clean-up failed: ${failure}`);
    return 1;
  }
  print('\n━━ cleaning up');
  report.cleanupFailures = await cleanup.run();
  const markdown = renderSummary(report);
  writeFileSync(join(OUT, 'summary.md'), markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  print(`\n${markdown}`);
  print(`(also in ${join(OUT, 'summary.md')})`);
  return passed(report) ? 0 : 1;
}

/** Runs the steps in order; a failed step marks the rest "not run". Returns the report for the summary. */
async function rehearse(cleanup: Cleanup): Promise<PipelineReport> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'plr-')); // short: podman refuses a runroot over 50 characters
  cleanup.defer('temporary directory', () => rmSync(work, { recursive: true, force: true }));

  const sha = git(['rev-parse', 'HEAD']);
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']).replace(/^HEAD$/, 'main');
  const report: PipelineReport = {
    commit: sha,
    steps: [],
    checks: [],
    artifacts: [],
    stepSummaries: [],
    cleanupFailures: [],
  };
  const log = new RunnerLog();
  let failed = false;

  async function step(name: string, body: () => Promise<string>): Promise<void> {
    const record = { name, status: 'not run' as StepStatus, seconds: 0, detail: '' };
    report.steps.push(record);
    if (failed) return;
    print(`\n━━ ${name}`);
    const started = performance.now();
    try {
      record.detail = await body();
      record.status = 'passed';
    } catch (err) {
      failed = true;
      record.status = 'failed';
      record.detail = log.render((err as Error).message) ?? '';
      print(`✖ ${name}: ${record.detail}`);
    }
    record.seconds = (performance.now() - started) / 1000;
  }
  function check(what: string, ok: boolean, detail: string): void {
    report.checks.push({ what, ok, detail });
    print(`${ok ? '✔' : '✖'} ${what}: ${detail}`);
    if (!ok) throw new StepFailed(`check failed: ${what}: ${detail}`);
  }

  // The job's context, as the runner sets it for a push to the current branch.
  const event = {
    ref: `refs/heads/${branch}`,
    after: sha,
    repository: {
      full_name: 'local/legal-service',
      default_branch: branch,
      html_url: 'https://github.com/local/legal',
    },
    head_commit: { id: sha, timestamp: git(['show', '-s', '--format=%cI', 'HEAD']) },
  };
  writeFileSync(join(work, 'event.json'), JSON.stringify(event));
  const github = await fakeGitHub((req) =>
    req.url.includes('/dependency-graph/snapshots')
      ? {
          status: 201,
          body: {
            id: 1,
            number: 1,
            result: 'SUCCESS',
            created_at: new Date().toISOString(),
            message: 'recorded locally',
          },
        }
      : { status: 404, body: { message: `not served by the local stand-in: ${req.method} ${req.url}` } },
  );
  cleanup.defer('GitHub API stand-in', () => github.close());
  const githubToken = `ghs_local${randomBytes(12).toString('hex')}`;
  log.mask(githubToken);
  const jobEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: REPO,
    GITHUB_REPOSITORY: event.repository.full_name,
    GITHUB_REPOSITORY_OWNER: 'local',
    GITHUB_SHA: sha,
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: branch,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(work, 'event.json'),
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'build',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'local',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: githubToken,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIALOCALREHEARSAL00',
    AWS_SECRET_ACCESS_KEY: randomBytes(20).toString('base64'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  log.mask(jobEnv.AWS_SECRET_ACCESS_KEY!);

  const action = async (
    name: string,
    inputs: Record<string, string>,
    extra: { state?: Record<string, string>; label?: string } = {},
  ) => {
    const run = await runAction(REPO, name, {
      inputs,
      env: jobEnv,
      workDir: work,
      state: extra.state,
      log,
      print: (line) => print(`  │ ${line}`),
    });
    report.stepSummaries.push({ step: extra.label ?? name, markdown: run.summary });
    return run;
  };
  const succeeded = (name: string, run: StepRun) => {
    if (run.code !== 0)
      throw new StepFailed(
        `${name} exited ${run.code}: ${run.log.filter((l) => l.startsWith('Error')).join('; ')}`,
      );
    return run;
  };

  const storageDir = join(work, 'build');
  const storage = privateStorage(storageDir);
  cleanup.defer('image build storage', async () => {
    await storage.buildah(['rm', '--all']).catch(() => undefined);
    await storage.podman(['rmi', '--all', '--force']).catch(() => undefined);
  });
  const candidate = `localhost/${REPOSITORY}:candidate`;
  const brokenImage = `localhost/${REPOSITORY}:broken`;
  let tags: string[] = [];
  let labels: string[] = [];

  await step('1. sha-tag on HEAD', async () => {
    const run = succeeded('sha-tag', await action('sha-tag', { images: REPOSITORY }));
    tags = run.outputs.tags!.split('\n').filter(Boolean);
    labels = run.outputs.labels!.split('\n').filter(Boolean);
    check(
      'sha-tag tags the commit',
      (run.outputs.sha ?? '') === sha,
      `sha=${run.outputs.sha}, tags ${run.outputs['tag-names']!.split('\n').join(', ')}`,
    );
    return `tags: ${run.outputs['tag-names']!.split('\n').join(', ')}`;
  });

  await step('2. build the service image (buildah)', async () => {
    await buildServiceImage(REPO, storage, candidate, labels);
    const inspected = JSON.parse(await storage.buildah(['inspect', '--type', 'image', candidate])) as {
      OCIv1: { config?: { Labels?: Record<string, string> } };
    };
    const revision = inspected.OCIv1.config?.Labels?.['org.opencontainers.image.revision'];
    check(
      'the image carries the commit as its revision label',
      revision === sha,
      `org.opencontainers.image.revision=${revision}`,
    );
    return `${candidate} (${labels.length} OCI labels)`;
  });

  let gateDetail = '';
  await step('3. security-gate', async () => {
    const reports = await gateReports(REPO, join(work, 'reports'), print, async (archive) => {
      await storage.podman(['save', '--format', 'oci-archive', '--output', archive, candidate]);
    });
    const run = succeeded(
      'security-gate',
      await action('security-gate', {
        reports: reports.files.join('\n'),
        'fail-on': 'high',
        'ignore-unfixed': 'true',
        'sarif-output': join(OUT, 'security-gate.sarif'),
      }),
    );
    report.artifacts.push({ what: 'merged SARIF of the gate', path: join(OUT, 'security-gate.sarif') });
    gateDetail = `passed=${run.outputs.passed}, counts ${run.outputs.counts}, ignored ${run.outputs['ignored-count']} (by .security-gate.yml)`;
    return `${gateDetail}; reports: ${reports.notes.join('; ')}`;
  });

  let registry: Awaited<ReturnType<typeof startRegistry>> | undefined;
  const push = async (image: string, pushTags: string[]) => {
    const run = succeeded(
      'ecr-push',
      await action('ecr-push', {
        repository: REPOSITORY,
        tags: pushTags.join('\n'),
        image: storageReference(storageDir, image),
        'lifecycle-policy': 'keep-last=50',
      }),
    );
    for (const tag of pushTags.map((t) => t.slice(t.lastIndexOf(':') + 1))) {
      const manifest = await getManifest(registry!, REPOSITORY, tag);
      check(
        `the registry resolves ${REPOSITORY}:${tag}`,
        manifest.digest === run.outputs.digest,
        `${manifest.status} ${manifest.digest}`,
      );
    }
    return run.outputs;
  };
  let good = { uri: '', digest: '' };
  await step('4. ecr-push to the local registry', async () => {
    registry = await startRegistry();
    cleanup.defer('registry', () => registry!.stop());
    const ecr = await startEcrEndpoint({ registryUrl: registry.url, password: REGISTRY_PASSWORD });
    cleanup.defer('ECR API stand-in', () => ecr.close());
    jobEnv.AWS_ENDPOINT_URL_ECR = ecr.url;
    const outputs = await push(candidate, tags);
    good = { uri: outputs['image-uri']!, digest: outputs.digest! };
    return `${good.uri}; pushed ${outputs['tags-pushed']!.split('\n').filter(Boolean).length} tags`;
  });

  await step('5. sbom-upload (snapshot recorded, not sent)', async () => {
    const run = succeeded(
      'sbom-upload',
      await action('sbom-upload', {
        path: '.',
        'upload-artifact': 'false',
        'dependency-snapshot': 'true',
        attest: 'false',
      }),
    );
    copyFileSync(run.outputs['sbom-path']!, join(OUT, basename(run.outputs['sbom-path']!)));
    const snapshot = github.requests.find((r) => r.url.includes('/dependency-graph/snapshots'));
    check(
      'the dependency snapshot went to the GitHub API stand-in',
      snapshot !== undefined,
      snapshot ? `${snapshot.method} ${snapshot.url}` : 'no request',
    );
    writeFileSync(join(OUT, 'dependency-snapshot.json'), `${JSON.stringify(snapshot!.body, null, 2)}\n`);
    report.artifacts.push(
      { what: 'SBOM', path: join(OUT, basename(run.outputs['sbom-path']!)) },
      { what: 'dependency snapshot as it would be submitted', path: join(OUT, 'dependency-snapshot.json') },
    );
    return `${run.outputs['component-count']} components; snapshot ${run.outputs['snapshot-id']}`;
  });

  const fleet = new SsmEndpoint(join(work, 'fleet'));
  const onInstance = async (id: string, command: string) => {
    const result = await fleet.exec(id, command);
    return { code: result.code, output: result.output.trim() };
  };
  /** The staging fleet: three instances behind a local SSM API, each running podman. */
  async function startFleet(): Promise<void> {
    jobEnv.AWS_ENDPOINT_URL_SSM = await fleet.start();
    jobEnv.AWS_ENDPOINT_URL_EC2 = fleet.url;
    cleanup.defer('stand-in instances', () => fleet.stop());
    cleanup.defer('containers on the instances', async () => {
      for (const id of fleet.instances.keys()) await onInstance(id, 'podman rm --all --force --time 0');
    });
    const socketPath = join(work, 'registry.sock');
    const socket = await registrySocket(socketPath, registry!.host);
    cleanup.defer('registry socket', () => new Promise((done) => socket.close(done)));
    const authFile = join(work, 'auth.json');
    const auth = Buffer.from(`AWS:${REGISTRY_PASSWORD}`).toString('base64');
    writeFileSync(authFile, JSON.stringify({ auths: { [registry!.host]: { auth } } }), { mode: 0o600 });
    for (const [index, id] of INSTANCES.entries()) {
      const standIn = podmanStandIn(join(work, 'fleet'), `i${index + 1}`, { host: registry!.host, authFile });
      const tags = { Environment: 'staging', Name: `legal-${id.slice(-1)}` };
      const instance = await fleet.addInstance(id, tags, 'Online', standIn);
      await startForwarder(fleet, instance, registry!.host, socketPath);
    }
    const adminPassword = randomBytes(12).toString('base64url');
    const jwtSecret = randomBytes(32).toString('hex');
    log.mask(adminPassword);
    log.mask(jwtSecret);
    const parameters: Record<string, [string, string]> = {
      JWT_SECRET: [jwtSecret, 'SecureString'],
      ADMIN_EMAIL: ['admin@staging.local', 'String'],
      ADMIN_PASSWORD: [adminPassword, 'SecureString'],
      ARGON2_MEMORY_KIB: ['8192', 'String'],
      LOG_LEVEL: ['warn', 'String'],
    };
    for (const [name, [value, type]] of Object.entries(parameters)) {
      fleet.parameters.set(`${ENV_PATH}/${name}`, { value, type, version: 1, modified: Date.now() });
    }
  }

  const rollout = async (image: string, label: string) => {
    const inputs = {
      targets: 'tag:Environment=staging',
      image,
      'container-name': CONTAINER,
      'container-port': '3000',
      'host-port': '80',
      'env-parameters-path': ENV_PATH,
      strategy: 'canary',
      'batch-size': '50%',
      'health-timeout': '60s',
      'command-timeout': '900s',
      'container-runtime': 'podman',
      'registry-login': 'false', // the instances authenticate through their auth file, like the ECR credential helper
      'release-parameter': RELEASE_PARAMETER,
    };
    jobEnv.GITHUB_JOB = 'staging';
    const main = await action('ssm-rollout', inputs, { label });
    const post = await action('ssm-rollout', inputs, { state: main.state, label: `${label} (post)` });
    if (post.code !== 0) throw new StepFailed(`the ssm-rollout post step exited ${post.code}`);
    return main;
  };
  const serving = async (id: string) => {
    const health = await onInstance(
      id,
      'curl --silent --max-time 5 --output /dev/null --write-out "%{http_code}" http://127.0.0.1:80/health',
    );
    const image = await onInstance(id, `podman container inspect --format '{{.Config.Image}}' ${CONTAINER}`);
    return { health: health.output, image: image.output };
  };
  const release = () =>
    JSON.parse(fleet.parameters.get(RELEASE_PARAMETER)?.value ?? '{}') as { image?: string };

  await step('6. ssm-rollout to three instances (podman)', async () => {
    await startFleet();
    const run = succeeded('ssm-rollout', await rollout(good.uri, 'ssm-rollout (release)'));
    for (const id of INSTANCES) {
      const now = await serving(id);
      check(
        `${id} serves the release`,
        now.health === '200' && now.image === good.uri,
        `GET /health → ${now.health}; container image ${now.image}`,
      );
    }
    check(
      'the release parameter records the image',
      release().image === good.uri,
      `${RELEASE_PARAMETER} → ${release().image}`,
    );
    return `${run.outputs.status}: ${run.outputs['deployed-instances']}`;
  });

  await step('7. a broken release stops at the canary and rolls back', async () => {
    await buildBrokenImage(storage, candidate, brokenImage);
    const brokenTag = `${REPOSITORY}:sha-${sha.slice(0, 7)}-broken`;
    const broken = await push(brokenImage, [brokenTag]);
    const callsBefore = fleet.calls.length;
    const run = await rollout(broken['image-uri']!, 'ssm-rollout (broken release)');
    const sentTo = fleet.calls
      .slice(callsBefore)
      .filter((c) => c.operation === 'SendCommand')
      .flatMap((c) => c.input.InstanceIds as string[]);
    check(
      'the rollout of the broken release fails',
      run.code !== 0 && run.outputs.status === 'rolled-back',
      `exit ${run.code}, status ${run.outputs.status}`,
    );
    const canary = run.outputs['planned-instances']!.split(' ')[0]!;
    check(
      'it stopped at the canary',
      run.outputs['failed-instances'] === canary && sentTo.every((id) => id === canary),
      `${canary} failed its health check and restored its container; commands went to: ${[...new Set(sentTo)].join(' ')}`,
    );
    for (const id of INSTANCES) {
      const now = await serving(id);
      check(
        `${id} still serves the previous release`,
        now.health === '200' && now.image === good.uri,
        `GET /health → ${now.health}; container image ${now.image}`,
      );
      const pulled = await onInstance(
        id,
        `podman image exists '${broken['image-uri']}' && echo pulled || echo absent`,
      );
      if (id === canary)
        check(`${id}, the canary, pulled the broken image`, pulled.output === 'pulled', pulled.output);
      else check(`${id} never pulled the broken image`, pulled.output === 'absent', pulled.output);
    }
    check(
      'the release parameter still names the previous release',
      release().image === good.uri,
      `${RELEASE_PARAMETER} → ${release().image}`,
    );
    return `stopped at ${canary}; all ${INSTANCES.length} instances on ${good.digest.slice(0, 19)}…`;
  });

  return report;
}

process.exitCode = await main();
