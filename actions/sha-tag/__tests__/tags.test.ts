/**
 * Tag computation over GitHub's real example payloads (@octokit/webhooks-examples), and against
 * docker/metadata-action: the compatibility table's expected tags are copied from docker/metadata-action's
 * own test suite (__tests__/meta.test.ts, cases named in each row), not computed here.
 */
import { describe, expect, test } from '@jest/globals';
import moment from 'moment-timezone';
import { parsePayload, readContext, type Payload } from '../src/context.js';
import { validateImages } from '../src/images.js';
import { buildLabels } from '../src/labels.js';
import { parseFlavor, parseRules } from '../src/rules.js';
import { computeTags, sanitizeTag } from '../src/tags.js';
import { pullRequestOpened, pushDefaultBranch, pushTag, schedule, workflowDispatch } from './payloads.js';

const NOW = new Date('2020-01-10T00:30:00.000Z');
const PUSH_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'; // `after` of the push examples
const PR_HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'; // pull_request.head.sha of the PR example
const PR_MERGE = '34c5c7793cb3b279e22454cb6750c80560547b3a'; // GITHUB_SHA on pull_request: GitHub's merge commit
const PR_BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'; // pull_request.base.sha of the PR example
// The OCI distribution spec's tag grammar, written out here independently of the code's sanitizer.
const OCI_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

interface Scenario {
  event: string;
  ref: string;
  sha: string;
  payload: Payload;
}

function run(
  s: Scenario,
  tags: string[] = [],
  flavor: string[] = [],
  options: { usePrHeadSha?: boolean; shaLength?: number; images?: string[] } = {},
) {
  const env = {
    GITHUB_SHA: s.sha,
    GITHUB_REF: s.ref,
    GITHUB_EVENT_NAME: s.event,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_SERVER_URL: 'https://github.com',
  };
  const ctx = readContext(env, s.payload, { usePrHeadSha: options.usePrHeadSha ?? true });
  const result = computeTags(parseRules(tags), parseFlavor(flavor), ctx, {
    images: options.images ?? ['ghcr.io/codertocat/hello-world'],
    shaLength: options.shaLength ?? 7,
    now: NOW,
  });
  return { ctx, result, labels: buildLabels(ctx, result.version, NOW) };
}

const withRef = (payload: Payload, ref: string): Payload => ({ ...payload, ref });

const SCENARIOS: Record<string, () => Scenario> = {
  'push to the default branch': () => ({
    event: 'push',
    ref: 'refs/heads/master',
    sha: PUSH_SHA,
    payload: pushDefaultBranch(),
  }),
  'push to a feature branch with slashes and upper case': () => ({
    event: 'push',
    ref: 'refs/heads/feature/JIRA-42/Add-Login',
    sha: PUSH_SHA,
    payload: withRef(pushDefaultBranch(), 'refs/heads/feature/JIRA-42/Add-Login'),
  }),
  'push of a semver tag': () => ({
    event: 'push',
    ref: 'refs/tags/v1.2.3',
    sha: PUSH_SHA,
    payload: withRef(pushTag(), 'refs/tags/v1.2.3'),
  }),
  'push of a pre-release tag': () => ({
    event: 'push',
    ref: 'refs/tags/v2.0.0-rc.1',
    sha: PUSH_SHA,
    payload: withRef(pushTag(), 'refs/tags/v2.0.0-rc.1'),
  }),
  'push of a tag that is not semver': () => ({
    event: 'push',
    ref: 'refs/tags/simple-tag',
    sha: PUSH_SHA,
    payload: pushTag(),
  }),
  pull_request: () => ({
    event: 'pull_request',
    ref: 'refs/pull/2/merge',
    sha: PR_MERGE,
    payload: pullRequestOpened(),
  }),
  // GitHub documents pull_request_target's payload as pull_request's, with GITHUB_REF the base branch
  // and GITHUB_SHA the base branch's last commit (the runner does not check out the pull request).
  pull_request_target: () => ({
    event: 'pull_request_target',
    ref: 'refs/heads/master',
    sha: PR_BASE,
    payload: pullRequestOpened(),
  }),
  schedule: () => ({ event: 'schedule', ref: 'refs/heads/master', sha: PUSH_SHA, payload: schedule() }),
  workflow_dispatch: () => ({
    event: 'workflow_dispatch',
    ref: 'refs/heads/master',
    sha: PUSH_SHA,
    payload: workflowDispatch(),
  }),
};

