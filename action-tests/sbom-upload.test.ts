/**
 * dist/sbom-upload/index.js run as a runner runs it (node, INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files) against a local GitHub API stand-in. upload-artifact is off: the
 * artifact service needs the runner's ACTIONS_RUNTIME_TOKEN.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { startGitHubApi, type GitHubApi } from '../stand-ins/github-api.js';
import { runSbomUpload } from './helpers/sbom-upload.js';

// Each test starts the bundle in a child process (and some run npm ls); give a busy CI machine room.
jest.setTimeout(120_000);

const REPO = process.cwd();
const TOKEN = 'ghs_integration_secret_4711';
let project: string;

beforeAll(() => {
  // A real project: this repository's manifests and lockfile (with its app workspace).
  project = mkdtempSync(join(tmpdir(), 'sbom-project-'));
  mkdirSync(join(project, 'app'));
  cpSync(join(REPO, 'package.json'), join(project, 'package.json'));
  cpSync(join(REPO, 'package-lock.json'), join(project, 'package-lock.json'));
  cpSync(join(REPO, 'app', 'package.json'), join(project, 'app', 'package.json'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function npmLsCount(dir: string): number {
  const tree = JSON.parse(
    execFileSync('npm', ['ls', '--all', '--json', '--long', '--package-lock-only'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { dependencies?: Record<string, { name?: string; version?: string; dependencies?: object }> };
  const ids = new Set<string>();
  // npm prints a repeated package in full in one place only, so walk every path (stopping at cycles).
  const walk = (node: { dependencies?: object }, path: Set<string>) => {
    for (const [key, child] of Object.entries(node.dependencies ?? {}) as [
      string,
      { name?: string; version?: string; dependencies?: object },
    ][]) {
      if (!child.version) continue;
      const id = `${child.name ?? key}@${child.version}`;
      ids.add(id);
      if (!path.has(id)) walk(child, new Set([...path, id]));
    }
  };
  walk(tree, new Set());
  return ids.size;
}

describe('dependency snapshot against the API stand-in', () => {
  let api: GitHubApi;
  beforeAll(async () => {
    api = await startGitHubApi(() => ({
      status: 201,
      body: { id: 31337, created_at: '2026-03-01T00:00:00Z', result: 'SUCCESS', message: 'ok' },
    }));
  });
  afterAll(() => api.close());

  test('when run on a project, then the snapshot is submitted with every component and the outputs are set', async () => {
    const result = await runSbomUpload(
      { 'upload-artifact': 'false', 'github-token': TOKEN, matrix: '{"node":"24"}' },
      { GITHUB_API_URL: api.url, GITHUB_WORKSPACE: project },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
    expect(result.stdout.split(TOKEN)).toHaveLength(2);

    const expectedCount = npmLsCount(project);
    expect(Number(result.outputs['component-count'])).toBe(expectedCount);
    expect(result.outputs['snapshot-id']).toBe('31337');
    expect(result.outputs['artifact-id']).toBe('');
    const sbom = JSON.parse(readFileSync(result.outputs['sbom-path']!, 'utf8')) as {
      specVersion: string;
      components: unknown[];
    };
    expect(sbom.specVersion).toBe('1.6');
    expect(sbom.components).toHaveLength(expectedCount);

    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/repos/octo/app/dependency-graph/snapshots');
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const body = req!.body as {
      sha: string;
      ref: string;
      job: { correlator: string; id: string };
      manifests: Record<string, { resolved: Record<string, { relationship: string }> }>;
    };
    expect(body.sha).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(body.ref).toBe('refs/heads/main');
    expect(body.job.id).toBe('1234');
    expect(body.job.correlator).toMatch(/^CI \/ sbom \/ [0-9a-f]{12} \/ package-lock.json$/);
    // every component but the private app workspace (app/package.json), the project's own code
    const app = JSON.parse(readFileSync(join(project, 'app', 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      private: boolean;
    };
    expect(app.private).toBe(true);
    const resolved = Object.keys(body.manifests['package-lock.json']!.resolved);
    expect(resolved).toHaveLength(expectedCount - 1);
    expect(resolved).not.toContain(`pkg:npm/${app.name}@${app.version}`);
    expect(result.stdout).toContain(
      `1 of the project's own packages (workspaces, file: dependencies, private packages) left out of the dependency snapshot, their dependencies kept: ${app.name}@${app.version}.`,
    );
    const component = (
      sbom.components as { name: string; properties?: { name: string; value: string }[] }[]
    ).find((c) => c.name === app.name)!;
    expect(component.properties).toContainEqual({ name: 'cdx:npm:package:private', value: 'true' });
    expect(result.summary).toContain('Dependency snapshot: submitted (id 31337, result SUCCESS)');
    expect(result.summary).toContain('### Components by ecosystem and scope');
  }, 60_000);

  test('when an SPDX image SBOM is given, then it is submitted under its own manifest name', async () => {
    api.requests.length = 0;
    const result = await runSbomUpload(
      {
        'upload-artifact': 'false',
        'github-token': TOKEN,
        'sbom-file': 'actions/sbom-upload/__tests__/fixtures/syft-1.1.0-image.spdx.json',
      },
      { GITHUB_API_URL: api.url, GITHUB_WORKSPACE: REPO },
    );
    expect(result.code).toBe(0);
    const body = api.requests[0]!.body as { manifests: Record<string, { resolved: object }> };
    expect(Object.keys(body.manifests)).toEqual([
      'actions/sbom-upload/__tests__/fixtures/syft-1.1.0-image.spdx.json',
    ]);
    const raw = JSON.parse(
      readFileSync(join(REPO, 'actions/sbom-upload/__tests__/fixtures/syft-1.1.0-image.spdx.json'), 'utf8'),
    ) as {
      packages: { SPDXID: string }[];
      relationships: { relationshipType: string; relatedSpdxElement: string }[];
    };
    const root = raw.relationships.find((r) => r.relationshipType === 'DESCRIBES')!.relatedSpdxElement;
    expect(Object.keys(Object.values(body.manifests)[0]!.resolved)).toHaveLength(
      raw.packages.filter((p) => p.SPDXID !== root).length,
    );
  }, 60_000);
});

describe('failures', () => {
  test('when the token lacks contents: write (403), then the step fails naming the permission', async () => {
    const api = await startGitHubApi(() => ({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    }));
    try {
      const result = await runSbomUpload(
        { 'upload-artifact': 'false', 'github-token': TOKEN },
        { GITHUB_API_URL: api.url, GITHUB_WORKSPACE: project },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        "::error::Dependency submission needs the 'contents: write' permission on the github-token (POST /repos/octo/app/dependency-graph/snapshots returned HTTP 403: Resource not accessible by integration).",
      );
      expect(api.requests).toHaveLength(1);
      expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
    } finally {
      await api.close();
    }
  }, 60_000);

  test('when the folder has no lockfile, then the step fails naming path', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sbom-empty-'));
    try {
      const result = await runSbomUpload(
        { 'upload-artifact': 'false', 'github-token': TOKEN, path: empty },
        { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_WORKSPACE: empty },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `::error::Input 'path': no package-lock.json (or npm-shrinkwrap.json) in '${empty}'.`,
      );
      expect(result.outputs['sbom-path']).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test.each([
    ['a missing file', 'does-not-exist.cdx.json', 'no such file'],
    ['a directory', 'actions', 'it is a directory'],
  ])('when sbom-file is %s, then the step fails naming sbom-file and why', async (_what, file, why) => {
    const result = await runSbomUpload(
      {
        'upload-artifact': 'false',
        'dependency-snapshot': 'false',
        'github-token': TOKEN,
        'sbom-file': file,
      },
      { GITHUB_WORKSPACE: REPO },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `::error::Input 'sbom-file': cannot read '${file}': ${why}. Expected a CycloneDX or SPDX 2.3 JSON file.`,
    );
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
  });
});
