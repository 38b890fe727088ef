/** Runs an external tool with an argument array (no shell) and captures its output. */
import { spawn } from 'node:child_process';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  /** Receives each output line as it arrives (for the step log). */
  onLine?: (line: string) => void;
}

export type Exec = (command: string, args: string[], options?: ExecOptions) => Promise<ExecResult>;

export const spawnExec: Exec = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    const err: string[] = [];
    const forward = (sink: string[]) => {
      let pending = '';
      return (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        sink.push(text);
        if (!options.onLine) return;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) options.onLine(line);
      };
    };
    child.stdout.on('data', forward(out));
    child.stderr.on('data', forward(err));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(new Error(`'${command}' was not found on PATH; install it or choose another pusher.`));
      else reject(error);
    });
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out.join(''), stderr: err.join('') });
    });
  });

/** Runs and fails with the tool's last error lines when it exits non-zero. */
export async function run(
  exec: Exec,
  command: string,
  args: string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const result = await exec(command, args, options);
  if (result.code !== 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`${command} ${args[0] ?? ''} exited with code ${result.code}: ${tail}`);
  }
  return result;
}