describe('default rules (tags input empty) over real event payloads', () => {
  test.each([
    // scenario, tag names, version, sha, default branch, pre-release, latest
    ['push to the default branch', ['master', 'sha-6113728'], 'master', PUSH_SHA, true, false, false],
    [
      'push to a feature branch with slashes and upper case',
      ['feature-JIRA-42-Add-Login', 'sha-6113728'],
      'feature-JIRA-42-Add-Login',
      PUSH_SHA,
      false,
      false,
      false,
    ],
    ['push of a semver tag', ['1.2.3', 'sha-6113728', 'latest'], '1.2.3', PUSH_SHA, false, false, true],
    ['push of a pre-release tag', ['2.0.0-rc.1', 'sha-6113728'], '2.0.0-rc.1', PUSH_SHA, false, true, false],
    ['push of a tag that is not semver', ['sha-6113728'], 'sha-6113728', PUSH_SHA, false, false, false],
    ['pull_request', ['pr-2', 'sha-ec26c3e'], 'pr-2', PR_HEAD, false, false, false],
    ['pull_request_target', ['pr-2', 'sha-ec26c3e'], 'pr-2', PR_HEAD, false, false, false],
    ['schedule', ['master', 'sha-6113728'], 'master', PUSH_SHA, true, false, false],
    ['workflow_dispatch', ['master', 'sha-6113728'], 'master', PUSH_SHA, true, false, false],
  ] as const)('when %s, then %j', (name, tagNames, version, sha, isDefault, isPrerelease, isLatest) => {
    const { ctx, result } = run(SCENARIOS[name]!());
    expect(result.tagNames).toEqual(tagNames);
    expect(result.tags).toEqual(tagNames.map((t) => `ghcr.io/codertocat/hello-world:${t}`));
    expect(result.version).toBe(version);
    expect(ctx.sha).toBe(sha);
    expect(result.shortSha).toBe(sha.slice(0, 7));
    expect(result.immutableTag).toBe(`sha-${sha.slice(0, 7)}`);
    expect(result.isDefaultBranch).toBe(isDefault);
    expect(result.isPrerelease).toBe(isPrerelease);
    expect(result.isLatest).toBe(isLatest);
    for (const tag of result.tagNames) expect(tag).toMatch(OCI_TAG);
  });
});

