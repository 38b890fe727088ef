/** The whole gate with its I/O injected: reports -> policy -> verdict, annotations, summary, SARIF. */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { AnnotationBudget, type Annotation } from '../../lib/annotations.js';
import { annotate } from './annotate.js';
import { changedLines, type ChangedLines, type DiffMode, type Git, type PullsApi } from './diff.js';
import type { Confidence } from './finding.js';
import { buildSummary } from './gate-summary.js';
import { InputError } from '../../lib/inputs.js';
import { parseIgnoreFile, type IgnoreEntry } from './ignore.js';
import { evaluate, type Threshold, type Verdict } from './policy.js';
import { expandPatterns, loadReports, type Format } from './reports.js';
import type { PathMapping } from './path-map.js';
import { mergedSarif } from './sarif-output.js';

export const DEFAULT_IGNORE_FILE = '.security-gate.yml';

export interface GateOptions {
  reports: string[];
  format: Format | 'auto';
  failOn: Threshold;
  reportOn: Threshold;
  ignoreUnfixed: boolean;
  minConfidence: Confidence;
  ignoreFile: string;
  baseline: string[];
  diffFilter: DiffMode;
  ifNoFiles: 'error' | 'warn' | 'ignore';
  /** Report path prefixes mapped onto the workspace (the path-map input). */
  pathMap?: PathMapping[];
  /** Working directory the patterns are relative to (GITHUB_WORKSPACE). */
  cwd: string;
  /** The pull request, when the event is one. */
  pullRequest?: { owner: string; repo: string; number: number; baseSha: string; headSha: string };
  blobBase?: string;
  /** Build the merged SARIF log (only when sarif-output asks for it). */
  sarif?: boolean;
  /** The sarif-output input, named in the summary as where every finding is. */
  sarifOutput?: string;
  version: string;
}

export interface GateDeps {
  now: () => Date;
  log: (line: string) => void;
  warn: (line: string) => void;
  emitAnnotation?: (annotation: Annotation) => void;
  git: Git;
  /** Builds the GitHub client lazily (only diff-filter needs it); undefined without a token. */
  pullsApi?: () => Promise<PullsApi>;
}

export interface GateResult {
  verdict: Verdict;
  summary: string;
  sarif?: Record<string, unknown>;
  files: string[];
  changed?: ChangedLines;
}

function resolvePatterns(
  input: string,
  patterns: string[],
  opts: GateOptions,
  deps: GateDeps,
): { path: string; display: string }[] {
  const files: { path: string; display: string }[] = [];
  const seen = new Set<string>();
  for (const { pattern, files: matched } of expandPatterns(patterns, opts.cwd)) {
    if (matched.length === 0) {
      const message = `'${pattern}' matched no files (in ${opts.cwd}).`;
      if (opts.ifNoFiles === 'error')
        throw new InputError(input, `${message} Set if-no-files to warn or ignore to allow this.`);
      if (opts.ifNoFiles === 'warn') deps.warn(`Input '${input}': ${message}`);
      continue;
    }
    for (const path of matched) {
      if (seen.has(path)) continue;
      seen.add(path);
      files.push({ path, display: relative(opts.cwd, path).replace(/\\/g, '/') || path });
    }
  }
  return files;
}

export function readIgnoreFile(opts: GateOptions): IgnoreEntry[] {
  const path = resolve(opts.cwd, opts.ignoreFile);
  if (!existsSync(path)) {
    if (opts.ignoreFile === DEFAULT_IGNORE_FILE) return [];
    throw new InputError('ignore-file', `${opts.ignoreFile} does not exist.`);
  }
  return parseIgnoreFile(readFileSync(path, 'utf8'), opts.ignoreFile);
}

export async function runGate(opts: GateOptions, gateDeps: GateDeps): Promise<GateResult> {
  // Warnings are annotations too: counted, so the budget below leaves them their slots.
  let warned = 0;
  const deps: GateDeps = {
    ...gateDeps,
    warn: (line) => {
      warned++;
      gateDeps.warn(line);
    },
  };
  const ignores = readIgnoreFile(opts);
  const files = resolvePatterns('reports', opts.reports, opts, deps);
  if (files.length === 0 && opts.reports.length === 0) {
    throw new InputError('reports', 'give at least one report file or glob.');
  }
  const loaded = loadReports(files, opts.format, opts.cwd, opts.pathMap);
  for (const f of loaded.files) deps.log(`${f.file}: ${f.format}, ${f.findings} findings`);

  let baseline: Set<string> | undefined;
  if (opts.baseline.length) {
    const baseFiles = resolvePatterns('baseline', opts.baseline, opts, deps);
    baseline = new Set(
      loadReports(baseFiles, opts.format, opts.cwd, opts.pathMap).findings.map((f) => f.fingerprint),
    );
    deps.log(`baseline: ${baseline.size} findings in ${baseFiles.length} files`);
  }

  let changed: ChangedLines | undefined;
  let diffMode = opts.diffFilter;
  if (diffMode !== 'none') {
    if (!opts.pullRequest) {
      deps.log(`diff-filter ${diffMode}: this run is not for a pull request, so every finding is in scope.`);
      diffMode = 'none';
    } else {
      const api = deps.pullsApi ? await deps.pullsApi() : undefined;
      changed = await changedLines(opts.pullRequest, api, deps.git, deps.log);
      deps.log(`diff-filter ${diffMode}: ${changed.files.size} changed files (from ${changed.source}).`);
    }
  }

  const verdict = evaluate(
    loaded.findings,
    {
      failOn: opts.failOn,
      reportOn: opts.reportOn,
      ignoreUnfixed: opts.ignoreUnfixed,
      minConfidence: opts.minConfidence,
      ignores,
      ...(baseline ? { baseline } : {}),
      diffMode,
      ...(changed ? { changed } : {}),
      now: deps.now(),
    },
    loaded.suppressed,
  );

  for (const { entry, matched } of verdict.expiredEntries) {
    deps.warn(
      `${opts.ignoreFile}: ignore[${entry.index}] (id ${entry.id}) expired on ${entry.expires} and no longer suppresses ` +
        `(${matched} findings match it). Renew it with a new reason and date, or fix the finding.`,
    );
  }

  const budget = new AnnotationBudget(deps.emitAnnotation);
  budget.reserve('warning', warned);
  // main.ts ends a failed gate with an error line: GitHub keeps the first 10 errors of a step, so that
  // verdict must not be the 11th.
  if (!verdict.passed) budget.reserve('error');
  const { outsideWorkspace } = annotate(verdict.reported, budget);
  const dropped = Object.values(budget.droppedCounts).reduce((a, b) => a + b, 0);
  const summary = buildSummary(verdict, {
    failOn: opts.failOn,
    reportOn: opts.reportOn,
    annotationsDropped: dropped,
    outsideWorkspace,
    ...(opts.blobBase ? { blobBase: opts.blobBase } : {}),
    ...(opts.sarifOutput ? { sarifOutput: opts.sarifOutput } : {}),
  });
  return {
    verdict,
    summary,
    ...(opts.sarif ? { sarif: mergedSarif(verdict.reported, opts.version, loaded.tools) } : {}),
    files: files.map((f) => f.display),
    ...(changed ? { changed } : {}),
  };
}
