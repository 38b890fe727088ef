/**
 * bench:gate — the gate on a 100,000-finding Trivy report against a bare JSON.parse of the same file.
 * The report is built at run time from the real Trivy fixtures (in a temp dir, deleted afterwards). Each
 * measurement runs in its own Node process so peak memory (max RSS) is its own; runs alternate and the
 * median is reported. Goal: gate time <= 2x parse time, gate peak memory <= 4x the file size.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getInputs } from '../actions/security-gate/src/inputs.js';

const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Real Trivy reports (recorded for the gate's tests) the bench report's findings are drawn from. */
const TRIVY_FIXTURES = join(import.meta.dirname, '../actions/security-gate/__tests__/fixtures/trivy');
const SOURCES = ['image-debian13-todo-api.json', 'fs-vulns-misconfig-secrets.json'];

interface Measure {
  ms: number;
  /** Peak RSS minus the RSS before the file was read, in bytes. */
  peakBytes: number;
  findings: number;
}

async function child(mode: string, file: string): Promise<void> {
  // Loaded before the clock starts: in production the code is one pre-built bundle, not transpiled on load.
  const { runGate } = await import('../actions/security-gate/src/gate.js');
  const before = process.memoryUsage().rss;
  const start = performance.now();
  let findings = 0;
  if (mode === 'parse') {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { Results: { Vulnerabilities?: unknown[] }[] };
    findings = doc.Results.reduce((n, r) => n + (r.Vulnerabilities?.length ?? 0), 0);
  } else {
    // The action's own inputs with their defaults, as a step with only `reports:` set gets them.
    const { policy } = getInputs({ INPUT_REPORTS: file });
    const result = await runGate(
      { ...policy, cwd: tmpdir(), version: 'bench' },
      {
        now: () => new Date(),
        log: () => {},
        warn: () => {},
        emitAnnotation: () => {},
        git: () => Promise.reject(new Error('unused')),
      },
    );
    findings = Object.values(result.verdict.counts).reduce(
      (n, per) => n + Object.values(per).reduce((a, b) => a + b, 0),
      0,
    );
  }
  const ms = performance.now() - start;
  const peakBytes = process.resourceUsage().maxRSS * 1024 - before;
  process.stdout.write(JSON.stringify({ ms, peakBytes, findings } satisfies Measure));
}

function build(file: string): number {
  type Vuln = Record<string, unknown>;
  const pool: Vuln[] = [];
  for (const name of SOURCES) {
    const doc = JSON.parse(readFileSync(join(TRIVY_FIXTURES, name), 'utf8')) as {
      Results: { Vulnerabilities?: Vuln[] }[];
    };
    for (const r of doc.Results) pool.push(...(r.Vulnerabilities ?? []));
  }
  const fd = openSync(file, 'w');
  const perResult = 1000;
  writeSync(
    fd,
    '{"SchemaVersion":2,"ArtifactName":"bench/image","ArtifactType":"container_image","Results":[',
  );
  for (let r = 0; r * perResult < FINDINGS; r++) {
    const vulns: Vuln[] = [];
    for (let i = r * perResult; i < Math.min(FINDINGS, (r + 1) * perResult); i++) {
      const v = pool[i % pool.length]!;
      vulns.push({ ...v, PkgName: `${String(v.PkgName)}-${Math.floor(i / pool.length)}` });
    }
    const result = {
      Target: `bench/image layer ${r}`,
      Class: 'os-pkgs',
      Type: 'debian',
      Vulnerabilities: vulns,
    };
    writeSync(fd, (r ? ',' : '') + JSON.stringify(result, null, 2));
  }
  writeSync(fd, ']}\n');
  closeSync(fd);
  return statSync(file).size;
}

function measure(mode: string, file: string): Measure {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode, file],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`${mode} run failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measure;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gate-'));
  try {
    const file = join(dir, 'trivy-100k.json');
    const size = build(file);
    const parse: Measure[] = [];
    const gate: Measure[] = [];
    for (let i = 0; i < RUNS; i++) {
      parse.push(measure('parse', file));
      gate.push(measure('gate', file));
    }
    if (gate[0]!.findings !== FINDINGS || parse[0]!.findings !== FINDINGS) {
      throw new Error(
        `expected ${FINDINGS} findings, parse saw ${parse[0]!.findings}, gate ${gate[0]!.findings}`,
      );
    }
    const p = { ms: median(parse.map((m) => m.ms)), peak: median(parse.map((m) => m.peakBytes)) };
    const g = { ms: median(gate.map((m) => m.ms)), peak: median(gate.map((m) => m.peakBytes)) };
    console.log(`report: ${FINDINGS} findings, ${mb(size)} (built from ${SOURCES.join(', ')})`);
    console.log(`bare JSON.parse: ${p.ms.toFixed(0)} ms, peak +${mb(p.peak)}`);
    console.log(`security-gate:   ${g.ms.toFixed(0)} ms, peak +${mb(g.peak)}`);
    console.log(
      `time ratio gate/parse: ${(g.ms / p.ms).toFixed(2)}x (goal <= 2x); ` +
        `gate peak memory / file size: ${(g.peak / size).toFixed(2)}x (goal <= 4x); ` +
        `bare parse peak / file size: ${(p.peak / size).toFixed(2)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!);
else await main();
