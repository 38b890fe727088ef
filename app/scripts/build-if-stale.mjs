// `npm start` runs this first: it compiles src/ to build/ with tsc only when a source file, a tsconfig or the
// lockfile (the compiler's version) changed since the last build, so later starts skip the compile.
// The fingerprint is every input's path, size and modification time; a changed, added or removed file rebuilds.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const app = path.resolve(import.meta.dirname, '..');
const build = path.join(app, 'build');
const stamp = path.join(build, '.sources');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

const inputs = [
  ...files(path.join(app, 'src')),
  path.join(app, 'tsconfig.build.json'),
  path.join(app, '..', 'tsconfig.json'),
  path.join(app, '..', 'package-lock.json'),
].filter((file) => existsSync(file));
const fingerprint = inputs
  .sort()
  .map((file) => {
    const { size, mtimeMs } = statSync(file);
    return `${path.relative(app, file)} ${size} ${mtimeMs}`;
  })
  .join('\n');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) {
  console.log('build/ is up to date with src/ (no compile)');
} else {
  const tsc = createRequire(path.join(app, 'package.json')).resolve('typescript/bin/tsc');
  const started = Date.now();
  rmSync(build, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', path.join(app, 'tsconfig.build.json')], { stdio: 'inherit' });
  writeFileSync(stamp, fingerprint);
  console.log(`compiled src/ to build/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
