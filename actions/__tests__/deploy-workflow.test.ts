/**
 * The deploy workflow's privilege rules, read from .github/workflows/deploy.yml as the runner reads it: no job that
 * can write or mint an OIDC token runs install scripts, npx, an image build or a restored cache; every checkout
 * leaves no token behind; every job has a timeout; every job after CI depends on it; the image reaches the
 * privileged jobs as an archive checked by its digest. Only reporting jobs (no id-token) may run always().
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  environment?: string | { name: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  steps?: Step[];
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

const load = (path: string) => parse(readFileSync(path, 'utf8')) as Workflow;
const deploy = load('.github/workflows/deploy.yml');

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());
/** Every job `name` waits for, directly or through other jobs. */
function upstream(workflow: Workflow, name: string, seen = new Set<string>()): Set<string> {
  for (const need of needsOf(workflow.jobs[name]!)) {
    if (!seen.has(need)) {
      seen.add(need);
      upstream(workflow, need, seen);
    }
  }
  return seen;
}

const privileged = (job: Job) => Object.entries(job.permissions ?? {}).some(([, level]) => level === 'write');

const CHECKOUT = /^actions\/checkout@/;
const CACHE = /^actions\/cache(\/restore)?@/;
const FORBIDDEN_RUNS: [RegExp, string][] = [
  [/\bnpm\s+(ci|install|i|add)\b/, 'runs npm install scripts'],
  [/\bnpx\b/, 'runs npx'],
  [/\b(docker|podman)\s+(build|buildx)\b|\bbuildah\b|\bkaniko\b/, 'builds an image'],
];

/** The privilege rules, each broken rule as a line naming the job (and step). */
function privilegeProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  if (JSON.stringify(workflow.permissions) !== '{"contents":"read"}')
    problems.push('top-level permissions are not exactly contents: read');
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (job.uses === undefined && job['timeout-minutes'] === undefined)
      problems.push(`${name}: no timeout-minutes`);
    if (job.uses === undefined && job.permissions === undefined)
      problems.push(`${name}: no permissions of its own (it would get the top level's)`);
    for (const step of job.steps ?? []) {
      const where = `${name}/${step.id}`;
      if (step.uses && CHECKOUT.test(step.uses) && step.with?.['persist-credentials'] !== false)
        problems.push(`${where}: checkout without persist-credentials: false`);
      if (!privileged(job)) continue;
      for (const [pattern, what] of FORBIDDEN_RUNS) {
        if (pattern.test(step.run ?? '')) problems.push(`${where}: ${what} in a job that can write`);
      }
      if (step.uses && CACHE.test(step.uses))
        problems.push(`${where}: restores a cache in a job that can write`);
      if (step.uses?.startsWith('actions/setup-node@') && step.with?.cache)
        problems.push(`${where}: restores a cache in a job that can write`);
    }
  }
  const ci = Object.entries(workflow.jobs).find(([, job]) => job.uses === './.github/workflows/ci.yml')?.[0];
  if (!ci) problems.push('no job calls ./.github/workflows/ci.yml');
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (ci && name !== ci && !upstream(workflow, name).has(ci))
      problems.push(`${name}: does not depend on CI`);
    // A job that reaches AWS or signs (a deploy job) runs only when CI and every job before it succeeded;
    // reporting jobs (failure issues, the gate's SARIF) may run always().
    const condition = job.if ?? '';
    if (job.permissions?.['id-token'] === 'write' && /always\(\)|cancelled\(\)|failure\(\)/.test(condition))
      problems.push(`${name}: runs whatever CI's result (if: ${condition})`);
  }
  return problems;
}

describe('deploy.yml privileges', () => {
  test('when the rules are checked, then deploy.yml breaks none', () => {
    expect(privilegeProblems(deploy)).toEqual([]);
  });

  test.each<[string, (w: Workflow) => void, string]>([
    [
      'npm ci in the push job',
      (w) => w.jobs.push!.steps!.push({ id: 'install', run: 'npm ci' }),
      'push/install: runs npm install scripts in a job that can write',
    ],
    [
      'npx in the staging job',
      (w) => w.jobs.staging!.steps!.push({ id: 'lint', run: 'npx eslint .' }),
      'staging/lint: runs npx in a job that can write',
    ],
    [
      'an image build in the sbom job',
      (w) => w.jobs.sbom!.steps!.push({ id: 'image', run: 'docker build -t x .' }),
      'sbom/image: builds an image in a job that can write',
    ],
    [
      'a cache restored in the push job',
      (w) => w.jobs.push!.steps!.push({ id: 'node', uses: 'actions/setup-node@x', with: { cache: 'npm' } }),
      'push/node: restores a cache in a job that can write',
    ],
    [
      'a checkout that keeps the token',
      (w) => delete w.jobs.build!.steps![0]!.with!['persist-credentials'],
      'build/checkout: checkout without persist-credentials: false',
    ],
    [
      'a job without a timeout',
      (w) => delete w.jobs.production!['timeout-minutes'],
      'production: no timeout-minutes',
    ],
    [
      'a job that does not wait for CI',
      (w) => {
        w.jobs.build!.needs = [];
        w.jobs.push!.needs = ['build'];
        w.jobs.sbom!.needs = ['build', 'push'];
        w.jobs.provenance!.needs = ['push'];
        w.jobs.staging!.needs = ['push', 'sbom', 'provenance'];
        w.jobs.production!.needs = ['push', 'staging'];
      },
      'staging: does not depend on CI',
    ],
    [
      'a job that runs whatever CI says',
      (w) => (w.jobs.staging!.if = 'always()'),
      "staging: runs whatever CI's result (if: always())",
    ],
    [
      'write permissions at the top',
      (w) => (w.permissions = { contents: 'write' }),
      'top-level permissions are not exactly contents: read',
    ],
  ])('when deploy.yml had %s, then the check names it', (_, breakIt, problem) => {
    const broken = structuredClone(deploy);
    breakIt(broken);
    expect(privilegeProblems(broken)).toContain(problem);
  });
});

