/**
 * The YAML examples in the repository's Markdown (the root README, each action's README, app/README.md and
 * docs/), and the checks a workflow linter cannot make on them: a step that uses one of our actions gets only
 * the inputs its action.yml declares and every input it requires; every `steps.X.outputs.Y` read names a step
 * of the same job that runs before it and an output that step sets; every `needs.J.outputs.Y` an output of a
 * job it needs; every environment variable a `run:` script reads is set; and the team's workflow rules. The
 * checks are pure functions over parsed YAML; markdownFiles and actionLoader read the files they name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Example {
  /** The Markdown file, relative to the repository root. */
  readme: string;
  /** Line of the opening fence (1-based). */
  line: number;
  text: string;
}

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
export interface Job {
  needs?: string | string[];
  outputs?: Record<string, string>;
  env?: Record<string, unknown>;
  permissions?: string | Record<string, string>;
  'timeout-minutes'?: number;
  steps?: Step[];
}
export interface Workflow {
  on?: unknown;
  env?: Record<string, unknown>;
  permissions?: string | Record<string, string>;
  jobs?: Record<string, Job>;
}
export interface ActionMeta {
  inputs?: Record<string, { required?: boolean; default?: unknown } | null>;
  outputs?: Record<string, unknown>;
}

/** Where the READMEs say "this repository": `uses: OWNER/REPO/actions/<name>@v1`. */
export const PLACEHOLDER_REPO = 'OWNER/REPO';

/** Every Markdown file a user reads: README.md, actions/<name>/README.md, app/README.md, docs/*.md. */
export function markdownFiles(root: string): string[] {
  const dir = (path: string) => (existsSync(join(root, path)) ? readdirSync(join(root, path)) : []);
  return [
    'README.md',
    ...dir('actions').map((name) => `actions/${name}/README.md`),
    'app/README.md',
    ...dir('docs')
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ].filter((file) => existsSync(join(root, file)));
}

/**
 * The fenced code blocks whose info string is yaml or yml. CommonMark fences: three or more backticks or
 * tildes, indented at most three spaces; the block ends at a fence of the same character at least as long.
 */
