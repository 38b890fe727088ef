/** Reads the inputs, wires the real I/O (files, git, GitHub API, runner protocol) and writes the outputs. */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { runMain } from '../../lib/run-main.js';
import { appendSummary, info, setFailed, setOutput, warning } from '../../lib/runner.js';
import type { PullsApi } from './diff.js';
import { runGate, type GateOptions } from './gate.js';
import { getInputs } from './inputs.js';

const VERSION = '1';
const run_ = promisify(execFile);

interface PullRequestEvent {
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } };
}

function readEvent(): PullRequestEvent {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PullRequestEvent;
  } catch {
    return {};
  }
}

export async function run(): Promise<void> {
  await runMain(async () => {
    const { token, sarifOutput, policy } = getInputs();
    const cwd = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
    const event = readEvent();
    const [owner = '', repo = ''] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
    const pr = event.pull_request;
    const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
    const sha = pr?.head?.sha || process.env.GITHUB_SHA;

    const options: GateOptions = {
      ...policy,
      cwd,
      ...(pr?.number && pr.base?.sha && pr.head?.sha && owner && repo
        ? { pullRequest: { owner, repo, number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha } }
        : {}),
      ...(owner && repo && sha ? { blobBase: `${server}/${owner}/${repo}/blob/${sha}/` } : {}),
      version: VERSION,
    };
    options.sarif = sarifOutput !== '';
    if (sarifOutput) options.sarifOutput = sarifOutput;

    const result = await runGate(options, {
      now: () => new Date(),
      log: info,
      warn: (line) => warning(line),
      git: async (args) => (await run_('git', args, { cwd, maxBuffer: 512 * 1024 * 1024 })).stdout,
      ...(token
        ? {
            pullsApi: async (): Promise<PullsApi> => {
              // Loaded only when diff-filter needs it, so a plain gate run does not pay for Octokit.
              const { getOctokit } = await import('@actions/github');
              return getOctokit(token) as unknown as PullsApi;
            },
          }
        : {}),
    });

    const { verdict } = result;
    const summaryPath = join(process.env.RUNNER_TEMP || tmpdir(), `security-gate-summary-${process.pid}.md`);
    writeFileSync(summaryPath, result.summary);
    appendSummary(result.summary);
    let sarifPath = '';
    if (sarifOutput && result.sarif) {
      sarifPath = resolve(cwd, sarifOutput);
      mkdirSync(dirname(sarifPath), { recursive: true });
      writeFileSync(sarifPath, JSON.stringify(result.sarif, null, 2));
    }

    setOutput('passed', String(verdict.passed));
    setOutput('failing-count', String(verdict.failingCount));
    setOutput('new-count', String(verdict.newCount));
    setOutput('ignored-count', String(verdict.ignored.length));
    setOutput(
      'expired-ignores',
      JSON.stringify(
        verdict.expiredEntries.map(({ entry, matched }) => ({
          id: entry.id,
          expires: entry.expires,
          matched,
        })),
      ),
    );
    setOutput('counts', JSON.stringify(verdict.counts));
    setOutput('sarif-path', sarifPath);
    setOutput('summary-path', summaryPath);

    info(
      `security-gate: ${verdict.passed ? 'passed' : 'failed'}; ${verdict.failingCount} failing, ` +
        `${verdict.reported.length} reported, ${verdict.ignored.length} ignored.`,
    );
    if (!verdict.passed) {
      setFailed(
        `security-gate: ${verdict.failingCount} finding${verdict.failingCount === 1 ? '' : 's'} at or above '${options.failOn}' ` +
          `(see the job summary${sarifPath ? ` and ${sarifOutput}` : ''}).`,
      );
    }
  });
}
