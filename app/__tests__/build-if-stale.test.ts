import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A miniature repository laid out like this one: <root>/tsconfig.json, package-lock.json, node_modules and
// <root>/app with its tsconfig.build.json, src/ and scripts/build-if-stale.mjs.
const repo = path.resolve(import.meta.dirname, '..', '..');
const root = mkdtempSync(path.join(tmpdir(), 'build-if-stale-'));
const app = path.join(root, 'app');
mkdirSync(path.join(app, 'src'), { recursive: true });
mkdirSync(path.join(app, 'scripts'));
cpSync(
  path.join(repo, 'app', 'scripts', 'build-if-stale.mjs'),
  path.join(app, 'scripts', 'build-if-stale.mjs'),
);
symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
writeFileSync(path.join(app, 'package.json'), '{"type":"module"}\n');
writeFileSync(path.join(root, 'package-lock.json'), '{}\n');
writeFileSync(
  path.join(root, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { module: 'NodeNext', target: 'ES2023', strict: true, types: [] } }),
);
writeFileSync(
  path.join(app, 'tsconfig.build.json'),
  JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: { outDir: 'build', rootDir: 'src' },
    include: ['src/**/*.ts'],
  }),
);
writeFileSync(path.join(app, 'src', 'a.ts'), 'export const a: number = 1;\n');
writeFileSync(path.join(app, 'src', 'b.ts'), 'export const b: string = "b";\n');

const run = () =>
  execFileSync(process.execPath, [path.join(app, 'scripts', 'build-if-stale.mjs')], { encoding: 'utf8' });

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('build-if-stale (npm start compiles only when the sources changed)', () => {
  test('when build/ does not exist, then src/ is compiled', () => {
    expect(run()).toMatch(/^compiled src\/ to build\/ in /m);
    expect(existsSync(path.join(app, 'build', 'a.js'))).toBe(true);
  });

  test('when nothing changed, then the next start does not compile', () => {
    expect(run()).toContain('build/ is up to date with src/ (no compile)');
  });

  test('when a source file changes, then it compiles again', () => {
    writeFileSync(path.join(app, 'src', 'a.ts'), 'export const a: number = 2;\n');
    expect(run()).toMatch(/^compiled/m);
    expect(readFileSync(path.join(app, 'build', 'a.js'), 'utf8')).toContain('export const a = 2;');
  });

  test('when a source file is removed, then its compiled file goes too', () => {
    unlinkSync(path.join(app, 'src', 'b.ts'));
    expect(run()).toMatch(/^compiled/m);
    expect(existsSync(path.join(app, 'build', 'b.js'))).toBe(false);
  });

  test('when the lockfile changes (another compiler version), then it compiles again', () => {
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    expect(run()).toMatch(/^compiled/m);
  });
});
