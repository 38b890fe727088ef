/** Runs a generated script as the SSM agent would (bash or sh -c), with a timeout, never throwing for its exit. */
import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runScript(
  shell: 'bash' | 'sh',
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(shell, ['-c', script], { env, cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}
