import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { gitAncestry } from '../src/git.js';
import { checkDowngrade, readRelease, type IsAncestor } from '../src/release.js';

const PARAM = '/legal-api/prod/release';
const OLDER = '1'.repeat(40);
const LIVE = '2'.repeat(40);
const live = {
  image: 'reg/legal-api@sha256:' + 'b'.repeat(64),
  commit: LIVE,
  time: '2026-11-29T10:00:00.000Z',
};
/** LIVE descends from OLDER, nothing else is related. */
const ancestry: IsAncestor = async (older, newer) => older === OLDER && newer === LIVE;

describe('the downgrade check', () => {
  test('when the candidate is an ancestor of the live commit, then the rollout is refused naming both and the fix', async () => {
    const attempt = checkDowngrade(
      { parameter: PARAM, live, commit: OLDER, allowDowngrade: false },
      ancestry,
    );
    await expect(attempt).rejects.toThrow(/^Input 'commit': /);
    await expect(
      checkDowngrade({ parameter: PARAM, live, commit: OLDER, allowDowngrade: false }, ancestry),
    ).rejects.toThrow(
      `Input 'commit': ${OLDER} is an ancestor of the live release's commit ${LIVE} (${live.image}, deployed ` +
        `2026-11-29T10:00:00.000Z, recorded in ${PARAM}), so this rollout would downgrade the live release; ` +
        'nothing was changed. For a deliberate rollback set allow-downgrade: true.',
    );
  });

  test('when allow-downgrade is set, then the same rollout goes ahead as a rollback', async () => {
    expect(
      await checkDowngrade({ parameter: PARAM, live, commit: OLDER, allowDowngrade: true }, ancestry),
    ).toContain('deploying it as a rollback (allow-downgrade: true)');
  });

  test('when the candidate is newer, the same commit, or there is no live release, then it goes ahead', async () => {
    const newer = '3'.repeat(40);
    expect(
      await checkDowngrade({ parameter: PARAM, live, commit: newer, allowDowngrade: false }, ancestry),
    ).toContain('is not an ancestor');
    expect(
      await checkDowngrade({ parameter: PARAM, live, commit: LIVE, allowDowngrade: false }, ancestry),
    ).toContain('a redeploy');
    expect(
      await checkDowngrade(
        { parameter: PARAM, live: undefined, commit: OLDER, allowDowngrade: false },
        ancestry,
      ),
    ).toBe(`no live release recorded in ${PARAM}: nothing to compare with`);
    expect(
      await checkDowngrade(
        { parameter: PARAM, live: { image: 'x' }, commit: OLDER, allowDowngrade: false },
        ancestry,
      ),
    ).toContain('records no commit');
  });

  test('when ancestry cannot be told, then the rollout is refused with the reason and the fix, unless allow-downgrade', async () => {
    const unknown: IsAncestor = async () => {
      throw new Error(`commit ${LIVE} is not in the checkout at /w`);
    };
    await expect(
      checkDowngrade({ parameter: PARAM, live, commit: OLDER, allowDowngrade: false }, unknown),
    ).rejects.toThrow(
      `commit ${LIVE} is not in the checkout at /w. Nothing was changed. Check out the repository with its history in this job (actions/checkout with fetch-depth: 0), or set allow-downgrade: true`,
    );
    expect(
      await checkDowngrade({ parameter: PARAM, live, commit: OLDER, allowDowngrade: true }, unknown),
    ).toContain('deploying anyway (allow-downgrade: true)');
  });
});

describe('ancestry from a real git checkout', () => {
  let repo: string;
  const commits: string[] = [];
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-C', cwd, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'ssm-rollout-git-'));
    git(repo, 'init', '--quiet', '--initial-branch', 'main');
    for (const n of [1, 2, 3]) {
      git(repo, 'commit', '--quiet', '--allow-empty', '--message', `release ${n}`);
      commits.push(git(repo, 'rev-parse', 'HEAD'));
    }
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('when release 1 is compared with release 3, then git says it is an ancestor, and not the other way round', async () => {
    const isAncestor = gitAncestry(repo);
    expect(await isAncestor(commits[0]!, commits[2]!)).toBe(true);
    expect(await isAncestor(commits[2]!, commits[0]!)).toBe(false);
  });

  test('when a commit is missing from the checkout, then it cannot tell and says which', async () => {
    const missing = 'f'.repeat(40);
    await expect(gitAncestry(repo)(missing, commits[2]!)).rejects.toThrow(
      `commit ${missing} is not in the checkout at ${repo}`,
    );
  });

  test('when the checkout is shallow, then "not an ancestor" cannot be trusted and it says so', async () => {
    const shallow = mkdtempSync(join(tmpdir(), 'ssm-rollout-shallow-'));
    try {
      git(shallow, 'clone', '--quiet', '--depth', '1', `file://${repo}`, 'clone');
      const clone = join(shallow, 'clone');
      // Release 1 is fetched alone, without the history that links it to release 3.
      git(clone, 'fetch', '--quiet', '--depth', '1', 'origin', commits[0]!);
      await expect(gitAncestry(clone)(commits[0]!, commits[2]!)).rejects.toThrow(
        `the checkout at ${clone} is shallow`,
      );
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });

  test('when the workspace is not a repository, then it cannot tell and says so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ssm-rollout-nogit-'));
    try {
      await expect(gitAncestry(empty)(commits[0]!, commits[2]!)).rejects.toThrow('(not a git repository)');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('reading the live release', () => {
  afterEach(() => mockClient(SSMClient).restore());
  const deps = () => ({ ssm: new SSMClient({ region: 'eu-west-1' }), sleep: async () => {} });

  test('when the parameter holds a release record, then it is read; when it is missing, then there is none', async () => {
    const mock = mockClient(SSMClient);
    mock.on(GetParameterCommand, { Name: PARAM }).resolves({ Parameter: { Value: JSON.stringify(live) } });
    mock
      .on(GetParameterCommand, { Name: '/nothing' })
      .rejects(Object.assign(new Error('missing'), { name: 'ParameterNotFound', $metadata: {} }));
    expect(await readRelease(deps(), PARAM)).toEqual(live);
    expect(await readRelease(deps(), '/nothing')).toBeUndefined();
  });

  test('when the parameter holds something else, then the error names the input', async () => {
    mockClient(SSMClient)
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: 'v1.2.3' } });
    await expect(readRelease(deps(), PARAM)).rejects.toThrow(
      `Input 'release-parameter': '${PARAM}' does not hold the JSON release record ssm-rollout writes (got "v1.2.3")`,
    );
  });
});
