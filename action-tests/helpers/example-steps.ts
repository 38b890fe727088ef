/**
 * Runs the steps of a README example as a runner would, from what the example says and nothing more: each
 * `${{ expression }}` is replaced from an explicit table of values (an expression the table lacks is an
 * error, so a test cannot pass by leaving one unreplaced), `run:` scripts go through bash as GitHub's default
 * shell runs them, and our actions through pipeline/run-action.ts (dist bundle, INPUT_* variables with
 * action.yml's defaults, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runAction, type StepRun } from '../../pipeline/run-action.js';
import {
  isWorkflow,
  yamlExamples,
  type Step,
  type Workflow,
} from '../../actions/__tests__/helpers/readme-examples.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** The one workflow example of a README. */
export function readmeWorkflow(readme: string): Workflow {
  const workflows = yamlExamples(readme, readFileSync(join(ROOT, readme), 'utf8'))
    .map((e) => parse(e.text) as unknown)
    .filter(isWorkflow);
  if (workflows.length !== 1)
    throw new Error(`${readme}: expected one workflow example, found ${workflows.length}`);
  return workflows[0]!;
}

export function stepById(workflow: Workflow, job: string, id: string): Step {
  const step = workflow.jobs?.[job]?.steps?.find((s) => s.id === id);
  if (!step) throw new Error(`the example has no step ${job}/${id}`);
  return step;
}

/** `${{ expr }}` replaced by values[expr]; an expression without a value throws. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const value = values[expression];
    if (value === undefined) throw new Error(`no value for \${{ ${expression} }}`);
    return value;
  });
}

/** A step's `with:` or `env:` map as the runner passes it: every value a string, expressions replaced. */
export function stepMap(
  map: Record<string, unknown> | undefined,
  values: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {}).map(([key, value]) => [key, substitute(String(value), values)]),
  );
}

/** The values of `steps.<id>.outputs.*` for the expression table. */
export function outputValues(id: string, outputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, value]) => [`steps.${id}.outputs.${key}`, value]),
  );
}

/** A `run:` step: its env and script with expressions replaced, through `bash --noprofile --norc -eo pipefail`. */
export function runScript(
  step: Step,
  jobEnv: NodeJS.ProcessEnv,
  values: Record<string, string>,
  cwd: string,
) {
  const result = spawnSync(
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run!, values)],
    {
      cwd,
      env: { ...jobEnv, ...stepMap(step.env, values) },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One of our actions: its bundle run with the step's `with:` (action.yml fills the defaults). */
export function runOurStep(
  name: string,
  step: Step,
  job: JobContext,
  values: Record<string, string>,
): Promise<StepRun> {
  return runAction(ROOT, name, {
    inputs: stepMap(step.with, values),
    env: job.env,
    workDir: job.runnerTemp,
    print: () => undefined,
  });
}

export interface JobContext {
  env: NodeJS.ProcessEnv;
  runnerTemp: string;
  /** The github.* and runner.* values an example may read. */
  values: Record<string, string>;
}

/**
 * The environment a runner gives a job's steps for one event: the payload written where GITHUB_EVENT_PATH
 * points, the GITHUB_* variables of that event, a job token, RUNNER_TEMP.
 */
export function jobContext(options: {
  event: string;
  ref: string;
  sha: string;
  payload: object;
  repository: string;
  workspace: string;
  apiUrl?: string;
}): JobContext {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'example-runner-'));
  const eventPath = join(runnerTemp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const token = `ghs_example${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: options.ref,
    GITHUB_REF_NAME: options.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_SHA: options.sha,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0],
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'https://api.github.com',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_WORKFLOW: 'example',
    GITHUB_JOB: 'example',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_TOKEN: token, // what action.yml's `${{ github.token }}` defaults become (pipeline/run-action.ts)
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
  };
  const values = {
    'github.event_name': options.event,
    'github.ref': options.ref,
    'github.sha': options.sha,
    'github.repository': options.repository,
    'github.workspace': options.workspace,
    'github.token': token,
    'runner.temp': runnerTemp,
  };
  return { env, runnerTemp, values };
}
