// Removes the packages `npm ls` calls extraneous, reading `npm ls --json --long` on stdin. Used by
// app/Dockerfile after `npm ci --workspace app --omit=dev`: in a workspace, npm installs the packages the
// lockfile marks as production dependencies of the whole project (the root's too) when the app reaches them
// only through a dev dependency (autocannon -> cli-table3 -> string-width); `npm prune --workspace` keeps
// them, and `npm ls` reports them extraneous. Paths outside the current directory are refused.
import { rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { text } from 'node:stream/consumers';

const tree = JSON.parse(await text(process.stdin));
const root = resolve('.') + sep;
const extraneous = [];
(function walk(dependencies) {
  for (const [name, node] of Object.entries(dependencies ?? {})) {
    if (node.extraneous) extraneous.push({ id: `${name}@${node.version}`, path: node.path });
    else walk(node.dependencies);
  }
})(tree.dependencies);

for (const { id, path } of extraneous) {
  if (typeof path !== 'string' || !resolve(path).startsWith(root)) {
    throw new Error(`prune-extraneous: ${id} has no path under ${root} (got ${String(path)})`);
  }
  rmSync(path, { recursive: true, force: true });
}
console.log(
  `prune-extraneous: removed ${extraneous.length} extraneous package(s)${extraneous.length ? `: ${extraneous.map((e) => e.id).join(', ')}` : ''}`,
);