describe('explicit rules over real event payloads', () => {
  const SEMVER = [
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=semver,pattern={{major}}',
  ];
  test.each([
    ['push of a semver tag', SEMVER, [], ['1.2.3', '1.2', '1', 'sha-6113728', 'latest']],
    [
      'push of a semver tag',
      [...SEMVER, 'type=semver,pattern={{raw}}', 'type=semver,pattern={{patch}}'],
      ['latest=false'],
      ['1.2.3', '1.2', '1', 'v1.2.3', '3', 'sha-6113728'],
    ],
    ['push of a pre-release tag', SEMVER, [], ['2.0.0-rc.1', 'sha-6113728']],
    ['push of a pre-release tag', ['type=semver,pattern={{raw}}'], [], ['v2.0.0-rc.1', 'sha-6113728']],
    [
      'push to the default branch',
      ['type=raw,value=stable,enable={{is_default_branch}}', 'type=sha,format=long'],
      [],
      ['stable', `sha-${PUSH_SHA}`],
    ],
    [
      'push to a feature branch with slashes and upper case',
      ['type=raw,value=stable,enable={{is_default_branch}}', 'type=sha,prefix=,suffix=-{{branch}}'],
      [],
      ['6113728-feature-JIRA-42-Add-Login'],
    ],
    [
      'push to the default branch',
      ['type=ref,event=branch', 'type=sha'],
      ['latest=true'],
      ['master', 'sha-6113728', 'latest'],
    ],
    ['push of a semver tag', ['type=semver,pattern={{version}}'], ['latest=false'], ['1.2.3', 'sha-6113728']],
    ['schedule', ["type=schedule,pattern={{date 'YYYYMMDD'}}", 'type=sha'], [], ['20200110', 'sha-6113728']],
    [
      'schedule',
      ['type=schedule', "type=raw,value=nightly-{{date 'YYYY-MM-DD' tz='Asia/Tokyo'}}"],
      [],
      ['nightly', 'nightly-2020-01-10', 'sha-6113728'],
    ],
    [
      'workflow_dispatch',
      ['type=schedule', 'type=ref,event=branch,prefix=manual-'],
      [],
      ['manual-master', 'sha-6113728'],
    ],
    [
      'pull_request',
      ['type=ref,event=pr', 'type=ref,event=branch', 'type=raw,value=pr-{{base_ref}}-{{sha}}'],
      [],
      ['pr-2', 'pr-master-ec26c3e', 'sha-ec26c3e'],
    ],
    ['pull_request', ['type=sha,priority=2000'], ['prefix=app-', 'suffix=-x'], ['sha-ec26c3e-x']],
    [
      'push to the default branch',
      ['type=ref,event=branch'],
      ['prefix=app-', 'suffix=-x'],
      ['app-master-x', 'sha-6113728'],
    ],
  ])('when %s with %j and flavor %j, then %j', (name, rules, flavor, tagNames) => {
    expect(run(SCENARIOS[name]!(), rules, flavor).result.tagNames).toEqual(tagNames);
  });

  test("when pull_request_target runs on the default branch's ref, then no default-branch tag goes to the pull request", () => {
    const rules = [
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=edge',
      'type=raw,value=stable,enable={{is_default_branch}}',
      'type=raw,value=review,enable={{is_not_default_branch}}',
      'type=raw,value=on-{{branch}}-{{base_ref}}',
    ];
    const { ctx, result } = run(SCENARIOS.pull_request_target!(), rules);
    expect(ctx.ref).toBe('refs/pull/2/merge');
    expect(ctx.githubRef).toBe('refs/heads/master');
    expect(result.tagNames).toEqual(['pr-2', 'review', 'on--master', 'sha-ec26c3e']);
    expect(result.isDefaultBranch).toBe(false);
  });

  test('when a pull_request_target payload has no pull request number, then the error says so', () => {
    const { number: _, ...payload } = pullRequestOpened();
    delete payload.pull_request!.number;
    expect(() =>
      readContext({ GITHUB_SHA: PR_BASE, GITHUB_EVENT_NAME: 'pull_request_target' }, payload, {
        usePrHeadSha: true,
      }),
    ).toThrow(
      'The pull_request_target event payload has no pull request number (number: null); sha-tag needs it to tag the pull request rather than its base branch.',
    );
  });

  test.each([
    ['push to the default branch', ['master', 'sha-6113728']],
    [
      'push to a feature branch with slashes and upper case',
      ['feature-JIRA-42-Add-Login', 'not-default', 'sha-6113728'],
    ],
    ['pull_request', ['pr-2', 'not-default', 'sha-ec26c3e']],
  ])('when %s, then enable={{is_not_default_branch}} gives %j', (name, tagNames) => {
    const rules = [
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=raw,value=not-default,enable={{is_not_default_branch}}',
    ];
    expect(run(SCENARIOS[name]!(), rules).result.tagNames).toEqual(tagNames);
  });

  test('when use-pr-head-sha is false, then pull requests get the merge commit GITHUB_SHA (docker/metadata-action default)', () => {
    const { ctx, result } = run(SCENARIOS.pull_request!(), [], [], { usePrHeadSha: false });
    expect(ctx.sha).toBe(PR_MERGE);
    expect(result.tagNames).toEqual(['pr-2', 'sha-34c5c77']);
  });

  test('when sha-length is 12, then the short sha and {{sha}} have 12 digits; past 40, the whole sha', () => {
    expect(
      run(SCENARIOS['push to the default branch']!(), [], [], { shaLength: 12 }).result.tagNames,
    ).toEqual(['master', 'sha-6113728f27ae']);
    expect(
      run(SCENARIOS['push to the default branch']!(), ['type=raw,value={{sha}}'], [], { shaLength: 64 })
        .result.version,
    ).toBe(PUSH_SHA);
  });

  test('when there are several images, then every image gets every tag, image by image', () => {
    const { result } = run(SCENARIOS['push of a semver tag']!(), [], [], {
      images: ['org/app', 'ghcr.io/user/app'],
    });
    expect(result.tags).toEqual([
      'org/app:1.2.3',
      'org/app:sha-6113728',
      'org/app:latest',
      'ghcr.io/user/app:1.2.3',
      'ghcr.io/user/app:sha-6113728',
      'ghcr.io/user/app:latest',
    ]);
  });

  test('when enable is an expression that is neither true nor false, then the rule is named', () => {
    expect(() => run(SCENARIOS.schedule!(), ['type=raw,value=x,enable={{branch}}'])).toThrow(
      "Input 'tags': rule 'type=raw,value=x,enable={{branch}}' has enable='master'; expected true or false.",
    );
  });

  test("when a schedule rule uses metadata-action's README date format, then the tag is moment's words, made a tag", () => {
    const format = 'dddd, MMMM Do YYYY, h:mm:ss a';
    expect(moment(NOW).tz('Asia/Tokyo').format(format)).toBe('Friday, January 10th 2020, 9:30:00 am');
    const { result } = run(SCENARIOS.schedule!(), [
      // the format has commas, so the field is quoted (CSV, as in metadata-action)
      `type=schedule,"pattern={{date '${format}' tz='Asia/Tokyo'}}"`,
    ]);
    expect(result.tagNames).toEqual(['Friday-January-10th-2020-9-30-00-am', 'sha-6113728']);
  });

  test('when a date format has a zone abbreviation, then the rule is refused on any event, naming the token', () => {
    expect(() =>
      run(SCENARIOS['push of a semver tag']!(), ["type=schedule,pattern={{date 'YYYYMMDD-z'}}"]),
    ).toThrow(
      "Input 'tags': rule 'type=schedule,pattern={{date 'YYYYMMDD-z'}}' has a bad pattern: format 'YYYYMMDD-z' uses the time zone abbreviation token 'z'",
    );
  });

  test('when the date time zone is unknown, then the rule is named', () => {
    expect(() =>
      run(SCENARIOS.schedule!(), ["type=schedule,pattern={{date 'YYYY' tz='Nowhere/City'}}"]),
    ).toThrow(
      "Input 'tags': rule 'type=schedule,pattern={{date 'YYYY' tz='Nowhere/City'}}': unknown time zone 'Nowhere/City'",
    );
  });

  test('when a semver rule meets a tag that is not semver, then it gives no tag and a warning', () => {
    const { result } = run(SCENARIOS['push of a tag that is not semver']!(), [
      'type=semver,pattern={{version}}',
    ]);
    expect(result.tagNames).toEqual(['sha-6113728']);
    expect(result.warnings).toEqual([
      "rule 'type=semver,pattern={{version}}': 'simple-tag' is not a valid semver version (https://semver.org); no tag from it.",
    ]);
  });
});

