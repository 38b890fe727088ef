/**
 * Prometheus' promtool (Debian package prometheus) as the independent reference for the canary's parser and
 * statistics: `check metrics` parses the exposition format, `test rules` evaluates PromQL on given series.
 * Required when CI=true; elsewhere the tests that need it are skipped with a one-line reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const havePromtool = spawnSync('promtool', ['--version']).status === 0;
if (!havePromtool && process.env.CI === 'true')
  throw new Error('promtool is required in CI (apt-get install prometheus)');

export function skipReason(what: string): void {
  if (!havePromtool) console.log(`skipping ${what}: promtool (Debian prometheus) is not installed`);
}

export interface PromtoolResult {
  status: number | null;
  out: string;
}

/** `promtool check metrics` on exposition text: exit 1 is a parse error, 3 only lint findings. */
export function checkMetrics(text: string): PromtoolResult {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `promtool test rules` on a unit-test file given as YAML text (no rule files needed). */
export function testRules(yamlText: string): PromtoolResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'promtool-'));
  try {
    const file = path.join(dir, 'expr.test.yml');
    writeFileSync(file, yamlText);
    const r = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
