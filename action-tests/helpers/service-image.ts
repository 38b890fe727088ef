/**
 * Harness of the service-image test: the package set of a node_modules tree, the one `npm ls` reports, and
 * waiting for the service's /health. Running buildah and podman is stand-ins/podman.ts's.
 */
interface NpmLsNode {
  version?: string;
  dependencies?: Record<string, NpmLsNode>;
}

/** `name@version` of every package below `dependencies` of an `npm ls --json --all` tree. */
export function npmLsPackages(dependencies: Record<string, NpmLsNode> | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (deps: Record<string, NpmLsNode> | undefined) => {
    for (const [name, node] of Object.entries(deps ?? {})) {
      if (node.version !== undefined) found.add(`${name}@${node.version}`);
      walk(node.dependencies);
    }
  };
  walk(dependencies);
  return found;
}

/**
 * A program for `node -e` that prints (JSON) `name@version` of every package directory under the given
 * node_modules directories, nested node_modules included, symbolic links (workspace links) skipped. It reads
 * each package.json, so it needs nothing but node inside the image.
 */
export const LIST_PACKAGES_PROGRAM = `
const fs = require('fs'), path = require('path');
const found = new Set();
function walk(dir) {
  let names;
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of fs.readdirSync(path.join(dir, name))) visit(path.join(dir, name, sub));
    else visit(path.join(dir, name));
  }
}
function visit(dir) {
  if (fs.lstatSync(dir).isSymbolicLink()) return;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  found.add(pkg.name + '@' + pkg.version);
  walk(path.join(dir, 'node_modules'));
}
for (const dir of process.argv.slice(1)) walk(dir);
console.log(JSON.stringify([...found].sort()));
`;

/** Polls `url` until it answers 200 or `timeoutMs` passes; `alive` aborts early when the server died. */
export async function waitForHttp200(
  url: string,
  timeoutMs: number,
  alive: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (!(await alive())) throw new Error(`the container stopped before ${url} answered (${last})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${last})`);
}
