/**
 * The runner's side of a step, checked against @actions/core, which the actions use to read inputs and write
 * outputs and summaries: what core writes, `stepFiles` reads back; what `inputVariables` sets, core reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { inputVariables, stepFiles } from '../runner-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-files-'));
  dirs.push(dir);
  return dir;
};

/** Runs `program` (ESM) as a step would, with `env`; @actions/core resolves from the project. */
function step(program: string, env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    env: { PATH: process.env.PATH, ...env },
    cwd: join(import.meta.dirname, '..', '..'),
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('stepFiles', () => {
  test('when a step writes outputs (one of several lines) and a summary with @actions/core, then read gives them back', () => {
    const files = stepFiles(newDir());
    step(
      `import * as core from '@actions/core';
       core.setOutput('digest', 'sha256:abc');
       core.setOutput('tags', 'app:1\\napp:latest');
       await core.summary.addHeading('Pushed').addRaw('two tags').write();`,
      files.env,
    );
    const { outputs, summary } = files.read();
    expect(outputs).toEqual({ digest: 'sha256:abc', tags: 'app:1\napp:latest' });
    expect(summary).toContain('<h1>Pushed</h1>');
    expect(summary).toContain('two tags');
  });

  test('when an event is given, then the step reads it at GITHUB_EVENT_PATH; without one, there is no such variable', () => {
    const withEvent = stepFiles(newDir(), { pull_request: { number: 7 } });
    expect(JSON.parse(readFileSync(withEvent.env.GITHUB_EVENT_PATH!, 'utf8'))).toEqual({
      pull_request: { number: 7 },
    });
    const printed = step(
      `import { context } from '@actions/github'; console.log(context.payload.pull_request.number);`,
      { ...withEvent.env, GITHUB_REPOSITORY: 'acme/shop' },
    );
    expect(printed.trim()).toBe('7');
    expect(Object.keys(stepFiles(newDir()).env).sort()).toEqual(['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']);
    expect(readFileSync(stepFiles(newDir(), 'not json').env.GITHUB_EVENT_PATH!, 'utf8')).toBe('not json');
  });
});

describe('inputVariables', () => {
  test("when inputs are given as a workflow's with: names them, then @actions/core's getInput reads each by that name", () => {
    const inputs = { image: 'app:1', 'health-path': '/health/ready', 'max error rate': '0.01' };
    const printed = step(
      `import * as core from '@actions/core';
       console.log(JSON.stringify(${JSON.stringify(Object.keys(inputs))}.map((n) => core.getInput(n))));`,
      inputVariables(inputs),
    );
    expect(JSON.parse(printed)).toEqual(Object.values(inputs));
    expect(Object.keys(inputVariables(inputs))).toEqual([
      'INPUT_IMAGE',
      'INPUT_HEALTH-PATH',
      'INPUT_MAX_ERROR_RATE',
    ]);
  });
});
