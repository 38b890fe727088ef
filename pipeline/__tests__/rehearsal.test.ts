import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { pushJobEnv } from '../job-context.js';
import { Rehearsal } from '../rehearsal.js';

describe('Rehearsal', () => {
  test('when a check fails inside a step, then the step fails with the check, and later steps are recorded as not run without running', async () => {
    const printed: string[] = [];
    const run = new Rehearsal('abc', (line) => printed.push(line));
    let laterRan = false;
    await run.step('one', 'one', async () => {
      run.check('tags match', true, 'main');
      return 'fine';
    });
    await run.step('two', 'two', async () => {
      run.check('digest matches', false, 'sha256:aa != sha256:bb');
      return 'unreachable';
    });
    await run.step('three', 'three', async () => {
      laterRan = true;
      return '';
    });
    expect(laterRan).toBe(false);
    expect(run.report.steps.map((s) => [s.name, s.status, s.detail])).toEqual([
      ['one', 'passed', 'fine'],
      ['two', 'failed', 'check failed: digest matches: sha256:aa != sha256:bb'],
      ['three', 'not run', ''],
    ]);
    expect(run.report.checks.map((c) => [c.step, c.ok])).toEqual([
      ['one', true],
      ['two', false],
    ]);
    expect(printed).toContain('✖ digest matches: sha256:aa != sha256:bb');
  });

  test('when a step throws an error holding a secret, then the recorded detail is redacted', async () => {
    const run = new Rehearsal(
      'abc',
      () => undefined,
      (text) => text.replace('s3cret', '***'),
    );
    await run.step('push', 'push', async () => {
      throw new Error('login with s3cret refused');
    });
    expect(run.report.steps[0]!.detail).toBe('login with *** refused');
  });
});

describe('pushJobEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'job-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('when a push job is described, then the payload and variables agree as on a runner, and the secrets are listed for masking', () => {
    const { env, secrets } = pushJobEnv({
      workspace: '/repo',
      repository: 'local/legal-service',
      sha: 'a'.repeat(40),
      branch: 'feature/x',
      commitTime: '2026-11-29T10:00:00Z',
      workDir: dir,
      apiUrl: 'http://127.0.0.1:1',
    });
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, 'utf8')) as {
      ref: string;
      after: string;
      repository: { full_name: string; default_branch: string };
    };
    expect(event).toMatchObject({
      ref: 'refs/heads/feature/x',
      after: 'a'.repeat(40),
      repository: { full_name: 'local/legal-service', default_branch: 'feature/x' },
    });
    expect(env).toMatchObject({
      GITHUB_REF: event.ref,
      GITHUB_REF_NAME: 'feature/x',
      GITHUB_SHA: event.after,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY: 'local/legal-service',
      GITHUB_API_URL: 'http://127.0.0.1:1',
    });
    expect(secrets).toEqual([env.GITHUB_TOKEN, env.AWS_SECRET_ACCESS_KEY]);
    expect(secrets.every((s) => s.length >= 20)).toBe(true);
  });
});
