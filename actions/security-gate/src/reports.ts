/** Report files: globs -> files -> JSON -> detected format -> findings. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse as parseTolerantly, type ParseError } from 'jsonc-parser';
import { minimatch } from 'minimatch';
import { fingerprint, type Finding, type RawFinding } from './finding.js';
import { parseBandit } from './parsers/bandit.js';
import { parseNpmAuditV1, parseNpmAuditV2 } from './parsers/npm-audit.js';
import { parseSarif } from './parsers/sarif.js';
import { parseTrivy } from './parsers/trivy.js';
import { mapPath, type PathMapping } from './path-map.js';

export const FORMATS = ['trivy', 'bandit', 'sarif', 'npm-audit'] as const;
export type Format = (typeof FORMATS)[number];
export const FORMAT_DESCRIPTIONS =
  'Trivy JSON (trivy --format json), Bandit JSON (bandit -f json), SARIF 2.1.0, npm audit JSON (npm 7+ v2 or npm 6 v1)';

type Obj = Record<string, unknown>;

/** Windows tools (PowerShell's Out-File, Notepad) start UTF-8 files with a byte-order mark; JSON.parse refuses it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Where the text stops being JSON: V8's position when its message has one; it has none for "Unexpected
 * token", so then the text is scanned again with jsonc-parser, strictly (no comments, no trailing commas).
 */
function errorOffset(text: string, message: string): number {
  const match = /position (\d+)/.exec(message);
  if (match) return Number(match[1]);
  const errors: ParseError[] = [];
  parseTolerantly(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  return errors[0]?.offset ?? text.length;
}

/** JSON.parse with the file name, line, column and offset in the error; a leading byte-order mark is skipped. */
export function parseJson(text: string, file: string): unknown {
  const json = stripBom(text);
  try {
    return JSON.parse(json);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = errorOffset(json, message);
    const before = json.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    throw new Error(
      `${file}: malformed JSON at line ${line}, column ${column} (offset ${position}): ${message}`,
    );
  }
}

export function detectFormat(doc: unknown): Format | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const d = doc as Obj;
  if (Array.isArray(d.runs) && (d.version === '2.1.0' || /sarif/i.test(String(d.$schema ?? ''))))
    return 'sarif';
  if ('SchemaVersion' in d && ('Results' in d || 'ArtifactName' in d)) return 'trivy';
  if (Array.isArray(d.results) && ('generated_at' in d || 'metrics' in d)) return 'bandit';
  if (d.auditReportVersion === 2 && typeof d.vulnerabilities === 'object') return 'npm-audit';
  if (typeof d.advisories === 'object' && ('actions' in d || 'muted' in d)) return 'npm-audit';
  return undefined;
}

export interface ParsedReport {
  file: string;
  format: Format;
  findings: RawFinding[];
  suppressed: Record<string, number>;
  /** The tools whose results the report holds, also when it holds none (a clean scan). */
  tools: string[];
}

export function parseReportText(
  text: string,
  file: string,
  format: Format | 'auto' = 'auto',
  workspace?: string,
): ParsedReport {
  return parseDocument(parseJson(text, file), file, format, workspace);
}

export function parseDocument(
  doc: unknown,
  file: string,
  format: Format | 'auto' = 'auto',
  workspace?: string,
): ParsedReport {
  const detected = detectFormat(doc);
  if (format === 'auto' && !detected) {
    throw new Error(
      `${file}: not a report in a supported format. Supported: ${FORMAT_DESCRIPTIONS}. ` +
        `Set the 'format' input (${FORMATS.join(', ')}) only when auto-detection picks the wrong one.`,
    );
  }
  const chosen = format === 'auto' ? detected! : format;
  if (format !== 'auto' && detected !== format) {
    throw new Error(
      `${file}: 'format' is ${format} but the file does not look like ${format}` +
        (detected ? ` (it looks like ${detected})` : '') +
        `. Supported: ${FORMAT_DESCRIPTIONS}.`,
    );
  }
  const d = doc as Obj;
  switch (chosen) {
    case 'trivy':
      return {
        file,
        format: chosen,
        findings: parseTrivy(d, file, workspace),
        suppressed: {},
        tools: ['trivy'],
      };
    case 'bandit':
      return {
        file,
        format: chosen,
        findings: parseBandit(d, file, workspace),
        suppressed: {},
        tools: ['bandit'],
      };
    case 'npm-audit':
      return {
        file,
        format: chosen,
        findings: d.auditReportVersion === 2 ? parseNpmAuditV2(d, file) : parseNpmAuditV1(d, file),
        suppressed: {},
        tools: ['npm-audit'],
      };
    case 'sarif':
      return { file, format: chosen, ...parseSarif(d, file, workspace) };
  }
}

/** Reads and parses in one frame so the file's text can be collected before findings are built. */
function readJson(path: string, display: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${display}: cannot read the report (${(err as Error).message}).`);
  }
  return parseJson(text, display);
}

export function readReport(
  path: string,
  display: string,
  format: Format | 'auto',
  workspace?: string,
): ParsedReport {
  return parseDocument(readJson(path, display), display, format, workspace);
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path, out);
    } else if (entry.isFile()) out.push(path);
  }
}

/** Expands newline-separated paths and globs (relative to `cwd`); returns per pattern what it matched. */
export function expandPatterns(patterns: string[], cwd: string): { pattern: string; files: string[] }[] {
  let all: string[] | undefined;
  return patterns.map((pattern) => {
    if (!/[*?[\]{}]/.test(pattern)) {
      const path = resolve(cwd, pattern);
      let isFile = false;
      try {
        isFile = statSync(path).isFile();
      } catch {
        isFile = false;
      }
      return { pattern, files: isFile ? [path] : [] };
    }
    all ??= (() => {
      const files: string[] = [];
      walk(cwd, files);
      return files.map((f) => relative(cwd, f).replace(/\\/g, '/')).sort();
    })();
    const normalized = pattern.replace(/^\.\//, '');
    return {
      pattern,
      files: all.filter((f) => minimatch(f, normalized, { dot: true })).map((f) => resolve(cwd, f)),
    };
  });
}

export interface LoadedReports {
  findings: Finding[];
  suppressed: Record<string, number>;
  files: { file: string; format: Format; findings: number }[];
  /** Every tool of every report read, sorted. */
  tools: string[];
}

export function loadReports(
  files: { path: string; display: string }[],
  format: Format | 'auto',
  workspace?: string,
  pathMap: PathMapping[] = [],
): LoadedReports {
  const raw: RawFinding[] = [];
  const suppressed: Record<string, number> = {};
  const parsed: LoadedReports['files'] = [];
  const tools = new Set<string>();
  for (const { path, display } of files) {
    const report = readReport(path, display, format, workspace);
    for (const tool of report.tools) tools.add(tool);
    for (const f of report.findings) {
      if (pathMap.length) {
        if (f.file) f.file = mapPath(f.file, pathMap);
        if (f.target) f.target = mapPath(f.target, pathMap);
      }
      raw.push(f);
    }
    for (const [tool, n] of Object.entries(report.suppressed)) suppressed[tool] = (suppressed[tool] ?? 0) + n;
    parsed.push({ file: display, format: report.format, findings: report.findings.length });
  }
  return { findings: fingerprint(raw), suppressed, files: parsed, tools: [...tools].sort() };
}
