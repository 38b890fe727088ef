/** The runner's side of a step: its input variables, and the files it gives the step and reads back. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parses a GITHUB_OUTPUT (or GITHUB_STATE) file the way the runner does: `name<<DELIM` blocks and plain `name=value` lines. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`output ${key}: delimiter ${delimiter} never closed`);
      outputs[key!] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** The `INPUT_<NAME>` variables the runner sets for a step's `with:` (spaces become `_`, upper case). */
export function inputVariables(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
}

/**
 * The files the runner gives a step, in `dir`: empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY and, when there is one,
 * the event payload (an object, or text as it is) at GITHUB_EVENT_PATH. `read` gives back what the step wrote.
 */
export function stepFiles(dir: string, event?: unknown) {
  const env: Record<string, string> = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
  };
  writeFileSync(env.GITHUB_OUTPUT!, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
  if (event !== undefined) {
    env.GITHUB_EVENT_PATH = join(dir, 'event.json');
    writeFileSync(env.GITHUB_EVENT_PATH, typeof event === 'string' ? event : JSON.stringify(event));
  }
  return {
    env,
    read: () => ({
      outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    }),
  };
}
