// Rebuilds dist/ and fails when the committed bundles differ from a fresh build.
import { execFileSync } from 'node:child_process';

execFileSync('node', ['scripts/build-actions.mjs'], { stdio: 'inherit' });
const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], {
  encoding: 'utf8',
});
if (changes.trim()) {
  console.error(
    `dist/ is stale: a rebuild changed these files:\n${changes}\nRun \`npm run build\` and commit dist/.`,
  );
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', 'dist'], { stdio: 'inherit' });
  process.exit(1);
}
console.log('dist/ is fresh');
