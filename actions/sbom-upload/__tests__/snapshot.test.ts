/** Dependency submission: purl sanitizing, unique correlators and artifact names, and the API call (nock). */
import { nock } from '../../lib/__tests__/helpers/nock.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { PackageURL } from 'packageurl-js';
import { inventoryFromCycloneDx, toCycloneDx } from '../src/cyclonedx.js';
import type { Inventory } from '../src/inventory.js';
import { defaultArtifactName } from '../src/naming.js';
import {
  buildSnapshot,
  correlatorFor,
  matrixKey,
  sanitizePurl,
  SubmissionError,
  submitSnapshot,
} from '../src/snapshot.js';

const API = 'https://api.github.test';

describe('sanitizePurl', () => {
  test.each([
    ['pkg:npm/%40actions/core@1.0.0', 'pkg:npm/%40actions/core@1.0.0'],
    ['pkg:NPM/left-pad@1.3.0', 'pkg:npm/left-pad@1.3.0'],
    [
      'pkg:deb/ubuntu/libc6@2.35-0ubuntu3?distro=ubuntu-22.04&arch=amd64',
      'pkg:deb/ubuntu/libc6@2.35-0ubuntu3?arch=amd64&distro=ubuntu-22.04',
    ],
    ['pkg:npm/has space@1.0.0', 'pkg:npm/has%20space@1.0.0'],
    ['pkg:/npm/lodash@4.17.21', 'pkg:npm/lodash@4.17.21'],
  ])('when %s is given, then %s is submitted and parses back', (input, expected) => {
    const { purl } = sanitizePurl(input);
    expect(purl).toBe(expected);
    expect(PackageURL.fromString(purl!).toString()).toBe(expected);
  });

  test.each([
    [undefined, 'no package URL'],
    ['', 'no package URL'],
    ['cpe:2.3:a:x:y:1', "'cpe:2.3:a:x:y:1' is not a package URL (pkg:type/name@version)"],
    ['pkg:npm/', "'pkg:npm/' is not a package URL (pkg:type/name@version)"],
  ])('when %s is given, then it is skipped: %s', (input, reason) => {
    expect(sanitizePurl(input)).toEqual({ reason });
  });
});

