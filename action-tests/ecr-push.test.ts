/**
 * ecr-push end to end: dist/ecr-push/index.js run as a runner runs it, against a real registry
 * (docker-registry) and a local ECR API endpoint (AWS_ENDPOINT_URL_ECR). The registry's own HTTP API is
 * the source of truth for what each tag resolves to.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { haveTool } from '../stand-ins/commands.js';
import { startEcrEndpoint, type EcrEndpoint } from '../stand-ins/ecr-endpoint.js';
import { runEcrPush, ECR_PUSH_BUNDLE, RUNNER_REGION, type ActionRun } from '../stand-ins/ecr-push-runner.js';
import { LOCAL_ACCOUNT } from '../stand-ins/iam.js';
import { buildImage, buildIndex, ociArchive } from '../stand-ins/images.js';
import { freePort } from '../stand-ins/net.js';
import {
  getManifest,
  REGISTRY_BIN,
  REGISTRY_PASSWORD,
  registryIamRequests,
  startRegistry,
  type LocalRegistry,
} from '../stand-ins/registry.js';
import { recordOrCompare, type RecordedCall } from './helpers/iam-recording.js';

const tools = [REGISTRY_BIN, 'skopeo', 'umoci', 'podman'];
const missing = tools.filter((tool) => !haveTool(tool));
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`ecr-push integration tests need ${missing.join(', ')} (CI=true)`);
}
if (!existsSync(ECR_PUSH_BUNDLE))
  throw new Error('dist/ecr-push/index.js is missing: run npm run build -- ecr-push');
const maybe = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0)
  console.log(`skipping ecr-push integration tests: ${missing.join(', ')} not installed`);

const TOKEN = Buffer.from(`AWS:${REGISTRY_PASSWORD}`).toString('base64');
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Every tag resolves to `digest` in the registry, and the manifest bytes hash to it. */
async function expectTagsAt(registry: LocalRegistry, repository: string, tags: string[], digest: string) {
  for (const tag of tags) {
    const manifest = await getManifest(registry, repository, tag);
    expect({ tag, status: manifest.status, digest: manifest.digest }).toEqual({ tag, status: 200, digest });
    expect(sha256(manifest.body)).toBe(digest);
  }
}

function expectNoSecretsLeaked(run: ActionRun) {
  const unmasked = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of [REGISTRY_PASSWORD, TOKEN]) {
    expect(unmasked).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.runnerTempLeft).toEqual([]);
}

