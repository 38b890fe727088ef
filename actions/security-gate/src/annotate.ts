/**
 * Annotations: only findings with a file and a line (never a made-up line 1 for image packages), ranked by
 * failing, severity, then whether the line is one the pull request adds, so the per-step budget (10 per
 * level) goes to the worst.
 */
import type { Annotation, AnnotationBudget } from '../../lib/annotations.js';
import { atLeast } from './finding.js';
import { isOutsideWorkspace } from './path-map.js';
import type { Evaluated } from './policy.js';

export function toAnnotation(e: Evaluated): Annotation | undefined {
  const f = e.finding;
  if (!f.file || f.line === undefined) return undefined;
  const level = e.failing ? 'error' : atLeast(f.severity, 'medium') ? 'warning' : 'notice';
  const pkg = f.package ? ` in ${f.package.name} ${f.package.installed ?? ''}`.trimEnd() : '';
  const fix = f.package?.fixed ? ` (fixed in ${f.package.fixed})` : '';
  return {
    level,
    message: `${f.title}${pkg}${fix}${e.failing ? ' — blocks this merge' : ''}${f.url ? `\n${f.url}` : ''}`,
    properties: {
      title: `${f.severity.toUpperCase()} ${f.tool} ${f.ruleId}`,
      file: f.file,
      startLine: f.line,
      ...(f.endLine && f.endLine !== f.line ? { endLine: f.endLine } : {}),
      ...(f.column && (!f.endLine || f.endLine === f.line) ? { startColumn: f.column } : {}),
    },
  };
}

export interface Unannotated {
  /** Findings without a file and line (image and lockfile packages). */
  withoutLocation: number;
  /** Findings whose file is outside the workspace (an absolute path, or above it): nothing to attach to. */
  outsideWorkspace: { count: number; example?: string };
}

/** `reported` must be sorted worst first (see compareEvaluated). Returns what could not be annotated. */
export function annotate(reported: Evaluated[], budget: AnnotationBudget): Unannotated {
  let withoutLocation = 0;
  const outsideWorkspace: Unannotated['outsideWorkspace'] = { count: 0 };
  for (const e of reported) {
    const annotation = toAnnotation(e);
    if (!annotation) withoutLocation++;
    else if (isOutsideWorkspace(e.finding.file!)) {
      outsideWorkspace.count++;
      outsideWorkspace.example ??= e.finding.file;
    } else budget.add(annotation);
  }
  return { withoutLocation, outsideWorkspace };
}
