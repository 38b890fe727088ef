/**
 * Cold start of the action bundles against a bare `node -e 0`, measured in the same run, rotating
 * which goes first, over many rounds: the median wall-clock ratio and the peak RSS of each side.
 * sha-tag runs twice per round: a tag push (no date rendered) and a schedule run that renders
 * `{{date}}` (which loads moment). Goal for both: at most 1.5x a bare node start and at most 60 MiB peak RSS.
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
// A schedule event's payload is the cron string and the workflow file (not a webhook: no example).
writeFileSync(
  join(dir, 'schedule.json'),
  JSON.stringify({ schedule: '30 5 * * 1', workflow: '.github/workflows/nightly.yml' }),
);
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

const scheduleEnv = {
  ...env,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_EVENT_NAME: 'schedule',
  GITHUB_EVENT_PATH: join(dir, 'schedule.json'),
};

const sides = {
  'node -e 0': { args: ['-e', '0'], env },
  'sha-tag, tag push': { args: [bundle], env },
  'sha-tag, schedule {{date}}': { args: [bundle], env: scheduleEnv },
} as const;
type Side = keyof typeof sides;
const SIDES = Object.keys(sides) as Side[];
const ACTIONS = SIDES.slice(1);

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
  const child = spawnSync(process.execPath, sides[side].args, {
    env: sides[side].env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`${side} exited ${child.status}: ${child.stderr}`);
  const cpuAfter = childrenCpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined) cpu[side] = (cpu[side] ?? 0) + cpuAfter - cpuBefore;
  return ms;
}

function peakRssKiB(side: Side): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...sides[side].args], {
    env: sides[side].env,
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
  for (let i = 0; i < 3; i++) SIDES.forEach(once); // warm the page cache
  for (const side of SIDES) delete cpu[side];
  const times = Object.fromEntries(SIDES.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
  const ratios = Object.fromEntries(ACTIONS.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % SIDES.length;
    const order = [...SIDES.slice(first), ...SIDES.slice(0, first)];
    const t = Object.fromEntries(order.map((side) => [side, once(side)])) as Record<Side, number>;
    for (const side of SIDES) times[side].push(t[side]);
    for (const side of ACTIONS) ratios[side].push(t[side] / t['node -e 0']);
  }
  const rss = Object.fromEntries(
    SIDES.map((side) => {
      const samples = Array.from({ length: RSS_ROUNDS }, () => peakRssKiB(side)).filter(
        (x) => x !== undefined,
      );
      return [side, samples.length ? Math.max(...samples) : undefined];
    }),
  ) as Record<Side, number | undefined>;

  const mib = (kib?: number) =>
    kib === undefined ? 'n/a (no /usr/bin/time)' : `${(kib / 1024).toFixed(1)} MiB`;
  const width = Math.max(...SIDES.map((side) => side.length));
  console.log(`sha-tag cold start, ${ROUNDS} rotating rounds, node ${process.version}`);
  for (const side of SIDES) {
    console.log(
      `  ${side.padEnd(width)}  median ${median(times[side]).toFixed(1)} ms   peak RSS ${mib(rss[side])}`,
    );
  }
  let met = true;
  for (const side of ACTIONS) {
    const ratio = median(ratios[side]);
    const rssMiB = rss[side] === undefined ? undefined : rss[side] / 1024;
    met &&= ratio <= GOAL_RATIO && (rssMiB === undefined || rssMiB <= GOAL_RSS_MIB);
    let line = `  ${side}: ratio (median of per-round ratios) ${ratio.toFixed(2)}x   goal <= ${GOAL_RATIO}x`;
    if (cpu['node -e 0'] !== undefined && cpu[side] !== undefined) {
      const [base, action] = [cpu['node -e 0'] / ROUNDS, cpu[side] / ROUNDS];
      line += `; CPU time per run (user+sys, less sensitive to other load) ${action.toFixed(1)} ms vs ${base.toFixed(1)} ms, ${(action / base).toFixed(2)}x`;
    }
    console.log(line);
  }
  console.log(`  goal (<= ${GOAL_RATIO}x and <= ${GOAL_RSS_MIB} MiB): ${met ? 'met' : 'MISSED'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