describe('deploy.yml release flow', () => {
  const jobs = deploy.jobs;
  const step = (job: string, id: string) => jobs[job]!.steps!.find((s) => s.id === id)!;

  test('runs on pushes to main and on manual dispatch of the default branch only, one run at a time, none cancelled', () => {
    expect(Object.keys(deploy.on)).toEqual(['push', 'workflow_dispatch']);
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(jobs.ci!.if).toBe(
      "github.event_name != 'workflow_dispatch' || github.ref == format('refs/heads/{0}', github.event.repository.default_branch)",
    );
    expect(deploy.concurrency).toEqual({ group: 'deploy-${{ github.ref }}', 'cancel-in-progress': false });
  });

  test('CI is called as a job, and ci.yml can be called without its run cancelling the push-triggered one', () => {
    const ci = load('.github/workflows/ci.yml');
    expect(jobs.ci!.uses).toBe('./.github/workflows/ci.yml');
    expect(Object.keys(ci.on)).toContain('workflow_call');
    // In a called workflow github.workflow is the caller's name, so the two runs get different groups.
    expect(ci.concurrency?.group).toContain('${{ github.workflow }}');
  });

  test('only the build job installs, builds and scans, with contents: read alone', () => {
    expect(jobs.build!.permissions).toEqual({ contents: 'read' });
    const runs = jobs.build!.steps!.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bdocker build\b/);
    expect(jobs.build!.steps!.filter((s) => s.uses?.startsWith('aquasecurity/trivy-action@'))).toHaveLength(
      2,
    );
  });

  test('the image travels as an artifact whose SHA-256 the push job checks before pushing', () => {
    expect(step('build', 'archive').run).toContain('sha256sum');
    expect(jobs.build!.outputs?.['archive-sha256']).toBe('${{ steps.archive.outputs.sha256 }}');
    const push = jobs.push!.steps!.map((s) => s.id);
    expect(push.indexOf('verify-image')).toBeGreaterThan(push.indexOf('download-image'));
    expect(push.indexOf('verify-image')).toBeLessThan(push.indexOf('aws'));
    expect(step('push', 'verify-image').env).toEqual({ SHA256: '${{ needs.build.outputs.archive-sha256 }}' });
    expect(step('push', 'verify-image').run).toContain('sha256sum --check --strict');
    expect(step('push', 'push').with).toMatchObject({
      image: 'docker-archive:${{ runner.temp }}/image/${{ env.IMAGE_ARCHIVE }}',
      'image-tag-mutability': 'IMMUTABLE_WITH_EXCLUSION',
      'mutability-exclusions': 'main',
    });
    expect(jobs.push!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  test("the SBOM is the image's own (Trivy's CycloneDX of the archive), attested to the pushed digest, and so is the build provenance", () => {
    expect(step('build', 'image-sbom').with).toMatchObject({
      format: 'cyclonedx',
      output: 'image-sbom.cdx.json',
    });
    expect(step('sbom', 'sbom').with).toMatchObject({
      'sbom-file': '${{ runner.temp }}/image/image-sbom.cdx.json',
      attest: 'true',
      'subject-digest': '${{ needs.push.outputs.digest }}',
    });
    expect(jobs.sbom!.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    expect(step('provenance', 'attest').with).toEqual({
      'subject-name': '${{ needs.push.outputs.registry }}/${{ env.ECR_REPOSITORY }}',
      'subject-digest': '${{ needs.push.outputs.digest }}',
    });
    expect(jobs.provenance!.permissions).toEqual({ 'id-token': 'write', attestations: 'write' });
  });

  test.each(['staging', 'production'])(
    'the %s rollout has its environment and role, its own concurrency group, the history for the downgrade check, and the commit',
    (name) => {
      const job = jobs[name]!;
      expect(job.environment).toBe(name);
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(job.concurrency).toEqual({ group: `deploy-${name}`, 'cancel-in-progress': false });
      expect(step(name, 'checkout').with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
      // AWS_DEPLOY_ROLE_ARN is an environment variable: each environment resolves its own role.
      expect(step(name, 'aws').with).toMatchObject({ 'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}' });
      expect(step(name, 'rollout').with).toMatchObject({
        image: '${{ needs.push.outputs.image-uri }}',
        commit: '${{ github.sha }}',
        'release-parameter': `/legal-service/${name}/release`,
      });
      expect(step(name, 'rollout').with?.['allow-downgrade']).toBeUndefined();
    },
  );

  test("the production rollout bakes its canary on the service's metrics, with the token from its own environment", () => {
    const rollout = step('production', 'rollout').with!;
    expect(rollout).toMatchObject({
      'canary-bake': '5m',
      'max-error-rate': '1%',
      'max-latency-p95': '500ms',
      'insufficient-traffic': 'promote',
    });
    // Under the path the instance role already reads (infra/): no other permission for the token.
    expect(rollout['metrics-token-parameter']).toBe(`${rollout['env-parameters-path']}/METRICS_TOKEN`);
    expect(step('staging', 'rollout').with?.['canary-bake']).toBeUndefined();
  });

  test('production waits for staging', () => {
    expect(needsOf(jobs.production!)).toContain('staging');
  });
});