/**
 * docker/metadata-action compatibility: same rules, same tags. Contexts are those of its test fixtures
 * (commit 860c1904..., PR 15 with head 3370e228..., default branch master); expected tags are from its
 * meta.test.ts. sha-tag adds one thing: the immutable sha tag, when no type=sha rule produced one, goes
 * after the rules' tags (before latest).
 */
describe('same tags as docker/metadata-action for the same rules', () => {
  const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
  const tagPush = (tag: string): Scenario => ({
    event: 'push',
    ref: `refs/tags/${tag}`,
    sha: SHA,
    payload: { ...withRef(pushTag(), `refs/tags/${tag}`), base_ref: 'refs/heads/master' },
  });
  const branchPush = (branch: string): Scenario => ({
    event: 'push',
    ref: `refs/heads/${branch}`,
    sha: SHA,
    payload: withRef(pushDefaultBranch(), `refs/heads/${branch}`),
  });
  // Pull request 15 as the runner gives it: on pull_request GITHUB_REF is the merge ref and GITHUB_SHA the
  // merge commit; on pull_request_target GITHUB_REF is the base branch and GITHUB_SHA its last commit
  // (266574110acf... in metadata-action's recorded pull_request_target environment).
  const pr = (event: 'pull_request' | 'pull_request_target'): Scenario => {
    const payload = pullRequestOpened();
    payload.number = 15;
    payload.pull_request!.number = 15;
    payload.pull_request!.head!.sha = '3370e228f2209994d57af4427fe64e71bb79ac96';
    return event === 'pull_request'
      ? { event, ref: 'refs/pull/15/merge', sha: PR_MERGE, payload }
      : { event, ref: 'refs/heads/master', sha: '266574110acf203503badf966df2ea24b5d732d7', payload };
  };
  const nightly: Scenario = {
    event: 'schedule',
    ref: 'refs/heads/master',
    sha: SHA,
    payload: { schedule: '*/10 * * * *' },
  };
  const METADATA_DEFAULTS = [
    'type=schedule',
    'type=ref,event=branch',
    'type=ref,event=tag',
    'type=ref,event=pr',
  ];

  function plusImmutable(tags: string[], immutable: string): string[] {
    if (tags.some((t) => t.startsWith('sha-'))) return tags;
    const at = /latest/.test(tags[tags.length - 1] ?? '') ? tags.length - 1 : tags.length;
    return [...tags.slice(0, at), immutable, ...tags.slice(at)];
  }

  test.each([
    ['tag01', tagPush('release1'), METADATA_DEFAULTS, [], ['release1', 'latest']],
    ['tag02', tagPush('20200110-RC2'), METADATA_DEFAULTS, [], ['20200110-RC2', 'latest']],
    [
      'tag11',
      tagPush('v1.1.1'),
      [
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}',
        'type=semver,pattern={{major}}',
      ],
      [],
      ['1.1.1', '1.1', '1', 'latest'],
    ],
    [
      'tag12',
      tagPush('v1.1.1'),
      ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
      [],
      ['1.1.1', 'latest'],
    ],
    [
      'tag13',
      tagPush('v2.0.8-beta.67'),
      ['type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'],
      [],
      ['2.0.8-beta.67'],
    ],
    [
      'tag14',
      tagPush('sometag'),
      [
        'type=ref,event=tag',
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}',
        'type=semver,pattern={{major}}',
      ],
      ['latest=false'],
      ['sometag'],
    ],
    [
      'tag16',
      tagPush('v1.1.1'),
      ['type=raw,priority=2000,foo', 'type=ref,event=tag', 'type=edge'],
      [],
      ['foo', 'v1.1.1'],
    ],
    [
      'tag20',
      tagPush('v1.1.1'),
      [
        'type=raw,{{tag}}-{{sha}}-foo',
        'type=raw,{{base_ref}}-foo',
        'type=raw,defbranch-foo,enable={{is_default_branch}}',
      ],
      [],
      ['v1.1.1-860c190-foo', 'master-foo'],
    ],
    [
      'tag21',
      tagPush('v1.1.1'),
      ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
      ['suffix=-dev,onlatest=true'],
      ['1.1.1-dev', 'latest-dev'],
    ],
    [
      'tag22',
      tagPush('v1.1.1'),
      ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
      ['prefix=foo-,onlatest=true', 'suffix=-dev,onlatest=true'],
      ['foo-1.1.1-dev', 'foo-latest-dev'],
    ],
    ['push02', branchPush('master'), ['type=edge'], [], ['edge']],
    ['push03', branchPush('master'), METADATA_DEFAULTS, [], ['master']],
    ['push07', branchPush('dev'), ['type=ref,event=branch', 'type=sha'], [], ['dev', 'sha-860c190']],
    ['push09', branchPush('dev'), ['type=edge,branch=dev', 'type=sha'], [], ['edge', 'sha-860c190']],
    ['push10', branchPush('master'), ['type=edge,branch=dev', 'type=sha'], [], ['sha-860c190']],
    [
      'push13',
      branchPush('master'),
      ['type=ref,priority=2000,event=branch', 'type=edge'],
      [],
      ['master', 'edge'],
    ],
    ['pr06', pr('pull_request'), ['type=ref,event=pr,prefix='], ['prefix=glo-', 'suffix=-bal'], ['15-bal']],
    [
      'pr07',
      pr('pull_request_target'),
      ['type=sha,priority=2000', 'type=ref,event=pr'],
      [],
      ['sha-3370e22', 'pr-15'],
    ],
    [
      'pr08',
      pr('pull_request_target'),
      ['type=ref,event=pr,prefix='],
      ['prefix=glo-', 'suffix=-bal'],
      ['15-bal'],
    ],
    [
      'pr09',
      pr('pull_request_target'),
      [
        'type=ref,event=tag',
        'type=ref,event=pr',
        'type=ref,event=branch',
        'type=sha',
        'type=sha,format=long',
      ],
      [],
      ['pr-15', 'sha-3370e22', 'sha-3370e228f2209994d57af4427fe64e71bb79ac96'],
    ],
    [
      'pr10',
      pr('pull_request_target'),
      ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'],
      [],
      ['mytag-master'],
    ],
    [
      'pr11',
      pr('pull_request'),
      ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'],
      [],
      ['mytag-master'],
    ],
    [
      'push22',
      branchPush('dev'),
      [
        'type=edge,branch=master',
        'type=sha,format=long',
        'type=raw,value=notdefbranch,enable={{is_not_default_branch}}',
      ],
      [],
      ['notdefbranch', `sha-${SHA}`],
    ],
    ['schedule01', nightly, METADATA_DEFAULTS, [], ['nightly', 'master']],
    ['schedule03', nightly, ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss'}}"], [], ['20200110-003000']],
    [
      'schedule06',
      nightly,
      ['type=schedule', 'type=sha,priority=2000', 'type=raw,value=defbranch,enable={{is_default_branch}}'],
      [],
      ['sha-860c190', 'nightly', 'defbranch'],
    ],
    ['schedule07', nightly, ['type=schedule'], ['prefix=glo-', 'suffix=-bal'], ['glo-nightly-bal']],
    [
      'schedule08',
      nightly,
      ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}"],
      [],
      ['20200110-093000'],
    ],
  ] as const)('%s', (_name, scenario, rules, flavor, metadataActionTags) => {
    const { result } = run(scenario, [...rules], [...flavor]);
    expect(result.tagNames).toEqual(
      plusImmutable([...metadataActionTags], `sha-${scenario.payload.pull_request ? '3370e22' : '860c190'}`),
    );
    expect(result.version).toBe(metadataActionTags[0]);
  });
});

