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
import {
  getManifest,
  haveTool,
  REGISTRY_PASSWORD,
  startRegistry,
  type LocalRegistry,
} from '../action-tests/helpers/ecr-registry.js';
import { fakeGitHub } from '../action-tests/helpers/sbom-upload.js';
import { privateStorage } from '../action-tests/helpers/service-image.js';
import { Cleanup } from './cleanup.js';
import { gateReports } from './gate-reports.js';
import { buildBrokenImage, buildServiceImage } from './images.js';
import { Fleet } from './fleet.js';
import { runAction, type StepRun } from './run-action.js';
import { RunnerLog } from './runner-log.js';
import { pushJobEnv } from './job-context.js';
import { Rehearsal } from './rehearsal.js';
import { passed, renderSummary, type PipelineReport } from './summary.js';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, '.pipeline-local');
const REPOSITORY = 'legal-service';
const CONTAINER = 'legal-service';
const HOST_PORT = 80;
const INSTANCES = ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003'];
const ENV_PATH = '/legal-service/staging/env';
const RELEASE_PARAMETER = '/legal-service/staging/release';
const TOOLS = ['buildah', 'podman', 'runc', 'skopeo', 'docker-registry', 'nsenter', 'unshare', 'curl', 'ip'];

const print = (line: string) => process.stdout.write(`${line}\n`);

