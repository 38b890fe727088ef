/**
 * runner.ts makes its heredoc delimiters from /dev/urandom instead of node:crypto (importing node:crypto
 * costs a small action more start-up time than its own work): they must still be version 4 UUIDs, as
 * @actions/core's are, and never repeat.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setOutput } from '../runner.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-delimiter-'));
  writeFileSync(join(dir, 'output'), '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('when outputs are set, then each heredoc delimiter is a fresh version 4 UUID', () => {
  const env = { GITHUB_OUTPUT: join(dir, 'output') };
  for (let i = 0; i < 200; i++) setOutput(`o${i}`, 'value', env);
  const delimiters = [
    ...readFileSync(join(dir, 'output'), 'utf8').matchAll(/^o\d+<<ghadelimiter_(.*)$/gm),
  ].map((m) => m[1]);
  expect(delimiters).toHaveLength(200);
  for (const uuid of delimiters)
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(new Set(delimiters).size).toBe(200);
});