describe('labels from the payload alone', () => {
  test('when the payload has a repository, then source, url and title come from it', () => {
    const { labels } = run(SCENARIOS['push to the default branch']!());
    expect(labels).toEqual({
      'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z',
      'org.opencontainers.image.revision': PUSH_SHA,
      'org.opencontainers.image.source': 'https://github.com/Codertocat/Hello-World',
      'org.opencontainers.image.title': 'Hello-World',
      'org.opencontainers.image.url': 'https://github.com/Codertocat/Hello-World',
      'org.opencontainers.image.version': 'master',
    });
  });

  test('when the repository has a description and a license, then they are labels too', () => {
    const scenario = SCENARIOS.workflow_dispatch!();
    scenario.payload.repository!.license = { spdx_id: 'MIT' };
    const { labels } = run(scenario);
    expect(labels['org.opencontainers.image.description']).toBe('My first repo on GitHub!');
    expect(labels['org.opencontainers.image.licenses']).toBe('MIT');
    expect(Object.keys(labels)).toEqual([...Object.keys(labels)].sort());
  });

  test('when the payload has no repository (schedule), then GITHUB_SERVER_URL and GITHUB_REPOSITORY fill in', () => {
    const { labels } = run(SCENARIOS.schedule!());
    expect(labels['org.opencontainers.image.source']).toBe('https://github.com/Codertocat/Hello-World');
    expect(labels['org.opencontainers.image.title']).toBe('Hello-World');
  });

  test('when it is a pull request, then the revision is the head commit', () => {
    expect(run(SCENARIOS.pull_request!()).labels['org.opencontainers.image.revision']).toBe(PR_HEAD);
  });
});

