/**
 * The GitHub API stand-in driven by Octokit (@actions/github's getOctokit, as actions call GitHub): the route and
 * the request body come from Octokit's own endpoint definitions, and its answers are read as Octokit reads
 * GitHub's (a 2xx as data, anything else as a RequestError with the status), against what GitHub documents for
 * dependency submission.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { dependencySubmission, startGitHubApi, type GitHubApi } from '../github-api.js';

let api: GitHubApi;
beforeAll(async () => {
  api = await startGitHubApi(dependencySubmission(7));
});
afterAll(() => api?.close());

const octokit = (token = 'ghs_local') => getOctokit(token, { baseUrl: api.url, retry: { enabled: false } });

const snapshot = {
  owner: 'octo',
  repo: 'app',
  version: 0,
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  job: { correlator: 'CI / sbom', id: '1234' },
  detector: { name: 'sbom-upload', version: '1.0.0', url: 'https://example.test/sbom-upload' },
  scanned: '2026-03-01T00:00:00Z',
  manifests: {},
};

/** The RequestError of a call that must fail. */
async function status(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; status: number; message: string };
  expect(err.name).toBe('HttpError');
  return { status: err.status, message: err.message };
}

describe('dependency submission', () => {
  test('when a snapshot is created, then the answer is 201 with an id counting up, created_at, result and message', async () => {
    const first = await octokit().rest.dependencyGraph.createRepositorySnapshot(snapshot);
    const second = await octokit().rest.dependencyGraph.createRepositorySnapshot(snapshot);
    expect(first.status).toBe(201);
    expect(first.data).toEqual({
      id: 7,
      created_at: expect.any(String),
      result: 'SUCCESS',
      message: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(first.data.created_at))).toBe(false);
    expect(second.data.id).toBe(8);
    const recorded = api.requests.at(-1)!;
    expect(recorded.method).toBe('POST');
    expect(recorded.url).toBe('/repos/octo/app/dependency-graph/snapshots');
    expect(recorded.headers.authorization).toBe('token ghs_local');
    expect(recorded.body).toMatchObject({ sha: snapshot.sha, ref: snapshot.ref, job: snapshot.job });
  });

  // Octokit always sends its token, so this request is a plain one.
  test('when no token is sent, then the answer is 401 Requires authentication', async () => {
    const { owner, repo, ...body } = snapshot;
    const response = await fetch(`${api.url}/repos/${owner}/${repo}/dependency-graph/snapshots`, {
      method: 'POST',
      headers: { accept: 'application/vnd.github+json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Requires authentication' });
  });

  test.each([
    ['sha is not 40 characters', { sha: 'abc' }, 'sha'],
    ['ref is not a full ref', { ref: 'main' }, 'ref'],
    ['the detector has no url', { detector: { name: 'd', version: '1' } }, 'detector'],
  ])('when %s, then the answer is 422 naming the field', async (_what, change, field) => {
    const bad = { ...snapshot, ...change } as typeof snapshot;
    const answer = await status(octokit().rest.dependencyGraph.createRepositorySnapshot(bad));
    expect(answer.status).toBe(422);
    expect(answer.message).toContain(field);
  });

  test('when another route or method is asked for, then the answer is 404 Not Found', async () => {
    expect(await status(octokit().rest.repos.get({ owner: 'octo', repo: 'app' }))).toEqual({
      status: 404,
      message: expect.stringContaining('Not Found'),
    });
    expect(
      await status(
        octokit().request('GET /repos/{owner}/{repo}/dependency-graph/snapshots', { owner: 'o', repo: 'r' }),
      ),
    ).toMatchObject({ status: 404 });
  });

  test('when a test gives its own reply, then every request gets it and is recorded', async () => {
    const denied = await startGitHubApi(() => ({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    }));
    try {
      const client = getOctokit('t', { baseUrl: denied.url, retry: { enabled: false } });
      expect(await status(client.rest.dependencyGraph.createRepositorySnapshot(snapshot))).toEqual({
        status: 403,
        message: expect.stringContaining('Resource not accessible by integration'),
      });
      expect(denied.requests).toHaveLength(1);
    } finally {
      await denied.close();
    }
  });
});
