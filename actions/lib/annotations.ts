/**
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step; the rest are dropped
 * silently. The budget spends those slots deliberately and counts what it had to leave out.
 */
import { annotate, type AnnotationLevel, type AnnotationProperties } from './runner.js';

export const ANNOTATION_LIMIT_PER_LEVEL = 10;

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  properties?: AnnotationProperties;
}

export class AnnotationBudget {
  private used: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  private dropped: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };

  constructor(
    private readonly emit: (annotation: Annotation) => void = (a) =>
      annotate(a.level, a.message, a.properties),
    private readonly limit = ANNOTATION_LIMIT_PER_LEVEL,
  ) {}

  private reserved: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };

  /**
   * Keeps `count` slots of `level` for lines the step writes outside the budget (a warning already
   * printed, the final error of a failed step), so GitHub does not drop those instead.
   */
  reserve(level: AnnotationLevel, count = 1): void {
    this.reserved[level] += count;
  }

  /** Emits the annotation if its level has room left; returns whether it was emitted. */
  add(annotation: Annotation): boolean {
    if (this.used[annotation.level] + this.reserved[annotation.level] >= this.limit) {
      this.dropped[annotation.level]++;
      return false;
    }
    this.used[annotation.level]++;
    this.emit(annotation);
    return true;
  }

  /** Emits annotations in the given order (put the most important first). */
  addAll(annotations: Iterable<Annotation>): void {
    for (const annotation of annotations) this.add(annotation);
  }

  get droppedCounts(): Readonly<Record<AnnotationLevel, number>> {
    return this.dropped;
  }

  get emittedCounts(): Readonly<Record<AnnotationLevel, number>> {
    return this.used;
  }
}