describe('OCI tag grammar', () => {
  test.each([
    ['feature/Add-Login', 'feature-Add-Login'],
    ['dependabot/npm_and_yarn/express-4.21.2', 'dependabot-npm_and_yarn-express-4.21.2'],
    ['.hidden', 'hidden'],
    ['--x', 'x'],
    ['ünïcödé', 'n-c-d-'],
    ['a b\tc', 'a-b-c'],
    ['x'.repeat(200), 'x'.repeat(128)],
  ])('when the value is %j, then the tag is %j', (value, expected) => {
    expect(sanitizeTag(value)).toBe(expected);
    expect(expected).toMatch(OCI_TAG);
  });

  test('when a value has no valid character, then it gives no tag and a warning naming the rule', () => {
    const { result } = run(SCENARIOS.schedule!(), ['type=raw,value=...', 'type=sha']);
    expect(result.tagNames).toEqual(['sha-6113728']);
    expect(result.warnings).toEqual([
      "rule 'type=raw,value=...': '...' has no character valid in a tag; no tag from it.",
    ]);
  });
});

describe('image names', () => {
  test.each([
    [['ghcr.io/Octo-Org/App'], ['ghcr.io/octo-org/app']],
    [
      ['localhost:5000/app', 'app'],
      ['localhost:5000/app', 'app'],
    ],
    [
      ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/legal-api'],
      ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/legal-api'],
    ],
    [['docker.io/library/nginx', 'docker.io/library/nginx'], ['docker.io/library/nginx']],
    [['a__b/c.d-e'], ['a__b/c.d-e']],
  ])('when the images are %j, then they are %j', (names, expected) => {
    expect(validateImages(names)).toEqual(expected);
  });

  test.each([
    [
      'ghcr.io/org/app:latest',
      "Input 'images': 'ghcr.io/org/app:latest' has a tag or digest; give the name only",
    ],
    ['app@sha256:abc', "Input 'images': 'app@sha256:abc' has a tag or digest"],
    [
      'ghcr.io/org//app',
      "Input 'images': 'ghcr.io/org//app' is not a valid image name; expected [registry[:port]/]path",
    ],
    ['ghcr.io/org/app-', "'ghcr.io/org/app-' is not a valid image name"],
    ['my app', "'my app' is not a valid image name"],
  ])('when an image is %j, then the error names the input and the expected form', (name, message) => {
    expect(() => validateImages([name])).toThrow(message);
  });

  test('when images is empty, then the error says what to give', () => {
    expect(() => validateImages([])).toThrow(
      "Input 'images': is empty; give one or more image names, one per line or comma separated, e.g. ghcr.io/octo-org/app.",
    );
  });
});