function git(args: string[]): string {
  const run = spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

function preflight(): void {
  const problems: string[] = [];
  if (process.getuid?.() !== 0)
    problems.push('it must run as root (each stand-in instance is a network namespace)');
  const missing = TOOLS.filter((tool) => !haveTool(tool));
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
  // What this prints goes through the runner's masking, as a step's output and summary would.
  const log = new RunnerLog();
  const show = (text: string) => print(log.hide(text));
  // Ctrl-C reaches this process and npm relays it too: every later signal waits for the same clean-up.
  const interrupted = (signal: NodeJS.Signals) => {
    print(`\n${signal}: cleaning up…`);
    void cleanup.run().then((failures) => {
      for (const failure of failures) show(`  clean-up failed: ${failure}`);
      process.exit(130);
    });
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  let report: PipelineReport;
  try {
    report = await rehearse(cleanup, log);
  } catch (err) {
    show(`\nThe rehearsal stopped: ${(err as Error).stack ?? String(err)}`);
    print('\n━━ cleaning up');
    for (const failure of await cleanup.run()) show(`  clean-up failed: ${failure}`);
    return 1;
  }
  print('\n━━ cleaning up');
  report.cleanupFailures = await cleanup.run();
  const markdown = log.hide(renderSummary(report));
  writeFileSync(join(OUT, 'summary.md'), markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  print(`\n${markdown}`);
  print(`(also in ${join(OUT, 'summary.md')})`);
  return passed(report) ? 0 : 1;
}

/** Runs the steps in order; a failed step marks the rest "not run". Returns the report for the summary. */
async function rehearse(cleanup: Cleanup, log: RunnerLog): Promise<PipelineReport> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'plr-')); // short: podman refuses a runroot over 50 characters
  cleanup.defer('temporary directory', () => rmSync(work, { recursive: true, force: true }));

  const sha = git(['rev-parse', 'HEAD']);
  const run = new Rehearsal(sha, print, (text) => log.render(text) ?? '');
  const { report } = run;
  const check = run.check.bind(run);

  const github = await fakeGitHub((req) =>
    req.url.includes('/dependency-graph/snapshots')
      ? { status: 201, body: { id: 1, result: 'SUCCESS', message: 'recorded by the local stand-in' } }
      : { status: 404, body: { message: `not served by the local stand-in: ${req.method} ${req.url}` } },
  );
  cleanup.defer('GitHub API stand-in', () => github.close());
  const job = pushJobEnv({
    workspace: REPO,
    repository: 'local/legal-service',
    sha,
    branch: git(['rev-parse', '--abbrev-ref', 'HEAD']).replace(/^HEAD$/, 'main'),
    commitTime: git(['show', '-s', '--format=%cI', 'HEAD']),
    workDir: work,
    apiUrl: github.url,
  });
  job.secrets.forEach((secret) => log.mask(secret));
  const jobEnv = job.env;

  const action = async (
    name: string,
    inputs: Record<string, string>,
    label = name,
    state?: Record<string, string>,
  ) => {
    const result = await runAction(REPO, name, {
      inputs,
      env: jobEnv,
      workDir: work,
      state,
      log,
      print: (line) => print(`  │ ${line}`),
    });
    report.stepSummaries.push({ step: label, markdown: result.summary });
    return result;
  };
  const succeeded = (name: string, result: StepRun) => {
    if (result.code !== 0) {
      const errors = result.log.filter((line) => line.startsWith('Error'));
      const ended = result.timedOut ? 'timed out' : `exited ${result.code}`;
      throw new Error(`${name} ${ended}: ${errors.join('; ')}`);
    }
    return result;
  };

  const storage = privateStorage(join(work, 'build'));
  cleanup.defer('image build storage', async () => {
    await storage.buildah(['rm', '--all']).catch(() => undefined);
    await storage.podman(['rmi', '--all', '--force']).catch(() => undefined);
  });
  const candidate = `localhost/${REPOSITORY}:candidate`;
  let tags: string[] = [];
  let labels: string[] = [];

  await run.step('1. sha-tag on HEAD', async () => {
    const result = succeeded('sha-tag', await action('sha-tag', { images: REPOSITORY }));
    tags = result.outputs.tags!.split('\n').filter(Boolean);
    labels = result.outputs.labels!.split('\n').filter(Boolean);
    const names = result.outputs['tag-names']!.split('\n').join(', ');
    check('sha-tag tags the commit', result.outputs.sha === sha, `sha=${result.outputs.sha}, tags ${names}`);
    return `tags: ${names}`;
  });

  await run.step('2. build the service image (buildah)', async () => {
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

  await run.step('3. security-gate', async () => {
    const reports = await gateReports(REPO, join(work, 'reports'), print, async (archive) => {
      await storage.podman(['save', '--format', 'oci-archive', '--output', archive, candidate]);
    });
    const sarif = join(OUT, 'security-gate.sarif');
    const result = succeeded(
      'security-gate',
      await action('security-gate', {
        reports: reports.files.join('\n'),
        'fail-on': 'high',
        'ignore-unfixed': 'true',
        'sarif-output': sarif,
      }),
    );
    report.artifacts.push({ what: 'merged SARIF of the gate', path: sarif });
    const o = result.outputs;
    return `passed=${o.passed}, counts ${o.counts}, ignored ${o['ignored-count']} by .security-gate.yml; reports: ${reports.notes.join('; ')}`;
  });

  let registry: LocalRegistry | undefined;
  /** host:port of the ECR stand-in's registry side: image references name it; it passes through to `registry`. */
  let registryHost = '';
  const push = async (image: string, pushTags: string[], label: string) => {
    const result = succeeded(
      'ecr-push',
      await action(
        'ecr-push',
        {
          repository: REPOSITORY,
          tags: pushTags.join('\n'),
          image: storage.reference(image),
          'lifecycle-policy': 'keep-last=50',
        },
        label,
      ),
    );
    for (const tag of pushTags.map((t) => t.slice(t.lastIndexOf(':') + 1))) {
      const manifest = await getManifest(registry!, REPOSITORY, tag);
      check(
        `the registry resolves ${REPOSITORY}:${tag}`,
        manifest.digest === result.outputs.digest,
        `${manifest.status} ${manifest.digest}`,
      );
    }
    return {
      uri: result.outputs['image-uri']!,
      digest: result.outputs.digest!,
      pushed: result.outputs['tags-pushed']!,
    };
  };
  let good = { uri: '', digest: '' };
  await run.step('4. ecr-push to the local registry', async () => {
    registry = await startRegistry();
    cleanup.defer('registry', () => registry!.stop());
    const ecr = await startEcrEndpoint({ registryUrl: registry.url, password: REGISTRY_PASSWORD });
    cleanup.defer('ECR API stand-in', () => ecr.close());
    registryHost = ecr.registryHost;
    jobEnv.AWS_ENDPOINT_URL_ECR = ecr.url;
    const pushed = await push(candidate, tags, 'ecr-push');
    good = { uri: pushed.uri, digest: pushed.digest };
    return `${good.uri}; pushed ${pushed.pushed.split('\n').filter(Boolean).length} tags`;
  });

  await run.step('5. sbom-upload (snapshot recorded, not sent)', async () => {
    const result = succeeded(
      'sbom-upload',
      await action('sbom-upload', {
        path: '.',
        'upload-artifact': 'false',
        'dependency-snapshot': 'true',
        attest: 'false',
      }),
    );
    const sbom = join(OUT, basename(result.outputs['sbom-path']!));
    copyFileSync(result.outputs['sbom-path']!, sbom);
    const snapshot = github.requests.find((r) => r.url.includes('/dependency-graph/snapshots'));
    check(
      'the dependency snapshot went to the GitHub API stand-in',
      snapshot !== undefined,
      snapshot ? `${snapshot.method} ${snapshot.url}` : 'no request',
    );
    writeFileSync(join(OUT, 'dependency-snapshot.json'), `${JSON.stringify(snapshot!.body, null, 2)}\n`);
    report.artifacts.push(
      { what: 'SBOM', path: sbom },
      { what: 'dependency snapshot as it would be submitted', path: join(OUT, 'dependency-snapshot.json') },
    );
    return `${result.outputs['component-count']} components; snapshot ${result.outputs['snapshot-id']}`;
  });

  let fleet: Fleet | undefined;
  const rollout = async (image: string, label: string) => {
    const inputs = {
      targets: 'tag:Environment=staging',
      image,
      'container-name': CONTAINER,
      'container-port': '3000',
      'host-port': String(HOST_PORT),
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
    const main = await action('ssm-rollout', inputs, label);
    const post = await action('ssm-rollout', inputs, `${label} (post)`, main.state);
    if (post.code !== 0) throw new Error(`the ssm-rollout post step exited ${post.code}`);
    return main;
  };
  const releaseImage = () =>
    (JSON.parse(fleet!.parameter(RELEASE_PARAMETER) ?? '{}') as { image?: string }).image;

  await run.step('6. ssm-rollout to three instances (podman)', async () => {
    fleet = await Fleet.start({
      dir: work,
      ids: INSTANCES,
      tags: { Environment: 'staging' },
      registry: { host: registryHost, username: 'AWS', password: REGISTRY_PASSWORD },
      envPath: ENV_PATH,
      cleanup,
      mask: (secret) => log.mask(secret),
    });
    jobEnv.AWS_ENDPOINT_URL_SSM = fleet.url;
    jobEnv.AWS_ENDPOINT_URL_EC2 = fleet.url;
    const result = succeeded('ssm-rollout', await rollout(good.uri, 'ssm-rollout (release)'));
    for (const id of INSTANCES) {
      const now = await fleet.serving(id, CONTAINER, HOST_PORT);
      check(
        `${id} serves the release`,
        now.health === '200' && now.image === good.uri,
        `GET /health → ${now.health}; container image ${now.image}`,
      );
    }
    check(
      'the release parameter records the image',
      releaseImage() === good.uri,
      `${RELEASE_PARAMETER} → ${releaseImage()}`,
    );
    return `${result.outputs.status}: ${result.outputs['deployed-instances']}`;
  });

  await run.step('7. a broken release stops at the canary and rolls back', async () => {
    const brokenImage = `localhost/${REPOSITORY}:broken`;
    await buildBrokenImage(storage, candidate, brokenImage);
    const broken = await push(
      brokenImage,
      [`${REPOSITORY}:sha-${sha.slice(0, 7)}-broken`],
      'ecr-push (broken release)',
    );
    const callsBefore = fleet!.endpoint.calls.length;
    const result = await rollout(broken.uri, 'ssm-rollout (broken release)');
    const sentTo = fleet!.endpoint.calls
      .slice(callsBefore)
      .filter((c) => c.operation === 'SendCommand')
      .flatMap((c) => c.input.InstanceIds as string[]);
    check(
      'the rollout of the broken release fails',
      result.code !== 0 && result.outputs.status === 'rolled-back',
      `exit ${result.code}, status ${result.outputs.status}`,
    );
    const canary = result.outputs['planned-instances']!.split(' ')[0]!;
    check(
      'it stopped at the canary',
      result.outputs['failed-instances'] === canary && sentTo.every((id) => id === canary),
      `${canary} failed its health check and restored its container; commands went to: ${[...new Set(sentTo)].join(' ')}`,
    );
    for (const id of INSTANCES) {
      const now = await fleet!.serving(id, CONTAINER, HOST_PORT);
      check(
        `${id} still serves the previous release`,
        now.health === '200' && now.image === good.uri,
        `GET /health → ${now.health}; container image ${now.image}`,
      );
      const pulled = (
        await fleet!.run(id, `podman image exists '${broken.uri}' && echo pulled || echo absent`)
      ).output;
      if (id === canary) check(`${id}, the canary, pulled the broken image`, pulled === 'pulled', pulled);
      else check(`${id} never pulled the broken image`, pulled === 'absent', pulled);
    }
    check(
      'the release parameter still names the previous release',
      releaseImage() === good.uri,
      `${RELEASE_PARAMETER} → ${releaseImage()}`,
    );
    return `stopped at ${canary}; all ${INSTANCES.length} instances on ${good.digest.slice(0, 19)}…`;
  });

  return report;
}

// exit, not exitCode: a clean-up step that timed out may leave a handle open.
process.exit(await main());