export function yamlExamples(readme: string, markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, fence, info] = open;
    const close = new RegExp(`^ {0,3}${fence![0] === '`' ? '`' : '~'}{${fence!.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    if (/^ya?ml$/i.test(info!))
      examples.push({ readme, line: i + 1, text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return examples;
}

export function isWorkflow(doc: unknown): doc is Workflow {
  return typeof doc === 'object' && doc !== null && 'jobs' in doc;
}

/** The name of our action a `uses:` refers to (`OWNER/REPO/actions/<name>@ref` or `./actions/<name>`), else undefined. */
export function ourAction(uses: string): { name: string; ref?: string } | undefined {
  const m = /^(?:([^/\s]+\/[^/\s]+)\/|\.\/)actions\/([^@\s/]+)(?:@(\S+))?$/.exec(uses);
  if (!m || (m[1] !== undefined && m[1] !== PLACEHOLDER_REPO)) return undefined;
  return { name: m[2]!, ...(m[3] !== undefined ? { ref: m[3] } : {}) };
}

/** Environment variables every runner sets (GitHub's "default environment variables"), by prefix or name. */
const RUNNER_VARIABLES = /^(GITHUB_\w+|RUNNER_\w+|ACTIONS_\w+|CI|HOME|PATH|PWD)$/;

/** Upper-case shell variables a script reads and does not set itself. */
export function unsetVariables(script: string, defined: Set<string>): string[] {
  const code = script.replace(/\$\{\{[^}]*\}\}/g, 'EXPR').replace(/(^|\s)#.*$/gm, '$1');
  const assigned = new Set([
    ...[...code.matchAll(/(?:^|[\s;(])(?:export\s+|local\s+)?([A-Z_][A-Z0-9_]*)\+?=/g)].map((m) => m[1]!),
    ...[...code.matchAll(/\bread\s+(?:-\w+\s+)*([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!),
    ...[...code.matchAll(/\bfor\s+([A-Z_][A-Z0-9_]*)\s+in\b/g)].map((m) => m[1]!),
  ]);
  const read = [...code.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!);
  return [
    ...new Set(
      read.filter((name) => !defined.has(name) && !assigned.has(name) && !RUNNER_VARIABLES.test(name)),
    ),
  ];
}

/** Does a run: script set output `name` (`echo "name=..." >> "$GITHUB_OUTPUT"` or a `name<<EOF` block)? */
function setsOutput(script: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return /GITHUB_OUTPUT/.test(script) && new RegExp(`(^|[\\s"'])${escaped}(=|<<)`, 'm').test(script);
}

/**
 * What is wrong with one workflow example, one line per problem, each naming the job, the step, our action
 * and the input or output concerned. `loadAction` returns our action's parsed action.yml, or undefined when
 * no such action exists.
 */
export function exampleProblems(
  workflow: Workflow,
  loadAction: (name: string) => ActionMeta | undefined,
): string[] {
  const problems: string[] = [];
  const jobs = workflow.jobs ?? {};
  for (const [jobName, job] of Object.entries(jobs)) {
    const steps = job.steps ?? [];
    const stepName = (step: Step, index: number) => `${jobName}/${step.id ?? `step ${index + 1}`}`;
    const exported = new Set<string>(); // variables earlier steps wrote to $GITHUB_ENV

    steps.forEach((step, index) => {
      const where = stepName(step, index);
      const ours = step.uses ? ourAction(step.uses) : undefined;
      if (step.uses && ours) {
        const meta = loadAction(ours.name);
        if (!meta)
          problems.push(`${where}: ${step.uses} names no action of this repository (actions/${ours.name})`);
        else problems.push(...inputProblems(where, ours.name, step.with ?? {}, meta));
        if (step.uses.startsWith(`${PLACEHOLDER_REPO}/`) && !/^v\d+$/.test(ours.ref ?? '')) {
          problems.push(`${where}: ${step.uses} should name the major version tag (@v1), never a branch`);
        }
      }

      for (const [, id, output] of JSON.stringify(step).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const source = steps.findIndex((s) => s.id === id);
        if (source < 0)
          problems.push(
            `${where}: reads steps.${id}.outputs.${output}, but job ${jobName} has no step '${id}'`,
          );
        else if (source >= index)
          problems.push(`${where}: reads steps.${id}.outputs.${output} before step '${id}' runs`);
        else problems.push(...outputProblems(where, steps[source]!, output!, loadAction));
      }

      if (step.run) {
        const defined = new Set([
          ...Object.keys(workflow.env ?? {}),
          ...Object.keys(job.env ?? {}),
          ...Object.keys(step.env ?? {}),
          ...exported,
        ]);
        for (const name of unsetVariables(step.run, defined)) {
          problems.push(
            `${where}: the script reads $${name}, which no env: block, runner or earlier step sets`,
          );
        }
        if (/GITHUB_ENV/.test(step.run)) {
          for (const [, name] of step.run.matchAll(/(?:^|[\s"'])([A-Z_][A-Z0-9_]*)=/gm)) exported.add(name!);
        }
      }
    });

    // the job's if:, its steps and its env may read the outputs of the jobs it needs
    for (const [, needed, output] of JSON.stringify(job).matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      problems.push(...needsProblems(jobName, job, jobs, needed!, output!));
    }
    for (const [key, value] of Object.entries(job.outputs ?? {})) {
      for (const [, id, output] of String(value).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const source = steps.find((s) => s.id === id);
        if (!source)
          problems.push(`${jobName}: output '${key}' reads steps.${id}, which job ${jobName} does not have`);
        else problems.push(...outputProblems(`${jobName}: output '${key}'`, source, output!, loadAction));
      }
    }
  }
  return [...new Set(problems)]; // one line per problem, however often it is read
}

function inputProblems(
  where: string,
  action: string,
  given: Record<string, unknown>,
  meta: ActionMeta,
): string[] {
  const declared = meta.inputs ?? {};
  const problems = Object.keys(given)
    .filter((key) => !(key in declared))
    .map(
      (key) =>
        `${where}: '${key}' is not an input of ${action} (its inputs: ${Object.keys(declared).join(', ')})`,
    );
  for (const [key, spec] of Object.entries(declared)) {
    if (spec?.required === true && spec.default === undefined && !(key in given)) {
      problems.push(`${where}: ${action}'s required input '${key}' is not given`);
    }
  }
  return problems;
}

function outputProblems(
  where: string,
  source: Step,
  output: string,
  loadAction: (name: string) => ActionMeta | undefined,
): string[] {
  const ours = source.uses ? ourAction(source.uses) : undefined;
  if (ours) {
    const outputs = loadAction(ours.name)?.outputs ?? {};
    return output in outputs
      ? []
      : [
          `${where}: reads steps.${source.id}.outputs.${output}, which ${ours.name} does not set (its outputs: ${Object.keys(outputs).join(', ')})`,
        ];
  }
  if (source.run !== undefined && !setsOutput(source.run, output)) {
    return [
      `${where}: reads steps.${source.id}.outputs.${output}, which the script of '${source.id}' never writes to $GITHUB_OUTPUT`,
    ];
  }
  return []; // a third-party action: actionlint knows the outputs of the popular ones
}

function needsProblems(
  where: string,
  job: Job,
  jobs: Record<string, Job>,
  needed: string,
  output: string,
): string[] {
  const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []);
  if (!needs.includes(needed))
    return [`${where}: reads needs.${needed}.outputs.${output}, but the job does not need '${needed}'`];
  if (!(output in (jobs[needed]?.outputs ?? {})))
    return [`${where}: reads needs.${needed}.outputs.${output}, which job ${needed} does not declare`];
  return [];
}

/** A job that may write (any `write` permission, `write-all`, or `id-token: write`). */
function writes(permissions: Job['permissions']): boolean {
  if (permissions === undefined) return false;
  if (typeof permissions === 'string') return permissions === 'write-all';
  return Object.values(permissions).includes('write');
}

/** Commands that run code from a package registry or build an image. */
const INSTALL_OR_BUILD =
  /\b(npm\s+(ci|install|i)\b|npx\b|yarn\b|pnpm\b|pipx?\s+install\b|pip3\s+install\b|(docker|podman)\s+(build|buildx)\b|buildah\s+(bud|build)\b)/;

/**
 * The team's rules for workflows, applied to an example as to .github/workflows: top-level permissions,
 * `timeout-minutes` on every job, an id on every step, checkouts without persisted credentials, third-party
 * actions pinned by full commit SHA with a `# vX.Y.Z` comment, and no install or image build in a job that
 * holds a write permission or id-token: write.
 */
export function ruleProblems(workflow: Workflow, text: string): string[] {
  const problems: string[] = [];
  if (workflow.permissions === undefined) problems.push('no top-level permissions');
  const inherited = workflow.permissions;
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    if (job['timeout-minutes'] === undefined) problems.push(`${jobName}: no timeout-minutes`);
    const mayWrite = writes(job.permissions ?? inherited);
    (job.steps ?? []).forEach((step, index) => {
      const where = `${jobName}/${step.id ?? `step ${index + 1}`}`;
      if (!step.id) problems.push(`${where}: no id`);
      if (
        step.uses?.startsWith('actions/checkout@') &&
        String(step.with?.['persist-credentials']) !== 'false'
      ) {
        problems.push(`${where}: checkout without persist-credentials: false`);
      }
      if (mayWrite && step.run && INSTALL_OR_BUILD.test(step.run)) {
        problems.push(
          `${where}: installs packages or builds an image in a job that holds a write permission`,
        );
      }
    });
  }
  for (const line of text.split('\n')) {
    const uses = /^\s*(?:-\s*)?uses:\s*(\S+)/.exec(line)?.[1];
    if (!uses || uses.startsWith('./') || uses.startsWith('docker://') || ourAction(uses)) continue;
    if (!/uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/.test(line)) {
      problems.push(`'${line.trim()}' is not pinned to a full commit SHA with a # vX.Y.Z comment`);
    }
  }
  return problems;
}

/** Our actions' metadata, read from actions/<name>/action.yml under `root`. */
export function actionLoader(root: string): (name: string) => ActionMeta | undefined {
  return (name) => {
    const file = join(root, 'actions', name, 'action.yml');
    return existsSync(file) ? (parse(readFileSync(file, 'utf8')) as ActionMeta) : undefined;
  };
}
