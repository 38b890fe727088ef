/**
 * Typed action inputs. Every reader names the input and what it expected when the value is wrong, so a
 * workflow author can fix the `with:` block from the error line alone.
 */
import { getInput } from './runner.js';

type Env = NodeJS.ProcessEnv;

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
    this.name = 'InputError';
  }
}

interface Options {
  required?: boolean;
  env?: Env;
}

function raw(name: string, { required = false, env = process.env }: Options): string {
  const value = getInput(name, env);
  if (required && value === '') throw new InputError(name, 'is required but was empty or not set.');
  return value;
}

export function getString(name: string, options: Options & { default?: string } = {}): string {
  const value = raw(name, options);
  return value === '' ? (options.default ?? '') : value;
}

/** A list separated by newlines (and commas unless `comma: false`); blank items and `#` comments dropped. */
export function getList(name: string, options: Options & { comma?: boolean } = {}): string[] {
  const separator = options.comma === false ? /\r?\n/ : /\r?\n|,/;
  return raw(name, options)
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function getBoolean(name: string, options: Options & { default?: boolean } = {}): boolean {
  const value = raw(name, options);
  if (value === '' && options.default !== undefined) return options.default;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, `expected true or false, got '${value}'.`);
}

export function getEnum<T extends string>(
  name: string,
  allowed: readonly T[],
  options: Options & { default?: T } = {},
): T {
  const value = raw(name, options);
  if (value === '' && options.default !== undefined) return options.default;
  const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${value}'.`);
  }
  return match;
}

export function getInteger(
  name: string,
  options: Options & { default?: number; min?: number; max?: number } = {},
): number {
  const value = raw(name, options);
  if (value === '' && options.default !== undefined) return options.default;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(name, `expected a whole number from ${min} to ${max}, got '${value}'.`);
  }
  return Number(value);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90`, `90s`, `5m`, `1h30m`, `250ms` into milliseconds (a bare number means seconds). */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit!]!, 0);
}

export function getDuration(
  name: string,
  options: Options & { default?: string; minMs?: number; maxMs?: number } = {},
): number {
  const value = raw(name, options) || options.default || '';
  const ms = parseDuration(value);
  const { minMs = 0, maxMs = Number.MAX_SAFE_INTEGER } = options;
  if (ms === undefined || ms < minMs || ms > maxMs) {
    throw new InputError(
      name,
      `expected a duration such as 30s, 5m or 1h30m (a bare number means seconds)` +
        `${minMs > 0 || maxMs < Number.MAX_SAFE_INTEGER ? ` between ${minMs / 1000}s and ${maxMs / 1000}s` : ''}, got '${value}'.`,
    );
  }
  return ms;
}
