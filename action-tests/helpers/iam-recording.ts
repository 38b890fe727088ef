/**
 * The IAM requests the stand-ins record (stand-ins/iam.ts), kept per action-test: the ecr-push and ssm-rollout
 * action-tests keep them in committed fixtures under infra/test/fixtures/recorded-calls/, which
 * infra/test/least-privilege.test.ts evaluates against the synthesized role policies. `npm run infra:record`
 * rewrites the fixtures; without it the tests fail on any call a fixture lacks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IamRequest } from '../../stand-ins/iam.js';

export interface RecordedCall extends IamRequest {
  /** The action-test that made the call (for the reader; not part of the comparison). */
  test: string;
}

export const FIXTURE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'infra',
  'test',
  'fixtures',
  'recorded-calls',
);

const keyOf = (r: IamRequest) =>
  JSON.stringify([
    r.principal,
    r.action,
    r.resource,
    Object.entries(r.context).sort(([a], [b]) => a.localeCompare(b)),
  ]);

/** Calls of a test run, one per distinct request, in a stable order. */
export function distinct(calls: RecordedCall[]): RecordedCall[] {
  const seen = new Map<string, RecordedCall>();
  for (const call of calls) if (!seen.has(keyOf(call))) seen.set(keyOf(call), call);
  return [...seen.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

export function readFixture(name: string): RecordedCall[] {
  const path = join(FIXTURE_DIR, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RecordedCall[]) : [];
}

/**
 * With RECORD_IAM_CALLS=1 (npm run infra:record) writes the fixture; otherwise returns the calls the fixture
 * lacks, so the caller can fail and name them.
 */
export function recordOrCompare(name: string, calls: RecordedCall[]): RecordedCall[] {
  const made = distinct(calls);
  if (process.env.RECORD_IAM_CALLS === '1') {
    writeFileSync(join(FIXTURE_DIR, `${name}.json`), `${JSON.stringify(made, null, 2)}\n`);
    return [];
  }
  const known = new Set(readFixture(name).map(keyOf));
  return made.filter((call) => !known.has(keyOf(call)));
}
