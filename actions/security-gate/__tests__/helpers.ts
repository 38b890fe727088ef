import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Annotation } from '../../lib/annotations.js';
import type { GateDeps, GateOptions } from '../src/gate.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A temp workspace holding copies of the named fixtures (and any extra files). */
export function workspace(fixtures: string[], extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-'));
  for (const f of fixtures) cpSync(join(FIXTURES, f), join(dir, f));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

export function options(cwd: string, overrides: Partial<GateOptions> = {}): GateOptions {
  return {
    reports: [],
    format: 'auto',
    failOn: 'high',
    reportOn: 'low',
    ignoreUnfixed: false,
    minConfidence: 'low',
    ignoreFile: '.security-gate.yml',
    baseline: [],
    diffFilter: 'none',
    ifNoFiles: 'error',
    cwd,
    version: 'test',
    ...overrides,
  };
}

export function deps(overrides: Partial<GateDeps> = {}) {
  const logs: string[] = [];
  const warnings: string[] = [];
  const annotations: Annotation[] = [];
  const d: GateDeps = {
    now: () => new Date('2026-06-15T12:00:00Z'),
    log: (l) => logs.push(l),
    warn: (l) => warnings.push(l),
    emitAnnotation: (a) => annotations.push(a),
    git: () => Promise.reject(new Error('git is not used in this test')),
    ...overrides,
  };
  return { deps: d, logs, warnings, annotations };
}
