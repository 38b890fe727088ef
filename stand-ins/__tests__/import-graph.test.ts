/**
 * The import graph: no source file outside the test folders imports from a test folder (`__tests__`, `helpers`,
 * `action-tests/`, `infra/test/`). The product code, the rehearsal (pipeline/), the benchmarks (bench/) and the
 * stand-ins run without the tests; what they share with the tests lives in stand-ins/. Imports are read with
 * TypeScript's own pre-processor: static imports, `export ... from`, dynamic `import()` and `require()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** Build output, dependencies and local run directories: not the project's sources. */
const NOT_SOURCES = new Set([
  'node_modules',
  'dist',
  'coverage',
  'cdk.out',
  '.git',
  '.pipeline-local',
  'tmp',
  '.bench',
]);
const TEST_FOLDERS = new Set(['__tests__', 'helpers']);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Whether a repository-relative path is in a test folder (or is a test file). */
function inTestFolder(path: string): boolean {
  const parts = path.split(sep);
  return (
    parts[0] === 'action-tests' ||
    (parts[0] === 'infra' && parts[1] === 'test') ||
    parts.some((part) => TEST_FOLDERS.has(part)) ||
    /\.test\.[cm]?[jt]s$/.test(path)
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return NOT_SOURCES.has(entry.name) || inTestFolder(relative(ROOT, path)) ? [] : sourceFiles(path);
    }
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The relative imports of a file that land in a test folder, as written. */
function testFolderImports(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.') && inTestFolder(relative(ROOT, resolve(dirname(file), name))));
}

describe('the import graph', () => {
  test('when a file imports from a test folder statically, by export-from or dynamically, then every import is found', () => {
    const file = join(ROOT, 'pipeline', 'example.ts');
    const text = [
      "import { a } from '../action-tests/helpers/a.js';",
      "export { b } from '../actions/lib/__tests__/b.js';",
      "const c = await import('../app/__tests__/helpers/c.js');",
      "const d = require('../infra/test/d.js');",
      "import { e } from '../stand-ins/e.js';",
      "import { f } from './f.js';",
      "import ts from 'typescript';",
    ].join('\n');
    expect(testFolderImports(file, text)).toEqual([
      '../action-tests/helpers/a.js',
      '../actions/lib/__tests__/b.js',
      '../app/__tests__/helpers/c.js',
      '../infra/test/d.js',
    ]);
  });

  test('when the repository is read, then it has sources in every top-level code folder and no test files among them', () => {
    const files = sourceFiles(ROOT).map((file) => relative(ROOT, file));
    for (const folder of ['actions', 'app', 'bench', 'pipeline', 'scripts', 'stand-ins', 'infra']) {
      expect(files.some((file) => file.startsWith(`${folder}${sep}`))).toBe(true);
    }
    expect(files.filter(inTestFolder)).toEqual([]);
  });

  test('when a source outside the test folders imports, then nothing it imports is in a test folder', () => {
    const offenders = sourceFiles(ROOT).flatMap((file) =>
      testFolderImports(file, readFileSync(file, 'utf8')).map((name) => `${relative(ROOT, file)} -> ${name}`),
    );
    expect(offenders).toEqual([]);
  });
});
