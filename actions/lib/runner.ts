/**
 * The GitHub Actions runner protocol (workflow commands on stdout, GITHUB_* files), the subset the
 * actions use. It matches @actions/core byte for byte (see __tests__/runner.test.ts) but does not pull
 * in @actions/core's HTTP client, which alone costs more than a bare Node start.
 */
import { appendFileSync, closeSync, existsSync, openSync, readSync } from 'node:fs';
import { EOL } from 'node:os';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

type Env = NodeJS.ProcessEnv;

function toCommandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || value instanceof String) return String(value);
  return JSON.stringify(value);
}

function escapeData(value: unknown): string {
  return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatCommand(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: unknown,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function issue(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: unknown,
): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL);
}

function appendFileCommand(env: Env, name: string, message: string): void {
  const path = env[`GITHUB_${name}`];
  if (!path) throw new Error(`Unable to find environment variable for file command ${name}`);
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  appendFileSync(path, `${message}${EOL}`, { encoding: 'utf8' });
}

/**
 * A version 4 UUID for heredoc delimiters. Reads /dev/urandom where there is one: importing node:crypto
 * (or touching globalThis.crypto) costs a small action more start-up time than all of its own work.
 */
function randomUUID(): string {
  const bytes = Buffer.alloc(16);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes, 0, 16, null) !== 16) return globalThis.crypto.randomUUID();
    } finally {
      closeSync(fd);
    }
  } catch {
    return globalThis.crypto.randomUUID();
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function keyValueMessage(key: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const converted = toCommandValue(value);
  if (key.includes(delimiter) || converted.includes(delimiter)) {
    throw new Error(`Unexpected input: the value contains the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${EOL}${converted}${EOL}${delimiter}`;
}

/** Reads an input as the runner passes it: INPUT_<NAME upper-cased, spaces as underscores>, trimmed. */
export function getInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function setOutput(name: string, value: unknown, env: Env = process.env): void {
  if (env.GITHUB_OUTPUT) {
    appendFileCommand(env, 'OUTPUT', keyValueMessage(name, value));
    return;
  }
  process.stdout.write(EOL);
  issue('set-output', { name }, toCommandValue(value));
}

export function exportVariable(name: string, value: unknown, env: Env = process.env): void {
  process.env[name] = toCommandValue(value);
  if (env.GITHUB_ENV) {
    appendFileCommand(env, 'ENV', keyValueMessage(name, value));
    return;
  }
  issue('set-env', { name }, toCommandValue(value));
}

export function saveState(name: string, value: unknown, env: Env = process.env): void {
  if (env.GITHUB_STATE) {
    appendFileCommand(env, 'STATE', keyValueMessage(name, value));
    return;
  }
  issue('save-state', { name }, toCommandValue(value));
}

export function getState(name: string, env: Env = process.env): string {
  return env[`STATE_${name}`] ?? '';
}

/** Registers a value with the runner's log masker. Call before the value can reach any log line. */
export function setSecret(secret: string): void {
  if (secret) issue('add-mask', {}, secret);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issue('debug', {}, message);
}

export function annotate(level: AnnotationLevel, message: string, props: AnnotationProperties = {}): void {
  issue(
    level,
    {
      title: props.title,
      file: props.file,
      line: props.startLine,
      endLine: props.endLine,
      col: props.startColumn,
      endColumn: props.endColumn,
    },
    message,
  );
}

export const error = (message: string, props?: AnnotationProperties) => annotate('error', message, props);
export const warning = (message: string, props?: AnnotationProperties) => annotate('warning', message, props);
export const notice = (message: string, props?: AnnotationProperties) => annotate('notice', message, props);

export function startGroup(name: string): void {
  issue('group', {}, name);
}

export function endGroup(): void {
  issue('endgroup', {}, '');
}

/** Marks the step failed: an error annotation and a non-zero exit code, without exiting early. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Appends Markdown to the step's job summary (GITHUB_STEP_SUMMARY). Returns false when there is none. */
export function appendSummary(markdown: string, env: Env = process.env): boolean {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return false;
  appendFileSync(path, markdown, { encoding: 'utf8' });
  return true;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