maybe('ecr-push against a real registry', () => {
  let registry: LocalRegistry;
  let endpoint: EcrEndpoint;
  let work: string;
  let archiveA: string;
  let archiveB: string;
  let env: Record<string, string>;
  /** Every IAM request the pushes made (ECR API and registry), for infra/test/least-privilege.test.ts. */
  const recorded: RecordedCall[] = [];
  /** Endpoints a test starts for itself; their calls are recorded too. */
  const ownEndpoints: EcrEndpoint[] = [];
  let apiSeen = 0;
  let logSeen = 0;

  afterEach(() => {
    const test = expect.getState().currentTestName ?? '';
    const log = registry.log();
    const requests = [
      ...endpoint.iamRequests.slice(apiSeen),
      ...ownEndpoints.flatMap((own) => own.iamRequests),
      ...registryIamRequests(log.slice(logSeen), RUNNER_REGION, LOCAL_ACCOUNT),
    ];
    recorded.push(...requests.map((request) => ({ test, ...request })));
    apiSeen = endpoint.iamRequests.length;
    logSeen = log.length;
    ownEndpoints.length = 0;
  });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ecr-push-it-'));
    registry = await startRegistry();
    endpoint = await startEcrEndpoint({
      registryUrl: registry.url,
      password: REGISTRY_PASSWORD,
      throttle: { GetAuthorizationToken: 1 },
    });
    env = { AWS_ENDPOINT_URL_ECR: endpoint.url };
    archiveA = ociArchive(work, buildImage(work, 'a', { 'app/hello.txt': 'hello from image A\n' }), 'a.tar');
    archiveB = ociArchive(work, buildImage(work, 'b', { 'app/hello.txt': 'hello from image B\n' }), 'b.tar');
  }, 60_000);

  afterAll(async () => {
    await endpoint?.close();
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('when an OCI archive is pushed with skopeo under three tags, then every tag resolves to the output digest and blobs go up once', async () => {
    const policy = join(work, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: 7,
            },
            action: { type: 'expire' },
          },
        ],
      }),
    );
    const uploadsBefore = registry.blobUploads();
    const run = await runEcrPush(
      {
        repository: 'team/app',
        tags: `v1.0.0\n${endpoint.registryHost}/team/app:sha-abc1234\nmain`,
        image: `oci-archive:${archiveA}`,
        'lifecycle-policy': policy,
      },
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { digest } = run.outputs;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(run.outputs).toEqual({
      registry: endpoint.registryHost,
      digest,
      'image-uri': `${endpoint.registryHost}/team/app@${digest}`,
      'tags-pushed': 'v1.0.0\nsha-abc1234\nmain',
      'tags-skipped': '',
    });
    await expectTagsAt(registry, 'team/app', ['v1.0.0', 'sha-abc1234', 'main'], digest!);
    // The image-uri resolves too, by digest.
    expect((await getManifest(registry, 'team/app', digest!)).status).toBe(200);
    // One layer and one config blob: two upload sessions for three tags.
    expect(registry.blobUploads() - uploadsBefore).toBe(2);
    // Masking first: once the token arrives, token and password are masked before any other line
    // (only the retry line of the throttled first call comes before them).
    const lines = run.stdout.split('\n');
    const firstMask = lines.indexOf(`::add-mask::${TOKEN}`);
    expect(lines.slice(0, firstMask).every((line) => line.startsWith('[retry] '))).toBe(true);
    expect(lines[firstMask + 1]).toBe(`::add-mask::${REGISTRY_PASSWORD}`);
    // Throttling retried with a labelled line.
    expect(run.stdout).toMatch(
      /\[retry\] ECR GetAuthorizationToken: attempt 1\/5 failed \(ThrottlingException/,
    );
    expectNoSecretsLeaked(run);
    // The repository was created with the defaults and the policy file.
    const create = endpoint.calls.find((c) => c.operation === 'CreateRepository');
    expect(create?.body).toMatchObject({
      repositoryName: 'team/app',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(JSON.parse(endpoint.repositories.get('team/app')!.lifecyclePolicyText!)).toEqual(
      JSON.parse(
        JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              selection: {
                tagStatus: 'untagged',
                countType: 'sinceImagePushed',
                countUnit: 'days',
                countNumber: 7,
              },
              action: { type: 'expire' },
            },
          ],
        }),
      ),
    );
    expect(run.summary).toContain(`${endpoint.registryHost}/team/app@${digest}`);
    expect(run.summary).toContain('| v1.0.0 | pushed |');
  }, 120_000);

  test('when the same image is pushed again under five new tags and an old one, then no blob is uploaded and the old tag is skipped', async () => {
    const first = await getManifest(registry, 'team/app', 'v1.0.0');
    const logFrom = registry.log().length;
    const tags = ['v1.0.0', 'r1', 'r2', 'r3', 'r4', 'r5'];
    const run = await runEcrPush(
      { repository: 'team/app', tags: tags.join(','), image: `oci-archive:${archiveA}` },
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(first.digest);
    expect(run.outputs['tags-pushed']).toBe('r1\nr2\nr3\nr4\nr5');
    expect(run.outputs['tags-skipped']).toBe('v1.0.0');
    expect(run.stdout).toContain(
      "Repository 'team/app' exists (settings left as they are): tag mutability IMMUTABLE (no exclusion filters)",
    );
    await expectTagsAt(registry, 'team/app', tags, first.digest!);
    expect(registry.blobUploads(logFrom)).toBe(0);
    expect(registry.log().slice(logFrom)).not.toMatch(/"(?:PATCH|PUT) \/v2\/team\/app\/blobs\//);
    expectNoSecretsLeaked(run);
  }, 120_000);

  test('when a different image is pushed to an existing immutable tag, then the step fails naming the tag and both digests', async () => {
    const held = await getManifest(registry, 'team/app', 'main');
    const run = await runEcrPush(
      { repository: 'team/app', tags: 'main\nnew-tag', image: `oci-archive:${archiveB}` },
      env,
    );
    expect(run.code).toBe(1);
    const error = run.stdout.split('\n').find((line) => line.startsWith('::error::'));
    expect(error).toMatch(
      new RegExp(
        `Tag 'main' already exists in repository 'team/app' as ${held.digest}, but this image is sha256:[a-f0-9]{64}\\. ` +
          "The repository's tag mutability is IMMUTABLE \\(no exclusion filters\\), so 'main' cannot move\\.",
      ),
    );
    expect(error).not.toContain(`this image is ${held.digest}`);
    // Nothing moved, nothing half-pushed.
    expect((await getManifest(registry, 'team/app', 'main')).digest).toBe(held.digest);
    expect((await getManifest(registry, 'team/app', 'new-tag')).status).toBe(404);
    expectNoSecretsLeaked(run);
  }, 120_000);

  test('when a docker archive is pushed with auto (skopeo), then the digest known before pushing is what the registry holds', async () => {
    const dockerArchive = join(work, 'a-docker.tar');
    const { execFileSync } = await import('node:child_process');
    execFileSync('skopeo', [
      'copy',
      '--quiet',
      `oci-archive:${archiveA}`,
      `docker-archive:${dockerArchive}:team/app:a`,
    ]);
    const run = await runEcrPush(
      { repository: 'team/from-docker-archive', tags: 'v1', image: `docker-archive:${dockerArchive}` },
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Image digest (before pushing): ${run.outputs.digest}`);
    await expectTagsAt(registry, 'team/from-docker-archive', ['v1'], run.outputs.digest!);
    expectNoSecretsLeaked(run);
  }, 120_000);

  test('when podman pushes an OCI archive, then every tag resolves to the output digest and a re-push is skipped', async () => {
    const storage = join(work, 'podman');
    writeFileSync(
      join(work, 'storage.conf'),
      `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/graph"\nrunroot = "${storage}/run"\n`,
    );
    const podmanEnv = { ...env, CONTAINERS_STORAGE_CONF: join(work, 'storage.conf') };
    const inputs = {
      repository: 'team/podman',
      tags: 'p1\np2',
      image: `oci-archive:${archiveB}`,
      pusher: 'podman',
    };
    const run = await runEcrPush(inputs, podmanEnv);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[command] podman push --authfile ');
    expect(run.outputs['tags-pushed']).toBe('p1\np2');
    await expectTagsAt(registry, 'team/podman', ['p1', 'p2'], run.outputs.digest!);
    expectNoSecretsLeaked(run);

    const again = await runEcrPush(inputs, podmanEnv);
    expect(again.code).toBe(0);
    expect(again.outputs.digest).toBe(run.outputs.digest);
    expect(again.outputs['tags-pushed']).toBe('');
    expect(again.outputs['tags-skipped']).toBe('p1\np2');
  }, 180_000);

  test('when the image is an OCI layout directory, then skopeo pushes it and the tag resolves to the digest', async () => {
    const layout = buildImage(work, 'layout', { 'app/hello.txt': 'from a layout\n' });
    const run = await runEcrPush({ repository: 'team/layout', tags: 'v1', image: layout.ref }, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await expectTagsAt(registry, 'team/layout', ['v1'], run.outputs.digest!);
    expectNoSecretsLeaked(run);
  }, 60_000);

  test('when the image is a two-platform index, then the output digest is the index and both platform manifests are in the repository', async () => {
    const index = buildIndex(work, 'multi');
    const run = await runEcrPush({ repository: 'team/multi', tags: 'v1,v1-again', image: index.ref }, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(index.digest);
    await expectTagsAt(registry, 'team/multi', ['v1', 'v1-again'], index.digest);
    for (const child of index.children) {
      const manifest = await getManifest(registry, 'team/multi', child);
      expect({ status: manifest.status, digest: sha256(manifest.body) }).toEqual({
        status: 200,
        digest: child,
      });
    }
    expectNoSecretsLeaked(run);
  }, 60_000);

  describe('release after release with IMMUTABLE_WITH_EXCLUSION and main excluded', () => {
    const release = (tags: string, archive: string) =>
      runEcrPush(
        {
          repository: 'team/releases',
          tags,
          image: `oci-archive:${archive}`,
          'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION',
          'mutability-exclusions': 'main',
        },
        env,
      );

    test('when release 1 is pushed, then the repository is created with main as its exclusion filter', async () => {
      const run = await release('sha-1111111\nmain', archiveA);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(
        endpoint.calls.find(
          (c) => c.operation === 'CreateRepository' && c.body.repositoryName === 'team/releases',
        )?.body,
      ).toMatchObject({
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'main' }],
      });
      expect(run.summary).toContain('IMMUTABLE_WITH_EXCLUSION (exclusion filters: main)');
      await expectTagsAt(registry, 'team/releases', ['sha-1111111', 'main'], run.outputs.digest!);
    }, 120_000);

    test('when release 2 is pushed, then main moves to it and release 1 keeps its sha tag', async () => {
      const first = (await getManifest(registry, 'team/releases', 'sha-1111111')).digest!;
      const run = await release('sha-2222222\nmain', archiveB);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const second = run.outputs.digest!;
      expect(second).not.toBe(first);
      expect(run.outputs['tags-pushed']).toBe('sha-2222222\nmain');
      expect(run.stdout).toContain(
        `Tag 'main' moves from ${first} to ${second} (exclusion filter 'main' of IMMUTABLE_WITH_EXCLUSION).`,
      );
      await expectTagsAt(registry, 'team/releases', ['sha-2222222', 'main'], second);
      await expectTagsAt(registry, 'team/releases', ['sha-1111111'], first);
    }, 120_000);

    test("when release 1's sha tag would move, then the step fails naming the tag, the setting, its filters and the fix, and nothing moves", async () => {
      const first = (await getManifest(registry, 'team/releases', 'sha-1111111')).digest!;
      const run = await release('sha-1111111', archiveB);
      expect(run.code).toBe(1);
      const error = run.stdout.split('\n').find((line) => line.startsWith('::error::'));
      expect(error).toContain(`Tag 'sha-1111111' already exists in repository 'team/releases' as ${first}`);
      expect(error).toContain(
        "tag mutability is IMMUTABLE_WITH_EXCLUSION (exclusion filters: main) and no filter matches 'sha-1111111', so it cannot move.",
      );
      expect(error).toContain(
        '--image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=main filterType=WILDCARD,filter=sha-1111111',
      );
      await expectTagsAt(registry, 'team/releases', ['sha-1111111'], first);
    }, 120_000);

    test('when a push goes past the action to move an immutable tag, then the registry refuses it as ECR does', async () => {
      const { execFile } = await import('node:child_process');
      const first = (await getManifest(registry, 'team/releases', 'sha-1111111')).digest!;
      // Asynchronous: the endpoint answering skopeo runs in this process.
      const copy = await new Promise<{ status: number | null; stderr: string }>((done) => {
        execFile(
          'skopeo',
          [
            'copy',
            '--quiet',
            '--dest-tls-verify=false',
            '--dest-creds',
            `AWS:${REGISTRY_PASSWORD}`,
            `oci-archive:${archiveB}`,
            `docker://${endpoint.registryHost}/team/releases:sha-1111111`,
          ],
          { encoding: 'utf8' },
          (err, _stdout, stderr) => done({ status: err ? ((err.code as number) ?? 1) : 0, stderr }),
        );
      });
      expect(copy.status).not.toBe(0);
      expect(copy.stderr).toContain(
        "The image tag 'sha-1111111' already exists in the 'team/releases' repository and cannot be overwritten because the tag is immutable.",
      );
      expect(endpoint.refusedPushes.map((r) => r.tag)).toContain('sha-1111111');
      await expectTagsAt(registry, 'team/releases', ['sha-1111111'], first);
    }, 120_000);
  });

  test('when mutability-exclusions has 6 filters, then the step fails naming the input before any ECR call', async () => {
    const calls = endpoint.calls.length;
    const run = await runEcrPush(
      {
        repository: 'team/six',
        tags: 'v1',
        image: `oci-archive:${archiveA}`,
        'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION',
        'mutability-exclusions': 'a,b,c,d,e,f',
      },
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::Input 'mutability-exclusions': ECR takes at most 5 exclusion filters, got 6: a, b, c, d, e, f.",
    );
    expect(endpoint.calls.length).toBe(calls);
  }, 60_000);

  test('when the step is cancelled while pushing, then the auth file is removed before the process ends', async () => {
    // A stand-in skopeo that hangs, so the step is mid-push when the runner cancels it.
    const shims = join(work, 'shims');
    mkdirSync(shims, { recursive: true });
    writeFileSync(join(shims, 'skopeo'), '#!/bin/sh\nexec sleep 3\n', { mode: 0o755 });
    let sent = false;
    const run = await runEcrPush(
      { repository: 'team/cancelled', tags: 'v1', image: `oci-archive:${archiveA}` },
      { ...env, PATH: `${shims}:${process.env.PATH}` },
      (stdout, kill) => {
        if (!sent && stdout.includes('[command] skopeo copy')) {
          sent = true;
          kill('SIGTERM');
        }
      },
    );
    expect(sent).toBe(true);
    expect(run.code).not.toBe(0);
    expect(run.runnerTempLeft).toEqual([]);
  }, 60_000);

  test('when ECR names a plain-http registry that is not on loopback, then the step refuses it before pushing', async () => {
    const remote = await startEcrEndpoint({
      registryUrl: registry.url,
      proxyEndpoint: 'http://10.255.255.1:5000',
      password: REGISTRY_PASSWORD,
    });
    ownEndpoints.push(remote);
    try {
      const run = await runEcrPush(
        { repository: 'team/remote', tags: 'v1', image: `oci-archive:${archiveA}` },
        { AWS_ENDPOINT_URL_ECR: remote.url },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "::error::The registry endpoint 'http://10.255.255.1:5000' uses plain http on a non-loopback host; only https is accepted",
      );
      expect(remote.calls.map((c) => c.operation)).toEqual(['GetAuthorizationToken']);
      expectNoSecretsLeaked(run);
    } finally {
      await remote.close();
    }
  }, 60_000);

  test("when a plain local name goes to docker (auto) and there is no engine, then the failure is docker's own and nothing is left behind", async () => {
    // There is no Docker engine here (and maybe no client): this runs the real docker command path up
    // to where it stops, and checks the failure and the cleanup.
    const run = await runEcrPush(
      { repository: 'team/docker', tags: 'v1', image: 'legal-service:build' },
      env,
    );
    expect(run.code).toBe(1);
    if (haveTool('docker')) {
      expect(run.stdout).toContain(
        '[command] docker image inspect --format {{json .RepoDigests}} legal-service:build',
      );
      expect(run.stdout).toMatch(/::error::docker image exited with code 1: .*docker daemon/i);
    } else {
      expect(run.stdout).toContain(
        "::error::'docker' was not found on PATH; install it or choose another pusher.",
      );
    }
    expectNoSecretsLeaked(run);
  }, 60_000);

  test('when ECR denies CreateRepository, then the step fails naming the IAM permission and leaves nothing behind', async () => {
    const denying = await startEcrEndpoint({
      registryUrl: registry.url,
      password: REGISTRY_PASSWORD,
      deny: ['CreateRepository'],
    });
    ownEndpoints.push(denying);
    try {
      const run = await runEcrPush(
        { repository: 'team/denied', tags: 'v1', image: `oci-archive:${archiveA}` },
        { AWS_ENDPOINT_URL_ECR: denying.url },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /::error::AWS refused ecr:CreateRepository \(AccessDeniedException\): the role used by this job needs the IAM permission 'ecr:CreateRepository'/,
      );
      expectNoSecretsLeaked(run);
    } finally {
      await denying.close();
    }
  }, 60_000);

  test('when the pushes above have run, then every AWS call they made is in the fixture infra/ proves the roles against', () => {
    // A call missing here is one no role was checked for: run `npm run infra:record`, then the infra tests.
    expect(recordOrCompare('ecr-push', recorded)).toEqual([]);
  });
});

