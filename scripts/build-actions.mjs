// Bundles every action (actions/<name>/action.yml + src/index.ts) into dist/<name>/ with ncc.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function actionNames(root = 'actions') {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'action.yml')))
    .map((d) => d.name)
    .sort();
}

const only = process.argv.slice(2);
for (const name of only.length ? only : actionNames()) {
  const out = join('dist', name);
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    'npx',
    [
      'ncc',
      'build',
      join('actions', name, 'src', 'index.ts'),
      '-o',
      out,
      '--source-map',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
  console.log(`built dist/${name}`);
}