describe('correlator and artifact name', () => {
  test('when the matrix combination differs, then the correlator and artifact name differ', () => {
    const a = JSON.stringify({ node: 20, os: 'ubuntu-latest' });
    const b = JSON.stringify({ node: 22, os: 'ubuntu-latest' });
    expect(correlatorFor('CI', 'sbom', a, 'package-lock.json')).not.toBe(
      correlatorFor('CI', 'sbom', b, 'package-lock.json'),
    );
    expect(defaultArtifactName('sbom', a, '1')).not.toBe(defaultArtifactName('sbom', b, '1'));
  });

  test('when the matrix keys come in another order, then the key is the same', () => {
    expect(matrixKey('{"a":1,"b":{"c":2,"d":3}}')).toBe(matrixKey('{"b":{"d":3,"c":2},"a":1}'));
  });

  test('when there is no matrix, then the name is sbom-<job>-attempt<n>', () => {
    expect(defaultArtifactName('build', 'null', '2')).toBe('sbom-build-attempt2');
    expect(defaultArtifactName('build', '', '')).toBe('sbom-build-attempt1');
    expect(correlatorFor('CI', 'build', 'null', 'package-lock.json')).toBe('CI / build / package-lock.json');
  });

  test('when matrix values hold characters artifacts forbid, then the name has none of them', () => {
    const name = defaultArtifactName('job/x', JSON.stringify({ path: 'a/b:c', os: 'win "11"' }), '3');
    expect(name).toMatch(/^sbom-job-x-win-11-a-b-c-[0-9a-f]{8}-attempt3$/);
    expect(name).not.toMatch(/["':<>|*?\\/\r\n]/);
  });

  test('when the run is re-run, then the artifact name changes with the attempt', () => {
    expect(defaultArtifactName('build', '{"os":"linux"}', '1')).not.toBe(
      defaultArtifactName('build', '{"os":"linux"}', '2'),
    );
  });
});

const inventory: Inventory = {
  root: { ref: 'root', name: 'demo', version: '1.0.0', purl: 'pkg:npm/demo@1.0.0' },
  packages: [
    {
      ref: 'a',
      name: 'a',
      version: '1.0.0',
      purl: 'pkg:npm/a@1.0.0',
      licenses: ['MIT'],
      hashes: [],
      scope: 'required',
      dev: false,
      dependsOn: ['b', 'bad'],
    },
    {
      ref: 'b',
      name: 'b',
      version: '2.0.0',
      purl: 'pkg:npm/b@2.0.0',
      licenses: [],
      hashes: [],
      scope: 'optional',
      dev: true,
      dependsOn: [],
    },
    {
      ref: 'bad',
      name: 'weird',
      version: '1',
      purl: 'not-a-purl',
      licenses: [],
      hashes: [],
      scope: 'required',
      dev: false,
      dependsOn: [],
    },
  ],
  rootDependsOn: ['a'],
  source: 'package-lock.json',
};
const context = {
  sha: 'f'.repeat(40),
  ref: 'refs/heads/main',
  correlator: 'CI / build / package-lock.json',
  runId: '42',
  htmlUrl: 'https://github.com/o/r/actions/runs/42',
  detector: { name: 'sbom-upload', version: 'v1', url: 'https://github.com/o/r' },
  scanned: new Date('2026-02-03T04:05:06Z'),
};

describe('buildSnapshot', () => {
  test('when a component has an invalid purl, then it is left out of resolved and of dependencies, and reported', () => {
    const { snapshot, report } = buildSnapshot(inventory, context);
    const resolved = snapshot.manifests['package-lock.json']!.resolved;
    expect(Object.keys(resolved).sort()).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/b@2.0.0']);
    expect(resolved['pkg:npm/a@1.0.0']).toEqual({
      package_url: 'pkg:npm/a@1.0.0',
      relationship: 'direct',
      scope: 'runtime',
      dependencies: ['pkg:npm/b@2.0.0'],
    });
    expect(resolved['pkg:npm/b@2.0.0']!.relationship).toBe('indirect');
    expect(resolved['pkg:npm/b@2.0.0']!.scope).toBe('development');
    expect(report.skipped).toEqual([
      { name: 'weird@1', reason: "'not-a-purl' is not a package URL (pkg:type/name@version)" },
    ]);
    expect(snapshot).toMatchObject({
      version: 0,
      sha: context.sha,
      ref: 'refs/heads/main',
      scanned: '2026-02-03T04:05:06.000Z',
    });
    expect(snapshot.job).toEqual({ correlator: context.correlator, id: '42', html_url: context.htmlUrl });
  });
});

describe('the project’s own packages', () => {
  test('when an SBOM marks a component private (cdx:npm:package:private), then it leaves the graph and its dependencies move up', () => {
    // a CycloneDX document as sbom-upload writes it, read back as an sbom-file input would be
    const own: Inventory = {
      ...inventory,
      packages: [
        { ...inventory.packages[0]!, ref: 'pkg:npm/a@1.0.0', dependsOn: ['pkg:npm/b@2.0.0'] },
        { ...inventory.packages[1]!, ref: 'pkg:npm/b@2.0.0', dev: false, scope: 'required' },
        {
          ref: 'pkg:npm/internal-ui@3.0.0',
          name: 'internal-ui',
          version: '3.0.0',
          purl: 'pkg:npm/internal-ui@3.0.0',
          licenses: [],
          hashes: [],
          scope: 'required',
          dev: false,
          private: true,
          dependsOn: ['pkg:npm/b@2.0.0'],
        },
      ],
      rootDependsOn: ['pkg:npm/a@1.0.0', 'pkg:npm/internal-ui@3.0.0'],
    };
    const doc = toCycloneDx(own, { producer: { name: 'sbom-upload', version: 't' }, now: new Date() });
    const read = inventoryFromCycloneDx(doc as Parameters<typeof inventoryFromCycloneDx>[0], 'sbom.json');
    expect(read.packages.find((p) => p.name === 'internal-ui')!.private).toBe(true);
    const { snapshot, report } = buildSnapshot(read, context);
    const resolved = snapshot.manifests['sbom.json']!.resolved;
    expect(Object.keys(resolved).sort()).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/b@2.0.0']);
    // b was only reached through the private package from the root: now a direct dependency
    expect(resolved['pkg:npm/b@2.0.0']!.relationship).toBe('direct');
    expect(report.local).toEqual(['internal-ui@3.0.0']);
  });
});

describe('submitSnapshot (nock)', () => {
  afterEach(() => nock.cleanAll());
  const { snapshot } = buildSnapshot(inventory, context);
  const options = {
    apiUrl: API,
    repository: 'o/r',
    token: 'ghs_t',
    fetch: globalThis.fetch,
    sleep: async () => {},
    log: () => {},
  };

  test('when GitHub accepts, then id and result come back and the request carries the token and snapshot', async () => {
    let body: unknown;
    const scope = nock(API, {
      reqheaders: { authorization: 'Bearer ghs_t', 'x-github-api-version': '2022-11-28' },
    })
      .post('/repos/o/r/dependency-graph/snapshots', (b) => ((body = b), true))
      .reply(201, {
        id: 7,
        created_at: '2026-02-03T04:05:07Z',
        result: 'SUCCESS',
        message: 'Dependency results for the repo have been successfully updated.',
      });
    await expect(submitSnapshot(snapshot, options)).resolves.toEqual({
      id: 7,
      result: 'SUCCESS',
      message: 'Dependency results for the repo have been successfully updated.',
    });
    expect(body).toEqual(JSON.parse(JSON.stringify(snapshot)));
    scope.done();
  });

  test('when the token lacks contents: write (403), then the error names the permission and is not retried', async () => {
    const scope = nock(API)
      .post('/repos/o/r/dependency-graph/snapshots')
      .once()
      .reply(403, { message: 'Resource not accessible by integration', status: '403' });
    const err = await submitSnapshot(snapshot, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmissionError);
    expect((err as Error).message).toBe(
      "Dependency submission needs the 'contents: write' permission on the github-token (POST /repos/o/r/dependency-graph/snapshots " +
        "returned HTTP 403: Resource not accessible by integration). Add 'permissions: contents: write' to the job; pull requests " +
        "from forks get a read-only token, so set 'dependency-snapshot: false' for them.",
    );
    scope.done();
  });

  test('when GitHub answers 502 then 201, then it retries with a labelled line', async () => {
    const lines: string[] = [];
    const scope = nock(API)
      .post('/repos/o/r/dependency-graph/snapshots')
      .reply(502, 'Bad Gateway')
      .post('/repos/o/r/dependency-graph/snapshots')
      .reply(201, { id: 8, result: 'ACCEPTED' });
    await expect(submitSnapshot(snapshot, { ...options, log: (l) => lines.push(l) })).resolves.toEqual({
      id: 8,
      result: 'ACCEPTED',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[retry\] GitHub dependency submission: attempt 1\/4 failed \(SubmissionError: Dependency submission failed \(POST .* returned HTTP 502: Bad Gateway\)\.\); retrying in \d+ ms$/,
    );
    scope.done();
  });

  test('when the connection is reset, then the submission is retried as a network failure', async () => {
    // A real server that drops the first connection without an answer and accepts the second submission.
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      if (requests === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":9,"result":"SUCCESS"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const lines: string[] = [];
      await expect(
        submitSnapshot(snapshot, {
          ...options,
          apiUrl: `http://127.0.0.1:${port}`,
          log: (l) => lines.push(l),
        }),
      ).resolves.toEqual({ id: 9, result: 'SUCCESS' });
      expect(requests).toBe(2);
      expect(lines).toEqual([expect.stringMatching(/attempt 1\/4 failed \(TypeError: fetch failed\)/)]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('when fetch fails with anything but a network failure, then it is not retried', async () => {
    let calls = 0;
    const broken = (async () => {
      calls += 1;
      throw new RangeError('invalid header value');
    }) as unknown as typeof fetch;
    await expect(submitSnapshot(snapshot, { ...options, fetch: broken })).rejects.toThrow(
      'invalid header value',
    );
    expect(calls).toBe(1);
  });

  test('when the token is rejected (401), then the github-token input is named', async () => {
    nock(API).post('/repos/o/r/dependency-graph/snapshots').reply(401, { message: 'Bad credentials' });
    await expect(submitSnapshot(snapshot, options)).rejects.toThrow(
      "Input 'github-token' was rejected by GitHub (POST /repos/o/r/dependency-graph/snapshots returned HTTP 401: Bad credentials).",
    );
  });

  test('when the repository is not visible (404), then it says which permission or setting is missing', async () => {
    nock(API).post('/repos/o/r/dependency-graph/snapshots').reply(404, { message: 'Not Found' });
    await expect(submitSnapshot(snapshot, options)).rejects.toThrow(
      /it needs 'contents: write'\) or its dependency graph is turned off/,
    );
  });
});