/**
 * Failures before any push, through the bundle as a runner runs it: the real SDK with no region, no
 * credentials, or nothing listening at the ECR endpoint. Nothing of this machine's own AWS setup is read.
 */
describe('ecr-push AWS failures name the operation and the fix', () => {
  let work: string;
  let archive: string;
  const noLocalAws = {
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  };

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ecr-push-fail-'));
    // never read: the step fails at GetAuthorizationToken, before the image is looked at
    archive = join(work, 'image.tar');
    writeFileSync(archive, '');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const inputs = () => ({ repository: 'team/app', tags: 'v1', image: `oci-archive:${archive}` });

  // unset, or set from a repository variable that does not exist (`${{ vars.AWS_REGION }}` gives '')
  test.each([undefined, ''])(
    'when no region is set (AWS_REGION %j), then the error names the region input and AWS_REGION',
    async (region) => {
      const run = await runEcrPush(inputs(), { ...noLocalAws, AWS_REGION: region });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "::error::ECR GetAuthorizationToken: no AWS region is set. Set the 'region' input, or AWS_REGION in the job's environment (aws-actions/configure-aws-credentials sets it).",
      );
      expect(run.runnerTempLeft).toEqual([]);
    },
  );

  test('when the job has no credentials, then the error names the ways to give them', async () => {
    const run = await runEcrPush(inputs(), {
      ...noLocalAws,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::ECR GetAuthorizationToken: no AWS credentials were found (Could not load credentials from any providers). Configure them in a step before this one: aws-actions/configure-aws-credentials with role-to-assume (the job needs permissions: id-token: write), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from secrets.',
    );
  });

  test('when nothing listens at the ECR endpoint, then after the retries the error names the operation', async () => {
    const port = await freePort();
    const run = await runEcrPush(
      { ...inputs(), 'retry-max-attempts': '2' },
      { ...noLocalAws, AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}` },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[retry\] ECR GetAuthorizationToken: attempt 1\/2 failed/m);
    expect(run.stdout).toContain(
      `::error::ECR GetAuthorizationToken failed after 2 attempts: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
