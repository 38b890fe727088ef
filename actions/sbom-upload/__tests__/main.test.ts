/**
 * The whole step through main(): inputs from INPUT_* variables, outputs and summary files, the GitHub
 * API through nock, and @actions/artifact / @actions/attest mocked at their module boundary.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputVariables } from '../../../stand-ins/runner-files.js';
import { nock } from '../../lib/__tests__/helpers/nock.js';
import { afterAll, afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';

const loaded = { artifact: 0, attest: 0 };
const uploadArtifact =
  jest.fn<
    (
      name: string,
      files: string[],
      root: string,
      options?: unknown,
    ) => Promise<{ id?: number; size?: number }>
  >();
const attest = jest.fn<(options: Record<string, unknown>) => Promise<{ attestationID?: string }>>();

jest.unstable_mockModule('@actions/artifact', () => {
  loaded.artifact++;
  return {
    DefaultArtifactClient: class {
      uploadArtifact = uploadArtifact;
    },
  };
});
jest.unstable_mockModule('@actions/attest', () => {
  loaded.attest++;
  return { attest };
});

const { commitOf, main } = await import('../src/main.js');
const { runMain } = await import('../../lib/run-main.js');

const REPO = process.cwd();
const API = 'https://api.github.test';
const TOKEN = 'ghs_unit_test_token_123';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

let dir: string;
let stdout: string[];
let writeSpy: ReturnType<typeof jest.spyOn>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sbom-main-'));
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  stdout = [];
  writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    stdout.push(String(chunk));
    return true;
  });
  uploadArtifact.mockReset();
  attest.mockReset();
});

afterEach(() => {
  writeSpy.mockRestore();
  nock.cleanAll();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

afterAll(() => nock.restore());

function env(inputs: Record<string, string>): NodeJS.ProcessEnv {
  return {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: REPO,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SHA: 'c'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'sbom',
    GITHUB_RUN_ID: '99',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: API,
    'INPUT_GITHUB-TOKEN': TOKEN,
    INPUT_MATRIX: 'null',
    ...inputVariables(inputs),
  };
}

function outputs(): Record<string, string> {
  const text = readFileSync(join(dir, 'output'), 'utf8');
  const result: Record<string, string> = {};
  for (const m of text.matchAll(/^([^<\n]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm))
    result[m[1]!] = m[3]!;
  return result;
}

async function step(inputs: Record<string, string>) {
  await runMain(() =>
    main({
      fetch: globalThis.fetch,
      now: () => new Date('2026-03-01T00:00:00Z'),
      sleep: async () => {},
      env: env(inputs),
    }),
  );
  return { failed: process.exitCode === 1, out: stdout.join('') };
}

const snapshotReply = () =>
  nock(API).post('/repos/octo/app/dependency-graph/snapshots').reply(201, { id: 555, result: 'SUCCESS' });

describe('features off', () => {
  test('when upload, snapshot and attest are off, then neither heavy module is loaded and the SBOM is still written', async () => {
    const { failed, out } = await step({
      path: REPO,
      'upload-artifact': 'false',
      'dependency-snapshot': 'false',
    });
    expect(failed).toBe(false);
    expect(loaded).toEqual({ artifact: 0, attest: 0 });
    const o = outputs();
    expect(o['artifact-id']).toBe('');
    expect(o['snapshot-id']).toBe('');
    expect(o['attestation-url']).toBe('');
    const doc = JSON.parse(readFileSync(o['sbom-path']!, 'utf8')) as { components: unknown[] };
    expect(String(doc.components.length)).toBe(o['component-count']);
    expect(out.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
  });
});

describe('everything on', () => {
  test('when all features are on, then the artifact, snapshot and attestation are made and reported', async () => {
    uploadArtifact.mockResolvedValue({ id: 4242, size: 1000 });
    attest.mockResolvedValue({ attestationID: '777' });
    let submitted:
      | { manifests: Record<string, { resolved: Record<string, unknown> }>; job: { correlator: string } }
      | undefined;
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .post('/repos/octo/app/dependency-graph/snapshots', (body) => ((submitted = body), true))
      .reply(201, { id: 555, result: 'SUCCESS' });
    const { failed, out } = await step({
      path: REPO,
      attest: 'true',
      'subject-digest': DIGEST,
      'subject-name': '123.dkr.ecr.eu-west-1.amazonaws.com/app',
      matrix: '{"node":"20"}',
    });
    expect(out).not.toMatch(/::error::/);
    expect(failed).toBe(false);
    scope.done();
    const o = outputs();
    expect(o['artifact-id']).toBe('4242');
    expect(o['snapshot-id']).toBe('555');
    expect(o['attestation-url']).toBe('https://github.com/octo/app/attestations/777');

    const [name, files, root] = uploadArtifact.mock.calls[0]!;
    expect(name).toMatch(/^sbom-sbom-20-[0-9a-f]{8}-attempt1$/);
    expect(files).toEqual([o['sbom-path']]);
    expect(root).toBe(join(dir, 'sbom-upload'));

    const options = attest.mock.calls[0]![0];
    expect(options.subjects).toEqual([
      { name: '123.dkr.ecr.eu-west-1.amazonaws.com/app', digest: { sha256: 'ab'.repeat(32) } },
    ]);
    expect(options.predicateType).toBe('https://cyclonedx.org/bom');
    expect(options.predicate).toEqual(JSON.parse(readFileSync(o['sbom-path']!, 'utf8')));
    expect(options.token).toBe(TOKEN);

    const resolved = submitted!.manifests['package-lock.json']!.resolved as Record<
      string,
      { package_url: string; relationship: string }
    >;
    // The private workspace (app/package.json) is the project's own code: in the SBOM, not in the graph.
    const workspace = JSON.parse(readFileSync(join(REPO, 'app/package.json'), 'utf8')) as {
      name: string;
      version: string;
      private?: boolean;
      dependencies: Record<string, string>;
    };
    expect(workspace.private).toBe(true);
    const purls = Object.keys(resolved).map((purl) => decodeURIComponent(purl));
    expect(purls.filter((p) => p.startsWith(`pkg:npm/${workspace.name}@`))).toEqual([]);
    expect(String(Object.keys(resolved).length + 1)).toBe(o['component-count']);
    // what the workspace depends on is what the project depends on: direct
    for (const dep of Object.keys(workspace.dependencies)) {
      const entry = Object.values(resolved).find((r) =>
        decodeURIComponent(r.package_url).startsWith(`pkg:npm/${dep}@`),
      );
      expect([dep, entry?.relationship]).toEqual([dep, 'direct']);
    }
    expect(submitted!.job.correlator).toMatch(/^CI \/ sbom \/ [0-9a-f]{12} \/ package-lock.json$/);

    const summary = readFileSync(join(dir, 'summary'), 'utf8');
    expect(summary).toContain(`| npm |`);
    expect(summary).toContain('Artifact: `' + name + '` uploaded (id 4242, 1000 bytes)');
    expect(summary).toContain('Dependency snapshot: submitted (id 555, result SUCCESS)');
    expect(summary).toContain(
      `1 of the project's own packages left out (${workspace.name}@${workspace.version})`,
    );
    expect(summary).toContain('[777](https://github.com/octo/app/attestations/777)');
    expect(summary).toMatch(/\| MIT \| \d+ \|/);
  }, 60_000);

  test('when format is spdx-json, then an SPDX 2.3 file is written and attested with the SPDX predicate type', async () => {
    uploadArtifact.mockResolvedValue({ id: 1, size: 1 });
    attest.mockResolvedValue({ attestationID: '8' });
    snapshotReply();
    const { failed } = await step({
      'sbom-file': join(REPO, 'actions/sbom-upload/__tests__/fixtures/syft-1.1.0-image.spdx.json'),
      format: 'spdx-json',
      attest: 'true',
      'subject-digest': DIGEST,
      'subject-name': 'ttl.sh/img',
    });
    expect(failed).toBe(false);
    const o = outputs();
    expect(o['sbom-path']).toMatch(/\.spdx\.json$/);
    // Same format in and out: the input document is passed through unchanged.
    expect(readFileSync(o['sbom-path']!, 'utf8')).toBe(
      JSON.stringify(
        JSON.parse(
          readFileSync(
            join(REPO, 'actions/sbom-upload/__tests__/fixtures/syft-1.1.0-image.spdx.json'),
            'utf8',
          ),
        ),
        null,
        2,
      ) + '\n',
    );
    expect(attest.mock.calls[0]![0].predicateType).toBe('https://spdx.dev/Document/v2.3');
  });
});

describe('failures', () => {
  test('when attest is true without subject-digest, then the input and expected form are named', async () => {
    const { failed, out } = await step({ path: REPO, attest: 'true', 'subject-name': 'x' });
    expect(failed).toBe(true);
    expect(out).toContain(
      "::error::Input 'subject-digest': expected sha256:<64 lower-case hex digits> (e.g. the 'digest' output of ecr-push) when attest is true, got ''.",
    );
  });

  test('when attest is true without subject-name, then it is named', async () => {
    const { out } = await step({ path: REPO, attest: 'true', 'subject-digest': DIGEST });
    expect(out).toContain("::error::Input 'subject-name': is required when attest is true");
  });

  test('when the token is empty and a snapshot is wanted, then github-token is named', async () => {
    const { out } = await step({ path: REPO, 'github-token': '' });
    expect(out).toContain(
      "::error::Input 'github-token': is required when dependency-snapshot or attest is true.",
    );
  });

  test('when format is unknown, then the allowed values are listed', async () => {
    const { out } = await step({ path: REPO, format: 'xml' });
    expect(out).toContain("::error::Input 'format': expected one of cyclonedx-json, spdx-json, got 'xml'.");
  });

  test('when the folder has no lockfile, then path is named with the fix', async () => {
    mkdirSync(join(dir, 'empty'));
    const { failed, out } = await step({ path: join(dir, 'empty') });
    expect(failed).toBe(true);
    expect(out).toContain(
      `::error::Input 'path': no package-lock.json (or npm-shrinkwrap.json) in '${join(dir, 'empty')}'.`,
    );
  });

  test('when path is not a folder, then it says so', async () => {
    const { out } = await step({ path: join(dir, 'nope') });
    expect(out).toContain(`::error::Input 'path': '${join(dir, 'nope')}' is not a directory`);
  });

  test('when the lockfile is version 1, then the version and the fix are named', async () => {
    mkdirSync(join(dir, 'old'));
    writeFileSync(
      join(dir, 'old', 'package-lock.json'),
      JSON.stringify({ name: 'o', lockfileVersion: 1, dependencies: {} }),
    );
    const { out } = await step({ path: join(dir, 'old') });
    expect(out).toContain(
      `has lockfileVersion 1; expected 2 or 3. Regenerate it with npm 7 or later: npm install --package-lock-only`,
    );
  });

  test('when the snapshot is refused with 403, then the step fails naming contents: write, after the artifact upload', async () => {
    uploadArtifact.mockResolvedValue({ id: 3, size: 3 });
    nock(API)
      .post('/repos/octo/app/dependency-graph/snapshots')
      .reply(403, { message: 'Resource not accessible by integration' });
    const { failed, out } = await step({ path: REPO });
    expect(failed).toBe(true);
    expect(out).toContain(
      "::error::Dependency submission needs the 'contents: write' permission on the github-token",
    );
    expect(outputs()['artifact-id']).toBe('3');
    const summary = readFileSync(join(dir, 'summary'), 'utf8');
    expect(summary).toContain("**Failed:** Dependency submission needs the 'contents: write' permission");
    expect(summary).toContain('Artifact: `sbom-sbom-attempt1` uploaded (id 3, 3 bytes)');
    expect(summary).toContain('Attestation: not reached (the step failed before it)');
    // The token appears once: in the mask command, which is the first thing written.
    expect(out.split(TOKEN)).toHaveLength(2);
    expect(out.startsWith(`::add-mask::${TOKEN}\n`)).toBe(true);
  });

  test('when the artifact name is taken, then it says to set artifact-name', async () => {
    uploadArtifact.mockRejectedValue(
      new Error(
        'Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
      ),
    );
    const { out } = await step({ path: REPO, 'dependency-snapshot': 'false', 'artifact-name': 'sbom' });
    expect(out).toContain(
      "::error::Artifact upload failed: an artifact named 'sbom' already exists in this run. Set a distinct 'artifact-name' per step",
    );
  });

  test('when the OIDC token cannot be had, then it names id-token: write and attestations: write', async () => {
    attest.mockRejectedValue(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'));
    const { out } = await step({
      path: REPO,
      'upload-artifact': 'false',
      'dependency-snapshot': 'false',
      attest: 'true',
      'subject-digest': DIGEST,
      'subject-name': 'img',
    });
    expect(out).toContain(
      "::error::Attestation failed: 'attest: true' needs the job permissions 'id-token: write' and 'attestations: write'",
    );
  });

  test('when GITHUB_REPOSITORY is not owner/name, then the snapshot step says what it needs', async () => {
    await runMain(() =>
      main({
        fetch: globalThis.fetch,
        now: () => new Date(),
        sleep: async () => {},
        env: { ...env({ path: REPO, 'upload-artifact': 'false' }), GITHUB_REPOSITORY: '' },
      }),
    );
    expect(stdout.join('')).toContain(
      "::error::GITHUB_REPOSITORY is ''; expected owner/name (dependency-snapshot needs a GitHub Actions run).",
    );
  });

  test('when sbom-file cannot be read, then the input and the reason are named', async () => {
    const { out } = await step({ 'sbom-file': join(dir, 'missing.cdx.json') });
    expect(out).toContain(
      `::error::Input 'sbom-file': cannot read '${join(dir, 'missing.cdx.json')}': no such file.`,
    );
  });
});

describe('commitOf', () => {
  test('when the event is a pull request, then the head commit and branch are used', () => {
    const event = join(dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({ pull_request: { head: { sha: 'd'.repeat(40), ref: 'feature/x' } } }),
    );
    expect(
      commitOf({ GITHUB_EVENT_PATH: event, GITHUB_SHA: 'e'.repeat(40), GITHUB_REF: 'refs/pull/1/merge' }),
    ).toEqual({
      sha: 'd'.repeat(40),
      ref: 'refs/heads/feature/x',
    });
  });

  test('when the event is a push, then GITHUB_SHA and GITHUB_REF are used', () => {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main' }));
    expect(
      commitOf({ GITHUB_EVENT_PATH: event, GITHUB_SHA: 'e'.repeat(40), GITHUB_REF: 'refs/heads/main' }),
    ).toEqual({
      sha: 'e'.repeat(40),
      ref: 'refs/heads/main',
    });
  });

  test('when there is no commit, then it says what a snapshot needs', () => {
    expect(() => commitOf({})).toThrow(
      "GITHUB_SHA '' / GITHUB_REF '' do not name a commit and ref; dependency-snapshot needs a GitHub Actions run.",
    );
  });
});
