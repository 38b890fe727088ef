/**
 * Cold start of the action bundles against a bare `node -e 0`, measured in the same run, alternating
 * which goes first, over many rounds: the median wall-clock ratio and the peak RSS of each side.
 * Goal for sha-tag: at most 1.5x a bare node start and at most 60 MiB peak RSS.
 *
 *   npm run bench:actions            (BENCH_ROUNDS=100 by default)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const RSS_ROUNDS = 10;
const GOAL_RATIO = 1.5;
const GOAL_RSS_MIB = 60;
const bundle = resolve('dist/sha-tag/index.js');

if (!existsSync(bundle)) {
  console.log('dist/sha-tag/index.js is missing; building it');
  execFileSync('node', ['scripts/build-actions.mjs', 'sha-tag'], { stdio: 'inherit' });
}

const dir = mkdtempSync(join(tmpdir(), 'bench-actions-'));
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{
  name: string;
  examples: Array<Record<string, unknown>>;
}>;
const push = structuredClone(examples.find((e) => e.name === 'push')!.examples[0]!);
push.ref = 'refs/tags/v1.4.0';
writeFileSync(join(dir, 'event.json'), JSON.stringify(push));
writeFileSync(join(dir, 'output'), '');
writeFileSync(join(dir, 'summary'), '');

// One environment for both sides, built from scratch: no NODE_OPTIONS, NODE_EXTRA_CA_CERTS or other
// inherited variable that would slow one side down.
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_SHA: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
  GITHUB_REF: 'refs/tags/v1.4.0',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_EVENT_PATH: join(dir, 'event.json'),
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '1658821493',
  GITHUB_OUTPUT: join(dir, 'output'),
  GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  RUNNER_TEMP: dir,
  INPUT_IMAGES: 'ghcr.io/codertocat/hello-world\n123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello',
  INPUT_TAGS: [
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=ref,event=branch',
    'type=ref,event=pr',
    "type=schedule,pattern={{date 'YYYYMMDD'}}",
    'type=sha',
  ].join('\n'),
  INPUT_FLAVOR: 'latest=auto',
  'INPUT_SHA-LENGTH': '7',
  'INPUT_USE-PR-HEAD-SHA': 'true',
};

const sides = {
  'node -e 0': ['-e', '0'],
  'dist/sha-tag/index.js': [bundle],
} as const;
type Side = keyof typeof sides;

/** CPU time (user + system, ms) of all waited-for children so far: fields cutime and cstime of /proc/self/stat. */
function childrenCpuMs(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ is 100 on Linux
}

const cpu: Record<string, number> = {};

/** One cold run; stdout is a pipe, as on a runner. Returns wall-clock ms and adds the child's CPU time. */
function once(side: Side): number {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, sides[side], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`${side} exited ${child.status}: ${child.stderr}`);
  const cpuAfter = childrenCpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined) cpu[side] = (cpu[side] ?? 0) + cpuAfter - cpuBefore;
  return ms;
}

function peakRssKiB(side: Side): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...sides[side]], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const kib = Number(child.stderr.trim().split('\n').pop());
  return Number.isFinite(kib) ? kib : undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

try {
  for (let i = 0; i < 3; i++) (Object.keys(sides) as Side[]).forEach(once); // warm the page cache
  for (const side of Object.keys(sides)) delete cpu[side];
  const times: Record<Side, number[]> = { 'node -e 0': [], 'dist/sha-tag/index.js': [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] =
      round % 2 ? ['dist/sha-tag/index.js', 'node -e 0'] : ['node -e 0', 'dist/sha-tag/index.js'];
    const t = Object.fromEntries(order.map((side) => [side, once(side)])) as Record<Side, number>;
    times['node -e 0'].push(t['node -e 0']);
    times['dist/sha-tag/index.js'].push(t['dist/sha-tag/index.js']);
    ratios.push(t['dist/sha-tag/index.js'] / t['node -e 0']);
  }
  const rss: Record<Side, number | undefined> = {
    'node -e 0': undefined,
    'dist/sha-tag/index.js': undefined,
  };
  for (const side of Object.keys(sides) as Side[]) {
    const samples = Array.from({ length: RSS_ROUNDS }, () => peakRssKiB(side)).filter((x) => x !== undefined);
    rss[side] = samples.length ? Math.max(...samples) : undefined;
  }

  const mib = (kib?: number) =>
    kib === undefined ? 'n/a (no /usr/bin/time)' : `${(kib / 1024).toFixed(1)} MiB`;
  const ratio = median(ratios);
  console.log(`sha-tag cold start, ${ROUNDS} alternating rounds, node ${process.version}`);
  console.log(
    `  node -e 0              median ${median(times['node -e 0']).toFixed(1)} ms   peak RSS ${mib(rss['node -e 0'])}`,
  );
  console.log(
    `  dist/sha-tag/index.js  median ${median(times['dist/sha-tag/index.js']).toFixed(1)} ms   peak RSS ${mib(rss['dist/sha-tag/index.js'])}`,
  );
  console.log(`  ratio (median of per-round ratios): ${ratio.toFixed(2)}x   goal <= ${GOAL_RATIO}x`);
  if (cpu['node -e 0'] !== undefined && cpu['dist/sha-tag/index.js'] !== undefined) {
    const [base, action] = [cpu['node -e 0'] / ROUNDS, cpu['dist/sha-tag/index.js'] / ROUNDS];
    console.log(
      `  CPU time per run (user+sys, less sensitive to other load): node -e 0 ${base.toFixed(1)} ms, ` +
        `sha-tag ${action.toFixed(1)} ms, ratio ${(action / base).toFixed(2)}x`,
    );
  }
  const rssMiB = rss['dist/sha-tag/index.js'] === undefined ? undefined : rss['dist/sha-tag/index.js'] / 1024;
  const met = ratio <= GOAL_RATIO && (rssMiB === undefined || rssMiB <= GOAL_RSS_MIB);
  console.log(`  goal (<= ${GOAL_RATIO}x and <= ${GOAL_RSS_MIB} MiB): ${met ? 'met' : 'MISSED'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
