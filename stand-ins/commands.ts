/** Running this machine's tools (buildah, podman, skopeo, trivy ...) from the stand-ins, the rehearsal and the tests. */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command; never throws for a non-zero exit (the caller decides), only when it cannot start. */
export async function exec(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 10 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: number | string };
    if (typeof e.code !== 'number' && e.stdout === undefined) throw err;
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** The same command, failing with its output when it exits non-zero. */
export async function check(file: string, args: string[], options?: Parameters<typeof exec>[2]) {
  const result = await exec(file, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')} exited ${result.code}\n--- stdout (tail)\n${result.stdout.slice(-4000)}\n--- stderr (tail)\n${result.stderr.slice(-4000)}`,
    );
  }
  return result.stdout;
}

/** Whether a tool is installed: an absolute path exists, or a name is on PATH. */
export function haveTool(path: string): boolean {
  if (path.startsWith('/')) return existsSync(path);
  try {
    execFileSync('sh', ['-c', `command -v ${path}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
