/** shellcheck over generated scripts, and whether the machine has it (and curl) at all. */
import { spawnSync } from 'node:child_process';

export const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!haveShellcheck && process.env.CI === 'true')
  throw new Error('shellcheck is required in CI (apt-get install shellcheck)');
export const haveCurl = spawnSync('curl', ['--version']).status === 0;
if (!haveCurl && process.env.CI === 'true') throw new Error('curl is required in CI');

export function shellcheck(
  script: string,
  shell: 'bash' | 'sh' = 'bash',
): { status: number | null; output: string } {
  const result = spawnSync('shellcheck', ['--shell', shell, '--severity', 'info', '-'], {
    input: script,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}
