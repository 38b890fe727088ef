/** dist/sha-tag/index.js run as a runner runs it, with GitHub's example payloads as the event file. */
import { describe, expect, test } from '@jest/globals';
import moment from 'moment-timezone';
import { createRequire } from 'node:module';
import { runBundle } from './helpers/sha-tag.js';

interface Example {
  name: string;
  examples: Array<Record<string, unknown> & { ref?: string; action?: string; after?: string }>;
}
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Example[];
const example = (event: string, where: (p: Example['examples'][number]) => boolean) =>
  structuredClone(examples.find((e) => e.name === event)!.examples.find(where)!);

const PUSH_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const tagPayload = {
  ...example('push', (p) => p.ref === 'refs/tags/simple-tag' && p.after === PUSH_SHA),
  ref: 'refs/tags/v1.4.0',
};
const prPayload = example('pull_request', (p) => p.action === 'opened');

const tagEnv = {
  GITHUB_SHA: PUSH_SHA,
  GITHUB_REF: 'refs/tags/v1.4.0',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '1658821493',
};
const SEMVER_RULES = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=sha',
].join('\n');

describe('sha-tag run as a runner runs it', () => {
  test('when a semver tag is pushed, then every output is written to GITHUB_OUTPUT', () => {
    const run = runBundle(
      'sha-tag',
      {
        images: 'ghcr.io/Codertocat/hello-world, 123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello',
        tags: SEMVER_RULES,
      },
      tagEnv,
      tagPayload,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('::error');
    const o = run.outputs;
    expect(o.tags!.split('\n')).toEqual([
      'ghcr.io/codertocat/hello-world:1.4.0',
      'ghcr.io/codertocat/hello-world:1.4',
      'ghcr.io/codertocat/hello-world:sha-6113728',
      'ghcr.io/codertocat/hello-world:latest',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:1.4.0',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:1.4',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:sha-6113728',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello:latest',
    ]);
    expect(o['tag-names']).toBe('1.4.0\n1.4\nsha-6113728\nlatest');
    expect(o.version).toBe('1.4.0');
    expect(o.sha).toBe(PUSH_SHA);
    expect(o['short-sha']).toBe('6113728');
    expect(o['immutable-tag']).toBe('sha-6113728');
    expect(o['immutable-ref']).toBe('ghcr.io/codertocat/hello-world:sha-6113728');
    expect(o['is-default-branch']).toBe('false');
    expect(o['is-prerelease']).toBe('false');
    expect(o['is-latest']).toBe('true');
    const labels = o.labels!.split('\n');
    expect(labels.map((l) => l.split('=')[0])).toEqual([
      'org.opencontainers.image.created',
      'org.opencontainers.image.revision',
      'org.opencontainers.image.source',
      'org.opencontainers.image.title',
      'org.opencontainers.image.url',
      'org.opencontainers.image.version',
    ]);
    expect(labels).toContain(`org.opencontainers.image.revision=${PUSH_SHA}`);
    expect(labels).toContain('org.opencontainers.image.source=https://github.com/Codertocat/Hello-World');
    expect(labels).toContain('org.opencontainers.image.version=1.4.0');
    const created = labels[0]!.slice('org.opencontainers.image.created='.length);
    expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(60_000);
    const json = JSON.parse(o.json!);
    expect(json.tags).toEqual(o.tags!.split('\n'));
    expect(json.labels['org.opencontainers.image.title']).toBe('Hello-World');
    expect(run.summary).toContain('| ghcr.io/codertocat/hello-world:1.4.0 |');
    expect(run.summary).toContain('Version `1.4.0`');
  });

  test('when a pull request is opened, then the head commit is tagged, not the merge commit', () => {
    const env = {
      ...tagEnv,
      GITHUB_SHA: '34c5c7793cb3b279e22454cb6750c80560547b3a',
      GITHUB_REF: 'refs/pull/2/merge',
      GITHUB_EVENT_NAME: 'pull_request',
    };
    const head = runBundle('sha-tag', { images: 'ghcr.io/codertocat/hello-world' }, env, prPayload);
    expect(head.status).toBe(0);
    expect(head.outputs['tag-names']).toBe('pr-2\nsha-ec26c3e');
    expect(head.outputs.sha).toBe('ec26c3e57ca3a959ca5aad62de7213c562f8c821');
    const merge = runBundle(
      'sha-tag',
      { images: 'ghcr.io/codertocat/hello-world', 'use-pr-head-sha': 'false' },
      env,
      prPayload,
    );
    expect(merge.outputs['tag-names']).toBe('pr-2\nsha-34c5c77');
  });

  test('when pull_request_target runs (GITHUB_REF the base branch), then the pull request is tagged, not the branch', () => {
    // GitHub: pull_request_target has pull_request's payload; GITHUB_REF is the base branch and
    // GITHUB_SHA its last commit.
    const env = {
      ...tagEnv,
      GITHUB_SHA: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      GITHUB_REF: 'refs/heads/master',
      GITHUB_EVENT_NAME: 'pull_request_target',
    };
    const tags =
      'type=ref,event=branch\ntype=ref,event=pr\ntype=edge\ntype=raw,value=stable,enable={{is_default_branch}}';
    const run = runBundle('sha-tag', { images: 'ghcr.io/codertocat/hello-world', tags }, env, prPayload);
    expect(run.status).toBe(0);
    expect(run.outputs['tag-names']).toBe('pr-2\nsha-ec26c3e');
    expect(run.outputs['is-default-branch']).toBe('false');
    expect(run.stdout).toContain(
      'pull request ref refs/pull/2/merge (GITHUB_REF refs/heads/master is the base branch)',
    );
  });

  test("when a schedule run renders {{date}} in metadata-action's README format, then the tag is moment-timezone's", () => {
    const format = 'dddd, MMMM Do YYYY, h:mm:ss a';
    const before = Date.now();
    const run = runBundle(
      'sha-tag',
      { images: 'app', tags: `type=schedule,"pattern={{date '${format}' tz='Asia/Kolkata'}}"` },
      { ...tagEnv, GITHUB_REF: 'refs/heads/master', GITHUB_EVENT_NAME: 'schedule' },
      { schedule: '30 5 * * 1', workflow: '.github/workflows/nightly.yml' },
    );
    const after = Date.now();
    expect(run.status).toBe(0);
    const expected = new Set(
      [before, after].map((ms) =>
        moment(ms)
          .tz('Asia/Kolkata')
          .format(format)
          .replace(/[^a-zA-Z0-9._-]+/g, '-'),
      ),
    );
    expect(expected).toContain(run.outputs.version);
  });

  test('when there is no event file, then the tags still come from the variables', () => {
    const run = runBundle('sha-tag', { images: 'app' }, { ...tagEnv, GITHUB_REF: 'refs/heads/main' });
    expect(run.status).toBe(0);
    expect(run.outputs['tag-names']).toBe('main\nsha-6113728');
    expect(run.outputs.labels).toContain(
      'org.opencontainers.image.source=https://github.com/Codertocat/Hello-World',
    );
  });
});

describe('sha-tag failures', () => {
  test.each([
    [
      'an unknown rule type',
      { images: 'app', tags: 'type=sha\ntype=branch' },
      {},
      "::error::Input 'tags': rule 'type=branch' has unknown type 'branch'; accepted types: sha, ref, semver, raw, schedule, edge.",
    ],
    [
      'an unknown attribute',
      { images: 'app', tags: 'type=ref,event=branch,pattern={{version}}' },
      {},
      "::error::Input 'tags': rule 'type=ref,event=branch,pattern={{version}}' has unknown attribute 'pattern' for type=ref; accepted: type, enable, priority, prefix, suffix, event.",
    ],
    [
      'a malformed semver pattern',
      { images: 'app', tags: 'type=semver,pattern={{major}}.{{minr}}' },
      {},
      "::error::Input 'tags': rule 'type=semver,pattern={{major}}.{{minr}}' has a bad pattern: unknown expression '{{minr}}' in '{{major}}.{{minr}}'; accepted: {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}.",
    ],
    [
      'a date format with a zone abbreviation',
      { images: 'app', tags: "type=raw,value={{date 'YYYYMMDD-zz'}}" },
      {},
      "::error::Input 'tags': rule 'type=raw,value={{date 'YYYYMMDD-zz'}}' has a bad value: format 'YYYYMMDD-zz' uses the time zone abbreviation token 'zz', which sha-tag does not render; use Z (+09:00) or ZZ (+0900) for the offset, or [zz] for the letters.",
    ],
    [
      'empty images',
      { images: ' ' },
      {},
      "::error::Input 'images': is empty; give one or more image names, one per line or comma separated, e.g. ghcr.io/octo-org/app.",
    ],
    [
      'an image with a tag',
      { images: 'ghcr.io/org/app:v1' },
      {},
      "::error::Input 'images': 'ghcr.io/org/app:v1' has a tag or digest; give the name only",
    ],
    [
      'a missing GITHUB_SHA',
      { images: 'app' },
      { GITHUB_SHA: undefined },
      '::error::GITHUB_SHA is not set. sha-tag reads the commit from the variables a GitHub Actions runner sets (GITHUB_SHA, GITHUB_REF, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH); run it as a step of a workflow job.',
    ],
    [
      'a bad flavor',
      { images: 'app', flavor: 'latest=always' },
      {},
      "::error::Input 'flavor': latest='always'; accepted: auto, true, false.",
    ],
    [
      'a bad sha-length',
      { images: 'app', 'sha-length': 'seven' },
      {},
      "::error::Input 'sha-length': expected a whole number from 1 to 64, got 'seven'.",
    ],
    [
      'a bad use-pr-head-sha',
      { images: 'app', 'use-pr-head-sha': 'yes' },
      {},
      "::error::Input 'use-pr-head-sha': expected true or false, got 'yes'.",
    ],
  ])('when given %s, then the step fails with a message naming it', (_what, inputs, env, errorLine) => {
    const run = runBundle('sha-tag', inputs, { ...tagEnv, ...env }, tagPayload);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n').find((line) => line.startsWith('::error::'))).toContain(errorLine);
    expect(run.outputs).toEqual({});
  });

  test('when the event file is not JSON, then the step fails naming GITHUB_EVENT_PATH', () => {
    const run = runBundle('sha-tag', { images: 'app' }, tagEnv, '{"ref": ');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /::error::The event payload at GITHUB_EVENT_PATH \(.*event\.json\) is not valid JSON/,
    );
  });

  test('when GITHUB_EVENT_PATH names a missing file, then the step fails naming it', () => {
    const run = runBundle(
      'sha-tag',
      { images: 'app' },
      { ...tagEnv, GITHUB_EVENT_PATH: '/nonexistent/event.json' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::Cannot read the event payload at GITHUB_EVENT_PATH (/nonexistent/event.json): ENOENT',
    );
  });
});
