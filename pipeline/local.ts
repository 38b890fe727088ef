/**
 * `npm run pipeline:local`: the deploy workflow's steps, run on this machine with the real bundles in dist/
 * against local stand-ins for AWS and GitHub (see README "Try the toolkit without AWS"), over the lifecycle a
 * team lives with release after release:
 *
 *   sha-tag on HEAD → buildah image build → security-gate → release 1 (ecr-push to a real registry through a local
 *   ECR API, ssm-rollout to three podman instances through a local SSM API) → sbom-upload → release 2 from a new
 *   commit on main (main moves, sha-* stay) → a broken release 3 that stops at the canary and rolls back → release
 *   1's commit refused as a downgrade, then deployed as a rollback → release 4 interrupted by SIGTERM in its second
 *   wave, put back by the post step → release 5, healthy by /health but failing its uploads, stopped by the
 *   canary analysis while a load generator sends traffic to every instance.
 *
 * Every claim is checked against the real component (the registry's API, podman on each instance, the
 * service's /health, the release parameter); the summary and rehearsal.json are kept in .pipeline-local/.
 * Everything it starts is torn down, also when a step fails or the run is interrupted.
 */
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
import { exec, haveTool } from '../stand-ins/commands.js';
import { startEcrEndpoint } from '../stand-ins/ecr-endpoint.js';
import { startGitHubApi } from '../stand-ins/github-api.js';
import { privateStorage } from '../stand-ins/podman.js';
import { getManifest, REGISTRY_PASSWORD, startRegistry, type LocalRegistry } from '../stand-ins/registry.js';
import { Cleanup } from './cleanup.js';
import { gateReports } from './gate-reports.js';
import { buildBadMetricsImage, buildBrokenImage, buildServiceImage, relabelImage } from './images.js';
import { Fleet } from './fleet.js';
import { History, type Commit } from './history.js';
import { runAction, type RunOptions, type StepRun } from './run-action.js';
import { RunnerLog } from './runner-log.js';
import { pushJobEnv } from './job-context.js';
import { Rehearsal } from './rehearsal.js';
import { passed, rehearsalJson, renderSummary, type PipelineReport } from './summary.js';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, '.pipeline-local');
const REPOSITORY = 'legal-service';
const CONTAINER = 'legal-service';
const HOST_PORT = 80;
const INSTANCES = ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003'];
const ENV_PATH = '/legal-service/staging/env';
const RELEASE_PARAMETER = '/legal-service/staging/release';
const LOCK_PARAMETER = `/ssm-rollout/locks/${CONTAINER}`;
const TOOLS = [
  'buildah',
  'podman',
  'runc',
  'skopeo',
  'docker-registry',
  'nsenter',
  'unshare',
  'curl',
  'ip',
  'git',
];

