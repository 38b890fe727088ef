import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_VARIABLES } from '../src/config.js';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');

/** Variables named in the first cell of the rows of every table headed `| variable | ...`. */
function documentedVariables(markdown: string): Set<string> {
  const names = new Set<string>();
  let inVariableTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      inVariableTable = false;
      continue;
    }
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    if (/^\s*variable\s*$/.test(first)) inVariableTable = true;
    if (!inVariableTable) continue;
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]!);
  }
  return names;
}

describe("app/README.md's configuration tables", () => {
  test('when a variable is added to or removed from the configuration schema, then the README tables follow', () => {
    expect([...documentedVariables(readme)].sort()).toEqual([...ENV_VARIABLES].sort());
  });
});
