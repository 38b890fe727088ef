/**
 * The `path-map` input: report paths from a scanner that saw the code somewhere else (in a container at
 * /src, on another machine) mapped onto the workspace, so findings attach to files, fingerprints match
 * the baseline's and ignore entries' `path` globs apply. One `FROM=TO` per line: a path equal to FROM or
 * under it gets TO instead of FROM; TO is relative to the workspace (`.` for its root).
 */
import { InputError } from '../../lib/inputs.js';

export interface PathMapping {
  from: string;
  to: string;
}

const EXAMPLE = 'e.g. /src=. maps /src/app/main.py to app/main.py';

const slashes = (path: string) => path.replace(/\\/g, '/');

export function parsePathMap(lines: string[]): PathMapping[] {
  return lines.map((line) => {
    const eq = line.indexOf('=');
    if (eq < 0) throw new InputError('path-map', `entry '${line}' is not FROM=TO; ${EXAMPLE}.`);
    const from = slashes(line.slice(0, eq).trim()).replace(/(.)\/+$/, '$1');
    const to = slashes(line.slice(eq + 1).trim())
      .replace(/^(\.\/)+|^\.$/, '')
      .replace(/\/+$/, '');
    if (from === '') throw new InputError('path-map', `entry '${line}' has an empty FROM; ${EXAMPLE}.`);
    if (isOutsideWorkspace(to)) {
      throw new InputError(
        'path-map',
        `entry '${line}' maps to '${to}', which is not inside the workspace; TO is a path relative to ` +
          `the workspace (. for its root), ${EXAMPLE}.`,
      );
    }
    return { from, to };
  });
}

/** The path with the first matching FROM replaced by its TO; unchanged when none matches. */
export function mapPath(path: string, mappings: PathMapping[]): string {
  for (const { from, to } of mappings) {
    const rest =
      path === from
        ? ''
        : path.startsWith(from.endsWith('/') ? from : `${from}/`)
          ? path.slice(from.length)
          : undefined;
    if (rest === undefined) continue;
    const tail = rest.replace(/^\/+/, '');
    return to && tail ? `${to}/${tail}` : to || tail;
  }
  return path;
}

/** Absolute (POSIX or Windows) or above the workspace: GitHub cannot attach an annotation to it. */
export function isOutsideWorkspace(path: string): boolean {
  return /^(\/|[A-Za-z]:\/|\.\.(\/|$))/.test(path);
}