const print = (line: string) => process.stdout.write(`${line}\n`);

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
  writeFileSync(join(OUT, 'rehearsal.json'), `${log.hide(JSON.stringify(rehearsalJson(report), null, 2))}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  print(`\n${markdown}`);
  print(`(also in ${join(OUT, 'summary.md')}; steps and checks in ${join(OUT, 'rehearsal.json')})`);
  return passed(report) ? 0 : 1;
}

/** Runs the steps in order; a failed step marks the rest "not run". Returns the report for the summary. */
async function rehearse(cleanup: Cleanup, log: RunnerLog): Promise<PipelineReport> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'plr-')); // short: podman refuses a runroot over 50 characters
  cleanup.defer('temporary directory', () => rmSync(work, { recursive: true, force: true }));

  const history = History.clone(REPO, join(work, 'checkout'));
  const first = history.head();
  const run = new Rehearsal(first.sha, print, (text) => log.render(text) ?? '');
  const { report } = run;
  const check = run.check.bind(run);

  const github = await startGitHubApi();
  cleanup.defer('GitHub API stand-in', () => github.close());
  /** Endpoints of the stand-ins, added to every job once they run. */
  const endpoints: NodeJS.ProcessEnv = {};
  /** The job environment of a push of `commit` to main: event payload, GITHUB_* and masked credentials. */
  const jobFor = (commit: Commit, workspace = REPO): NodeJS.ProcessEnv => {
    const dir = join(work, `job-${commit.sha.slice(0, 7)}`);
    mkdirSync(dir, { recursive: true });
    const job = pushJobEnv({
      workspace,
      repository: 'local/legal-service',
      sha: commit.sha,
      branch: 'main',
      commitTime: commit.time,
      workDir: dir,
      apiUrl: github.url,
    });
    job.secrets.forEach((secret) => log.mask(secret));
    return job.env;
  };
  const release1Env = jobFor(first);

  const action = async (
    name: string,
    inputs: Record<string, string>,
    label: string,
    env: NodeJS.ProcessEnv,
    more: { state?: Record<string, string>; whileRunning?: RunOptions['whileRunning'] } = {},
  ) => {
    const result = await runAction(REPO, name, {
      inputs,
      env: { ...env, ...endpoints },
      workDir: work,
      log,
      print: (line) => print(`  │ ${line}`),
      ...more,
    });
    report.stepSummaries.push({ step: label, markdown: result.summary });
    return result;
  };
  const succeeded = (name: string, result: StepRun) => {
    if (result.code !== 0) {
      const errors = result.log.filter((line) => line.startsWith('Error'));
      const ended = result.timedOut ? 'timed out' : `exited ${result.code ?? result.signal}`;
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
  /** sha-tag for a push of `commit` to main: the tags and OCI labels of that release. */
  const tagsFor = async (commit: Commit, env: NodeJS.ProcessEnv, label: string) => {
    const result = succeeded('sha-tag', await action('sha-tag', { images: REPOSITORY }, label, env));
    check(
      `sha-tag tags ${commit.sha.slice(0, 7)}`,
      result.outputs.sha === commit.sha,
      `sha=${result.outputs.sha}`,
    );
    return {
      tags: result.outputs.tags!.split('\n').filter(Boolean),
      names: result.outputs['tag-names']!.split('\n').filter(Boolean),
      labels: result.outputs.labels!.split('\n').filter(Boolean),
    };
  };
  let release1Tags = { tags: [] as string[], names: [] as string[], labels: [] as string[] };

  await run.step('sha-tag', '1. sha-tag on HEAD (release 1)', async () => {
    release1Tags = await tagsFor(first, release1Env, 'sha-tag');
    check(
      'sha-tag gives main and the commit tag',
      release1Tags.names.includes('main') && release1Tags.names.includes(`sha-${first.sha.slice(0, 7)}`),
      release1Tags.names.join(', '),
    );
    return `tags: ${release1Tags.names.join(', ')}`;
  });

  await run.step('build-image', '2. build the service image (buildah)', async () => {
    await buildServiceImage(REPO, storage, candidate, release1Tags.labels);
    check(
      'the image carries the commit as its revision label',
      (await revision(candidate)) === first.sha,
      `org.opencontainers.image.revision=${await revision(candidate)}`,
    );
    return `${candidate} (${release1Tags.labels.length} OCI labels)`;
  });
  async function revision(image: string): Promise<string | undefined> {
    const inspected = JSON.parse(await storage.buildah(['inspect', '--type', 'image', image])) as {
      OCIv1: { config?: { Labels?: Record<string, string> } };
    };
    return inspected.OCIv1.config?.Labels?.['org.opencontainers.image.revision'];
  }

  await run.step('security-gate', '3. security-gate', async () => {
    const reports = await gateReports(REPO, join(work, 'reports'), print, async (archive) => {
      await storage.podman(['save', '--format', 'oci-archive', '--output', archive, candidate]);
    });
    const sarif = join(OUT, 'security-gate.sarif');
    const result = succeeded(
      'security-gate',
      await action(
        'security-gate',
        {
          reports: reports.files.join('\n'),
          'fail-on': 'high',
          'ignore-unfixed': 'true',
          'sarif-output': sarif,
        },
        'security-gate',
        release1Env,
      ),
    );
    report.artifacts.push({ what: 'merged SARIF of the gate', path: sarif });
    const o = result.outputs;
    return `passed=${o.passed}, counts ${o.counts}, ignored ${o['ignored-count']} by .security-gate.yml; reports: ${reports.notes.join('; ')}`;
  });

  let registry: LocalRegistry | undefined;
  /** host:port of the ECR stand-in's registry side: image references name it; it passes through to `registry`. */
  let registryHost = '';
  interface Release {
    commit: Commit;
    uri: string;
    digest: string;
  }
  /** ecr-push as deploy.yml's push job runs it: sha-* immutable, main excluded so it follows the latest release. */
  const push = async (image: string, tags: string[], label: string, env: NodeJS.ProcessEnv) => {
    const result = succeeded(
      'ecr-push',
      await action(
        'ecr-push',
        {
          repository: REPOSITORY,
          tags: tags.join('\n'),
          image: storage.reference(image),
          'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION',
          'mutability-exclusions': 'main',
          'lifecycle-policy': 'keep-last=50',
        },
        label,
        env,
      ),
    );
    const digest = result.outputs.digest!;
    for (const tag of tags.map((t) => t.slice(t.lastIndexOf(':') + 1))) {
      const manifest = await getManifest(registry!, REPOSITORY, tag);
      check(
        `the registry resolves ${REPOSITORY}:${tag} to the pushed digest`,
        manifest.digest === digest,
        `${manifest.status} ${manifest.digest}`,
      );
    }
    return { uri: result.outputs['image-uri']!, digest, pushed: result.outputs['tags-pushed']! };
  };

  let fleet: Fleet | undefined;
  interface RolloutOptions {
    commit: Commit;
    allowDowngrade?: boolean;
    whileRunning?: RunOptions['whileRunning'];
    /** More inputs (the canary analysis). */
    more?: Record<string, string>;
  }
  /** ssm-rollout's main step, then its post step with the state main left (as the runner runs them). */
  const rollout = async (image: string, label: string, o: RolloutOptions) => {
    const inputs = {
      targets: 'tag:Environment=staging',
      image,
      commit: o.commit.sha,
      'allow-downgrade': String(o.allowDowngrade ?? false),
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
      ...o.more,
    };
    // The rollout job's checkout holds the whole history (fetch-depth: 0): the downgrade check reads it.
    const env = { ...jobFor(o.commit, history.dir), GITHUB_JOB: 'staging' };
    const main = await action('ssm-rollout', inputs, label, env, { whileRunning: o.whileRunning });
    const post = await action('ssm-rollout', inputs, `${label} (post)`, env, { state: main.state });
    if (post.code !== 0) throw new Error(`the ssm-rollout post step exited ${post.code}`);
    return { main, post };
  };
  const liveRelease = () =>
    JSON.parse(fleet!.parameter(RELEASE_PARAMETER) ?? '{}') as { image?: string; commit?: string };
  /** Every instance serves `release` and answers /health; the release parameter names it. */
  const fleetServes = async (release: Release, what: string) => {
    for (const id of INSTANCES) {
      const now = await fleet!.serving(id, CONTAINER, HOST_PORT);
      check(
        `${id} serves ${what}`,
        now.health === '200' && now.image === release.uri,
        `GET /health → ${now.health}; container image ${now.image}`,
      );
    }
    const live = liveRelease();
    check(
      `the release parameter names ${what} and its commit`,
      live.image === release.uri && live.commit === release.commit.sha,
      `${RELEASE_PARAMETER} → ${live.image} @ ${live.commit}`,
    );
  };
  const sendCommandsSince = (from: number) =>
    fleet!.endpoint.calls.slice(from).filter((c) => c.operation === 'SendCommand');

  let release1: Release | undefined;
  await run.step(
    'release-1',
    '4. release 1: ecr-push, then ssm-rollout to three instances (podman)',
    async () => {
      registry = await startRegistry();
      cleanup.defer('registry', () => registry!.stop());
      const ecr = await startEcrEndpoint({ registryUrl: registry.url, password: REGISTRY_PASSWORD });
      cleanup.defer('ECR API stand-in', () => ecr.close());
      endpoints.AWS_ENDPOINT_URL_ECR = ecr.url;
      registryHost = ecr.registryHost;
      const pushed = await push(candidate, release1Tags.tags, 'ecr-push (release 1)', release1Env);
      const repository = ecr.repositories.get(REPOSITORY);
      check(
        'the repository was created IMMUTABLE_WITH_EXCLUSION with main excluded',
        repository?.imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION' &&
          JSON.stringify(repository.imageTagMutabilityExclusionFilters) ===
            JSON.stringify([{ filterType: 'WILDCARD', filter: 'main' }]),
        `${repository?.imageTagMutability} ${JSON.stringify(repository?.imageTagMutabilityExclusionFilters)}`,
      );
      release1 = { commit: first, uri: pushed.uri, digest: pushed.digest };

      fleet = await Fleet.start({
        dir: work,
        ids: INSTANCES,
        tags: { Environment: 'staging' },
        registry: { host: registryHost, username: 'AWS', password: REGISTRY_PASSWORD },
        envPath: ENV_PATH,
        cleanup,
        mask: (secret) => log.mask(secret),
      });
      endpoints.AWS_ENDPOINT_URL_SSM = fleet.url;
      endpoints.AWS_ENDPOINT_URL_EC2 = fleet.url;
      const { main } = await rollout(release1.uri, 'ssm-rollout (release 1)', { commit: first });
      succeeded('ssm-rollout', main);
      await fleetServes(release1, 'release 1');
      return `${release1.uri}: ${main.outputs['deployed-instances']}`;
    },
  );

  await run.step('sbom-upload', '5. sbom-upload (snapshot recorded, not sent)', async () => {
    const result = succeeded(
      'sbom-upload',
      await action(
        'sbom-upload',
        { path: '.', 'upload-artifact': 'false', 'dependency-snapshot': 'true', attest: 'false' },
        'sbom-upload',
        release1Env,
      ),
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

  /** A later release on main: a new commit, its sha-tag tags and labels, the image relabelled for it, pushed. */
  const nextRelease = async (n: number, from: string, derive?: (image: string) => Promise<void>) => {
    const commit = history.commit(`release ${n}`);
    const env = jobFor(commit);
    const { tags, names, labels } = await tagsFor(commit, env, `sha-tag (release ${n})`);
    const image = `localhost/${REPOSITORY}:release-${n}`;
    if (derive) await derive(image);
    else await relabelImage(storage, from, image, labels);
    const pushed = await push(image, tags, `ecr-push (release ${n})`, env);
    return { release: { commit, uri: pushed.uri, digest: pushed.digest } as Release, names, image };
  };

  let release2: Release | undefined;
  let release2Image = '';
  await run.step('release-2', '6. release 2 from a new commit on main: main moves, sha-* stay', async () => {
    const { release, image } = await nextRelease(2, candidate);
    release2 = release;
    release2Image = image;
    check(
      'release 2 has its own digest',
      release2.digest !== release1!.digest,
      `${release1!.digest} → ${release2.digest}`,
    );
    const sha1Tag = `sha-${first.sha.slice(0, 7)}`;
    const main = await getManifest(registry!, REPOSITORY, 'main');
    check('main moved to release 2', main.digest === release2.digest, `main → ${main.digest}`);
    // Past the action, straight at the registry: moving release 1's commit tag is refused, as ECR refuses it.
    const moved = await exec('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      '--dest-creds',
      `AWS:${REGISTRY_PASSWORD}`,
      storage.reference(image),
      `docker://${registryHost}/${REPOSITORY}:${sha1Tag}`,
    ]);
    const kept = await getManifest(registry!, REPOSITORY, sha1Tag);
    check(
      `${sha1Tag} stays on release 1: the registry refuses to move it`,
      moved.code !== 0 &&
        /TAG_INVALID|cannot be overwritten/.test(moved.stderr) &&
        kept.digest === release1!.digest,
      `skopeo exited ${moved.code} (${/tag invalid: [^)]*/.exec(moved.stderr)?.[0] ?? moved.stderr.trim().split('\n').pop()}); ${sha1Tag} → ${kept.digest}`,
    );
    const { main: result } = await rollout(release2.uri, 'ssm-rollout (release 2)', {
      commit: release2.commit,
    });
    succeeded('ssm-rollout', result);
    await fleetServes(release2, 'release 2');
    return `${release2.uri} on ${INSTANCES.length} instances; main moved, ${sha1Tag} kept`;
  });

  await run.step('broken-release', '7. a broken release 3 stops at the canary and rolls back', async () => {
    const { release: broken } = await nextRelease(3, candidate, (image) =>
      buildBrokenImage(storage, release2Image, image),
    );
    const callsBefore = fleet!.endpoint.calls.length;
    const { main: result } = await rollout(broken.uri, 'ssm-rollout (broken release 3)', {
      commit: broken.commit,
    });
    const sentTo = sendCommandsSince(callsBefore).flatMap((c) => c.input.InstanceIds as string[]);
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
      const pulled = (
        await fleet!.run(id, `podman image exists '${broken.uri}' && echo pulled || echo absent`)
      ).output;
      if (id === canary) check(`${id}, the canary, pulled the broken image`, pulled === 'pulled', pulled);
      else check(`${id} never pulled the broken image`, pulled === 'absent', pulled);
    }
    await fleetServes(release2!, 'release 2 still');
    return `stopped at ${canary}; all ${INSTANCES.length} instances on release 2 (${release2!.digest.slice(0, 19)}…)`;
  });

  await run.step(
    'downgrade-refused',
    "8. release 1's commit refused as a downgrade, then deployed as a rollback",
    async () => {
      const callsBefore = fleet!.endpoint.calls.length;
      const { main: refused } = await rollout(release1!.uri, 'ssm-rollout (release 1 again)', {
        commit: first,
      });
      const error = refused.log.find((line) => line.startsWith('Error')) ?? '';
      check(
        'the rollout is refused as a downgrade, naming both commits',
        refused.code === 1 &&
          error.includes(`${first.sha} is an ancestor of the live release's commit ${release2!.commit.sha}`),
        error || `exit ${refused.code}`,
      );
      check(
        'no instance got a command',
        sendCommandsSince(callsBefore).length === 0,
        `${sendCommandsSince(callsBefore).length} SendCommand call(s)`,
      );
      await fleetServes(release2!, 'release 2 still');

      const { main: rollback } = await rollout(release1!.uri, 'ssm-rollout (rollback to release 1)', {
        commit: first,
        allowDowngrade: true,
      });
      succeeded('ssm-rollout', rollback);
      check(
        'with allow-downgrade it goes ahead as a rollback',
        rollback.log.some((line) => line.includes('deploying it as a rollback (allow-downgrade: true)')),
        rollback.log.find((line) => line.includes('downgrade check')) ?? '',
      );
      await fleetServes(release1!, 'release 1 (rolled back to)');
      return `refused without allow-downgrade; with it, all ${INSTANCES.length} instances back on release 1`;
    },
  );

  await run.step('cancelled-rollout', '9. release 4 interrupted by SIGTERM in its second wave', async () => {
    const { release: release4 } = await nextRelease(4, candidate);
    const callsBefore = fleet!.endpoint.calls.length;
    let canaryDuringCancel = '';
    const { main, post } = await rollout(release4.uri, 'ssm-rollout (release 4, cancelled)', {
      commit: release4.commit,
      whileRunning: async (signal) => {
        const deadline = Date.now() + 10 * 60_000;
        while (sendCommandsSince(callsBefore).length < 2 && Date.now() < deadline) await sleep(200);
        await sleep(1500); // the second wave is pulling and swapping containers
        canaryDuringCancel = (await fleet!.serving(INSTANCES[0]!, CONTAINER, HOST_PORT)).image;
        signal('SIGTERM');
      },
    });
    const waves = sendCommandsSince(callsBefore).map((c) => (c.input.InstanceIds as string[]).join(' '));
    check(
      'the rollout was stopped by SIGTERM in its second wave, with the canary on release 4',
      main.signal === 'SIGTERM' &&
        waves[0] === INSTANCES[0] &&
        waves[1] === INSTANCES.slice(1).join(' ') &&
        canaryDuringCancel === release4.uri,
      `ended by ${main.signal ?? `exit ${main.code}`}; waves sent: ${waves.slice(0, 2).join(' | ')}; canary ran ${canaryDuringCancel}`,
    );
    check(
      'the post step restored the touched instances and released the lock',
      post.code === 0 &&
        post.log.some((line) => line.includes('restoring')) &&
        !fleet!.endpoint.parameters.has(LOCK_PARAMETER),
      post.log.filter((line) => /restor|lock/.test(line)).join(' / '),
    );
    const images = new Set<string>();
    for (const id of INSTANCES) {
      const now = await fleet!.serving(id, CONTAINER, HOST_PORT);
      images.add(now.image);
      check(
        `${id} answers /health`,
        now.health === '200',
        `GET /health → ${now.health}; container image ${now.image}`,
      );
    }
    check(
      'every instance serves one release, release 1',
      images.size === 1 && images.has(release1!.uri),
      [...images].join(', '),
    );
    const live = liveRelease();
    check(
      'the release parameter still names release 1',
      live.image === release1!.uri && live.commit === first.sha,
      `${RELEASE_PARAMETER} → ${live.image} @ ${live.commit}`,
    );
    return `interrupted in wave 2; all ${INSTANCES.length} instances back on release 1`;
  });

  await run.step(
    'bad-metrics-release',
    '10. release 5 passes its health check but fails uploads: the canary analysis stops it',
    async () => {
      const { release: bad } = await nextRelease(5, candidate, (image) =>
        buildBadMetricsImage(storage, release2Image, image),
      );
      const canary = INSTANCES[0]!;
      const callsBefore = fleet!.endpoint.calls.length;
      fleet!.startLoad(HOST_PORT, 40);
      let duringBake = { health: '', image: '' };
      const { main: result } = await rollout(bad.uri, 'ssm-rollout (release 5, canary analysis)', {
        commit: bad.commit,
        more: {
          'canary-bake': '30s',
          'metrics-token-parameter': fleet!.metricsTokenParameter,
          'max-error-rate': '1%',
          'max-latency-p95': '500ms',
          'min-requests': '20', // its slow uploads (2 s) leave the canary few requests in 30 s
        },
        // Once the first metrics command is out, the canary's deploy command has reported it healthy.
        whileRunning: async () => {
          const deadline = Date.now() + 5 * 60_000;
          while (sendCommandsSince(callsBefore).length < 2 && Date.now() < deadline) await sleep(200);
          duringBake = await fleet!.serving(canary, CONTAINER, HOST_PORT);
        },
      });
      const traffic = await fleet!.stopLoad();
      check(
        'during the bake the canary ran release 5 and its /health answered 200 (a health check alone would promote it)',
        duringBake.image === bad.uri &&
          duringBake.health === '200' &&
          result.log.some((line) => line.includes('wave 1/2 (canary): 1 updated, 0 failed')),
        `GET /health → ${duringBake.health}; container image ${duringBake.image}`,
      );
      const error = result.log.find((line) => line.startsWith('Error')) ?? '';
      check(
        'the canary analysis failed it on its 5xx share and the canary was rolled back',
        result.code === 1 &&
          result.outputs.status === 'rolled-back' &&
          result.outputs['canary-verdict'] === 'failed' &&
          result.outputs['rolled-back-instances'] === canary &&
          new RegExp(`${canary} \\(canary\\): 5xx share [\\d.]+% above max-error-rate 1\\.0%`).test(error),
        error || `exit ${result.code}, status ${result.outputs.status}`,
      );
      const uploads = (id: string) => traffic.get(id)?.['POST /cases/:id/documents'] ?? {};
      const describe = (id: string) => JSON.stringify(uploads(id));
      check(
        'the load generator got 503 for uploads from the canary only, and 201 from the previous release everywhere',
        (uploads(canary)['503'] ?? 0) > 0 &&
          INSTANCES.every((id) => (uploads(id)['201'] ?? 0) > 0) &&
          INSTANCES.slice(1).every((id) => uploads(id)['503'] === undefined),
        INSTANCES.map((id) => `${id}: ${describe(id)}`).join('; '),
      );
      for (const id of INSTANCES.slice(1)) {
        const pulled = (
          await fleet!.run(id, `podman image exists '${bad.uri}' && echo pulled || echo absent`)
        ).output;
        check(`${id} never pulled release 5`, pulled === 'absent', pulled);
      }
      await fleetServes(release1!, 'release 1 still');
      return `stopped at ${canary} after its bake; all ${INSTANCES.length} instances on release 1`;
    },
  );

  return report;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// exit, not exitCode: a clean-up step that timed out may leave a handle open.
process.exit(await main());
