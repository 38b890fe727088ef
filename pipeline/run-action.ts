/**
 * Runs one action bundle from dist/ the way a GitHub runner runs a node24 step: a fresh node process,
 * inputs as INPUT_<NAME> (action.yml's defaults for those not given, with the runner's values for `github.token`,
 * `github.sha` and `toJSON(matrix)`), empty GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files read back
 * afterwards, STATE_<name> for a post step, and the step's output shown as the runner shows it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { inputVariables, parseOutputFile } from '../stand-ins/runner-files.js';
import { RunnerLog } from './runner-log.js';

/** A step's limit when the caller gives none, as a job's `timeout-minutes` would set it. */
export const DEFAULT_STEP_TIMEOUT_MS = 20 * 60_000;
/** How long a step may take to exit after SIGTERM before it is killed. */
export const KILL_GRACE_MS = 5_000;

export interface StepRun {
  /** The exit code; null when the process ended on a signal (a timed-out step, say). */
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** What the runner would have shown, masks applied. */
  log: string[];
}

export interface RunOptions {
  inputs: Record<string, string>;
  /** The job's environment: GITHUB_* context, AWS endpoint variables and the like. */
  env: NodeJS.ProcessEnv;
  /** A directory for this step's runner files. */
  workDir: string;
  /** The state the main step saved, for the post step. */
  state?: Record<string, string>;
  /** Receives every shown line. */
  print: (line: string) => void;
  log?: RunnerLog;
  /** The step's limit (DEFAULT_STEP_TIMEOUT_MS): past it the step gets SIGTERM, then SIGKILL. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL (KILL_GRACE_MS). */
  killGraceMs?: number;
  /** Runs beside the step and may signal it, as a runner does when the workflow is cancelled. */
  whileRunning?: (signal: (signal: NodeJS.Signals) => void) => Promise<void>;
}

export async function runAction(repo: string, name: string, options: RunOptions): Promise<StepRun> {
  const bundle = resolve(repo, 'dist', name, 'index.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first.`);
  const files = mkdtempSync(join(options.workDir, `${name}-`));
  const output = join(files, 'output');
  const stateFile = join(files, 'state');
  const summaryFile = join(files, 'summary');
  for (const file of [output, stateFile, summaryFile]) writeFileSync(file, '');
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    RUNNER_TEMP: files,
    GITHUB_OUTPUT: output,
    GITHUB_STATE: stateFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  const inputs = {
    ...actionDefaults(repo, name, options.env.GITHUB_TOKEN ?? '', options.env.GITHUB_SHA ?? ''),
    ...options.inputs,
  };
  Object.assign(env, inputVariables(inputs));
  for (const [key, value] of Object.entries(options.state ?? {})) env[`STATE_${key}`] = value;

  const log = options.log ?? new RunnerLog();
  const shown: string[] = [];
  const child = spawn(process.execPath, [bundle], {
    env,
    cwd: options.env.GITHUB_WORKSPACE ?? repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const show = (line: string) => {
    const text = log.render(line);
    if (text === undefined) return;
    shown.push(text);
    options.print(text);
  };
  const streams = [child.stdout, child.stderr].map(
    (stream) =>
      new Promise<void>((done) => {
        createInterface({ input: stream }).on('line', show);
        // The stream's own close: it also comes when the stream is destroyed, unlike readline's.
        stream.on('close', done);
      }),
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  let timedOut = false;
  let kill: NodeJS.Timeout | undefined;
  const limit = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    kill = setTimeout(() => {
      child.kill('SIGKILL');
      // A process the step started may still hold its output open; stop reading so the step ends.
      child.stdout.destroy();
      child.stderr.destroy();
    }, options.killGraceMs ?? KILL_GRACE_MS);
  }, timeoutMs);
  const closed = new Promise<number | null>((done) => child.on('close', done));
  const beside = options.whileRunning?.((signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
  const code = await closed;
  await beside;
  clearTimeout(limit);
  clearTimeout(kill);
  await Promise.all(streams);
  if (timedOut) {
    const text = `##[error]The action '${name}' has timed out after ${timeoutMs % 1000 === 0 ? timeoutMs / 1000 : (timeoutMs / 1000).toFixed(1)} s.`;
    shown.push(text);
    options.print(text);
  }
  return {
    code,
    signal: child.signalCode,
    timedOut,
    outputs: parseOutputFile(readFileSync(output, 'utf8')),
    state: parseOutputFile(readFileSync(stateFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    log: shown,
  };
}

/** The defaults the runner fills in from action.yml for inputs a step does not set. */
export function actionDefaults(
  repo: string,
  name: string,
  githubToken: string,
  githubSha = '',
): Record<string, string> {
  const metadata = parse(readFileSync(join(repo, 'actions', name, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const defaults: Record<string, string> = {};
  for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
    if (spec.default === undefined) continue;
    defaults[input] = String(spec.default)
      .replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken)
      .replace(/\$\{\{\s*github\.sha\s*\}\}/g, githubSha)
      .replace(/\$\{\{\s*toJSON\(matrix\)\s*\}\}/g, 'null'); // a job without a matrix
  }
  return defaults;
}