describe('context', () => {
  test('when GITHUB_SHA is missing, then the error names it and the other runner variables', () => {
    expect(() => readContext({}, {}, { usePrHeadSha: true })).toThrow(
      'GITHUB_SHA is not set. sha-tag reads the commit from the variables a GitHub Actions runner sets',
    );
  });

  test('when GITHUB_SHA is not a SHA, then the error says what is expected', () => {
    expect(() => readContext({ GITHUB_SHA: 'main' }, {}, { usePrHeadSha: true })).toThrow(
      "GITHUB_SHA 'main' is not a commit SHA (40 or 64 hexadecimal digits).",
    );
  });

  test('when the event payload is JSON but not an object, then the error names GITHUB_EVENT_PATH', () => {
    expect(() => parsePayload('[1]', '/tmp/event.json')).toThrow(
      'The event payload at GITHUB_EVENT_PATH (/tmp/event.json) is not a JSON object.',
    );
  });

  test("when a pull request payload's head sha is not a SHA, then the error names the field", () => {
    const payload = pullRequestOpened();
    payload.pull_request!.head!.sha = 'not-a-sha';
    expect(() =>
      readContext({ GITHUB_SHA: PR_MERGE, GITHUB_EVENT_NAME: 'pull_request' }, payload, {
        usePrHeadSha: true,
      }),
    ).toThrow("The event payload's pull_request.head.sha 'not-a-sha' is not a commit SHA.");
  });
});
