/**
 * A local stand-in for the GitHub REST API (what GITHUB_API_URL points at): every request is recorded and
 * answered by a `reply` function. The default reply serves the one route the actions call, dependency
 * submission (POST /repos/{owner}/{repo}/dependency-graph/snapshots), as GitHub documents it: 401 without a
 * token, 422 for a snapshot missing a required field, 201 with the snapshot's id, created_at, result and message;
 * every other route is 404 Not Found.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface GitHubApi {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const SNAPSHOTS = /^\/repos\/[^/]+\/[^/]+\/dependency-graph\/snapshots$/;

/** GitHub's error body: a message and where the documentation is. */
const error = (status: number, message: string, path = ''): Reply => ({
  status,
  body: { message, documentation_url: `${DOCS}${path}`, status: String(status) },
});

/** What a snapshot lacks of the fields GitHub requires (version, job.correlator, job.id, sha, ref, detector, scanned). */
function snapshotProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['the body is not a JSON object'];
  const s = body as Record<string, unknown>;
  const job = (s.job ?? {}) as Record<string, unknown>;
  const detector = (s.detector ?? {}) as Record<string, unknown>;
  return [
    ...(typeof s.version === 'number' ? [] : ['version']),
    ...(typeof job.correlator === 'string' ? [] : ['job.correlator']),
    ...(typeof job.id === 'string' ? [] : ['job.id']),
    ...(typeof s.sha === 'string' && s.sha.length === 40 ? [] : ['sha (40 characters)']),
    ...(typeof s.ref === 'string' && s.ref.startsWith('refs/') ? [] : ['ref (refs/...)']),
    ...(['name', 'version', 'url'].every((k) => typeof detector[k] === 'string')
      ? []
      : ['detector (name, version, url)']),
    ...(typeof s.scanned === 'string' ? [] : ['scanned']),
  ];
}

/** The dependency submission API; snapshot ids count up from `firstId`. */
export function dependencySubmission(firstId = 1): (req: Recorded) => Reply {
  let nextId = firstId;
  return (req) => {
    const path = new URL(req.url, 'http://api').pathname;
    if (req.method !== 'POST' || !SNAPSHOTS.test(path)) return error(404, 'Not Found');
    const docs = '/dependency-graph/dependency-submission#create-a-snapshot-of-dependencies-for-a-repository';
    if (!req.headers.authorization) return error(401, 'Requires authentication', docs);
    const problems = snapshotProblems(req.body);
    if (problems.length > 0)
      return error(422, `Invalid request: missing or invalid ${problems.join(', ')}`, docs);
    return {
      status: 201,
      body: {
        id: nextId++,
        created_at: new Date().toISOString(),
        result: 'SUCCESS',
        message: 'Dependency results for the repo have been successfully updated.',
      },
    };
  };
}

/** Starts the stand-in on a free loopback port; each request is recorded, then answered by `reply`. */
export async function startGitHubApi(
  reply: (req: Recorded) => Reply = dependencySubmission(),
): Promise<GitHubApi> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // raw text
      }
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const { status, body: answer } = reply(recorded);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
