/**
 * The ignore file (`.security-gate.yml`):
 *
 *   ignore:
 *     - id: CVE-2024-1234          # rule or vulnerability id (or an alias: CVE, GHSA, CWE, test name)
 *       package: openssl           # optional: only this package
 *       path: "legacy/**"          # optional: only findings whose file matches this glob
 *       reason: Not reachable, see #123
 *       expires: 2026-12-31        # the last day the entry suppresses (UTC)
 */
import { minimatch } from 'minimatch';
import { parse, YAMLParseError } from 'yaml';
import type { Finding } from './finding.js';

export interface IgnoreEntry {
  index: number;
  id: string;
  package?: string;
  path?: string;
  reason: string;
  expires: string;
  /** The end of the `expires` day, UTC, in milliseconds. */
  expiresAt: number;
}

const FIELDS = ['id', 'package', 'path', 'reason', 'expires'];

function dateString(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return value.trim();
  return undefined;
}

export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos
        ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}`
        : '';
    throw new Error(`${file}: not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${file}: expected a mapping with an 'ignore' list at the top level.`);
  }
  const top = doc as Record<string, unknown>;
  const extra = Object.keys(top).filter((k) => k !== 'ignore');
  if (extra.length) {
    throw new Error(`${file}: unknown top-level key '${extra[0]}'; the only key is 'ignore' (a list).`);
  }
  if (top.ignore === null || top.ignore === undefined) return [];
  if (!Array.isArray(top.ignore)) {
    throw new Error(`${file}: 'ignore' must be a list of entries, got ${typeof top.ignore}.`);
  }
  return top.ignore.map((item: unknown, index) => {
    const label = (extraLabel = '') => `${file}: ignore[${index}]${extraLabel}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${label()}: expected a mapping with id, reason and expires.`);
    }
    const e = item as Record<string, unknown>;
    const idLabel = typeof e.id === 'string' && e.id.trim() ? ` (id ${e.id.trim()})` : '';
    const fail = (field: string, what: string): never => {
      throw new Error(`${label(idLabel)}: field '${field}' ${what}`);
    };
    for (const key of Object.keys(e)) {
      if (!FIELDS.includes(key)) fail(key, `is not known; allowed fields are ${FIELDS.join(', ')}.`);
    }
    if (typeof e.id !== 'string' || !e.id.trim())
      fail('id', 'is required: the rule or vulnerability id to ignore.');
    for (const optional of ['package', 'path']) {
      if (e[optional] !== undefined && (typeof e[optional] !== 'string' || !(e[optional] as string).trim())) {
        fail(optional, 'must be a non-empty string when given.');
      }
    }
    if (typeof e.reason !== 'string' || !e.reason.trim()) {
      fail('reason', 'is required: say why the finding is accepted.');
    }
    const expires = dateString(e.expires);
    if (expires === undefined || expires === '') {
      fail('expires', 'is required: the last day the entry applies, as YYYY-MM-DD.');
    }
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires!);
    const expiresAt = match
      ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1) - 1
      : NaN;
    if (!match || new Date(expiresAt).toISOString().slice(0, 10) !== expires) {
      fail('expires', `must be a date as YYYY-MM-DD, got '${expires}'.`);
    }
    return {
      index,
      id: (e.id as string).trim(),
      ...(e.package ? { package: (e.package as string).trim() } : {}),
      ...(e.path ? { path: (e.path as string).trim() } : {}),
      reason: (e.reason as string).trim(),
      expires: expires!,
      expiresAt,
    };
  });
}

export function entryMatches(entry: IgnoreEntry, finding: Finding): boolean {
  if (entry.id !== finding.ruleId && !finding.aliases.includes(entry.id)) return false;
  if (entry.package !== undefined && finding.package?.name !== entry.package) return false;
  if (entry.path !== undefined) {
    const path = finding.file ?? finding.target;
    if (!path || !minimatch(path, entry.path, { dot: true })) return false;
  }
  return true;
}

export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return now.getTime() > entry.expiresAt;
}
