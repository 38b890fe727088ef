/**
 * npm run bench:sbom — time to produce the CycloneDX SBOM of this repository's package-lock.json:
 * sbom-upload's bundle (run as the runner runs it, upload and snapshot off, schema validation on)
 * against @cyclonedx/cyclonedx-npm on the same lockfile (--package-lock-only), measured in the same
 * run; both outputs' component sets (distinct name@version) are compared. cyclonedx-npm is installed
 * into a cache folder under the temp dir on first use; when that is impossible the baseline falls
 * back to `npm ls --all --json --long --package-lock-only` (what cyclonedx-npm runs internally).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = process.cwd();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUNDLE = join(REPO, 'dist', 'sbom-upload', 'index.js');
const CACHE = join(tmpdir(), 'sbom-bench-cyclonedx-npm');
const CLI = join(CACHE, 'node_modules', '.bin', 'cyclonedx-npm');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Component {
  group?: string;
  name: string;
  version?: string;
  components?: Component[];
}

function ids(file: string): Set<string> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { components?: Component[] };
  const out = new Set<string>();
  const walk = (list: Component[] | undefined) =>
    list?.forEach((c) => {
      out.add(`${c.group ? `${c.group}/` : ''}${c.name}@${c.version ?? ''}`);
      walk(c.components);
    });
  walk(doc.components);
  return out;
}

if (!existsSync(BUNDLE)) execFileSync('npm', ['run', 'build', '--', 'sbom-upload'], { stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'sbom-bench-'));
const runnerFiles = () => {
  const dir = mkdtempSync(join(work, 'step-'));
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  return dir;
};

let oursFile = '';
const ours: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const dir = runnerFiles();
  ours.push(
    time(() => {
      const r = spawnSync(process.execPath, [BUNDLE], {
        env: {
          PATH: process.env.PATH,
          INPUT_PATH: REPO,
          'INPUT_UPLOAD-ARTIFACT': 'false',
          'INPUT_DEPENDENCY-SNAPSHOT': 'false',
          GITHUB_OUTPUT: join(dir, 'output'),
          GITHUB_STEP_SUMMARY: join(dir, 'summary'),
          RUNNER_TEMP: dir,
          GITHUB_JOB: 'bench',
        },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`sbom-upload failed: ${r.stdout}${r.stderr}`);
    }),
  );
  oursFile = join(dir, 'sbom-upload', 'sbom-bench-attempt1.cdx.json');
}

let baselineName = '@cyclonedx/cyclonedx-npm --package-lock-only --flatten-components';
let baselineFile: string | undefined;
if (!existsSync(CLI)) {
  mkdirSync(CACHE, { recursive: true });
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', CACHE, '@cyclonedx/cyclonedx-npm'],
    {
      stdio: 'ignore',
      timeout: 180_000,
    },
  );
  if (install.status !== 0)
    console.log('(could not install @cyclonedx/cyclonedx-npm; baseline falls back to npm ls)');
}
const baseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  if (existsSync(CLI)) {
    const out = join(work, `cyclonedx-npm-${i}.json`);
    baseline.push(
      time(() => {
        const r = spawnSync(
          CLI,
          [
            '--package-lock-only',
            '--flatten-components',
            '--spec-version',
            '1.6',
            '--output-format',
            'JSON',
            '--output-file',
            out,
            'package.json',
          ],
          { cwd: REPO, encoding: 'utf8' },
        );
        if (r.status !== 0) throw new Error(`cyclonedx-npm failed: ${r.stderr}`);
      }),
    );
    baselineFile = out;
  } else {
    baselineName = 'npm ls --all --json --long --package-lock-only';
    baseline.push(
      time(() => {
        execFileSync('npm', ['ls', '--all', '--json', '--long', '--package-lock-only'], {
          cwd: REPO,
          stdio: ['ignore', 'ignore', 'ignore'],
          maxBuffer: 256 * 1024 * 1024,
        });
      }),
    );
  }
}

const mine = ids(oursFile);
console.log(`lockfile: ${join(REPO, 'package-lock.json')} (${RUNS} runs each, median wall time)`);
console.log(
  `sbom-upload (dist bundle, validated CycloneDX 1.6): ${median(ours).toFixed(0)} ms, ${mine.size} components`,
);
let sameSet = '';
if (baselineFile) {
  const theirs = ids(baselineFile);
  const missing = [...theirs].filter((x) => !mine.has(x));
  const extra = [...mine].filter((x) => !theirs.has(x));
  sameSet =
    missing.length === 0 && extra.length === 0
      ? `, same component set (${theirs.size} distinct name@version)`
      : `, component sets differ: ${missing.length} only in baseline (${missing.slice(0, 3).join(', ')}), ${extra.length} only in ours (${extra.slice(0, 3).join(', ')})`;
}
console.log(`baseline ${baselineName}: ${median(baseline).toFixed(0)} ms${sameSet}`);
console.log(`ratio: ${(median(baseline) / median(ours)).toFixed(1)}x faster than the baseline`);
rmSync(work, { recursive: true, force: true });
