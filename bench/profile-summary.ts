/**
 * `tsx bench/profile-summary.ts FILE.cpuprofile [TOP]`: where a V8 CPU profile's time went — the share of idle
 * time, then self time by package (node_modules/<name>), by file of the service (app/build/...), by Node's
 * internals, and the TOP functions. For profiles of `npm run bench:api` (BENCH_SERVICE_NODE_ARGS="--cpu-prof").
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [TOP]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const app = /\/app\/build\/(.+)$/.exec(url);
  if (app) return `app: ${app[1]}`;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url;
}

const sum = (key: (n: Node) => string) => {
  const out = new Map<string, number>();
  for (const [id, us] of self) {
    const k = key(byId.get(id)!);
    out.set(k, (out.get(k) ?? 0) + us);
  }
  return [...out.entries()].sort((a, b) => b[1] - a[1]);
};
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nSelf time by area:');
for (const [k, us] of sum(area).slice(0, 30)) console.log(`  ${pct(us)}  ${k}`);
console.log(`\nTop ${top} functions (self time):`);
for (const [k, us] of sum(
  (n) => `${n.callFrame.functionName || '(anonymous)'}  ${area(n)}:${n.callFrame.lineNumber + 1}`,
).slice(0, Number(top)))
  console.log(`  ${pct(us)}  ${k}`);
