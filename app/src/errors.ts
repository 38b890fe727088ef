/** A field-level validation problem: `field` is a JSON-pointer-like path such as `body.title` or `query.limit`. */
export interface FieldError {
  field: string;
  message: string;
}

/** The one error type of the service; the central handler turns it into application/problem+json. */
export class AppError extends Error {
  /** Set when the audit outcome is not what the status implies (a 404 that hides a case is a denial). */
  outcome?: 'success' | 'denied' | 'failure';
  /** Recorded in the audit event's details (never sent to the client), e.g. 'locked' or 'reuse'. */
  reason?: string;
  /** The problem type's last segment when it is more precise than the status's, e.g. 'storage-full'. */
  problem?: string;

  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }

  static badRequest(detail: string, errors?: FieldError[]): AppError {
    return new AppError(400, 'Bad Request', detail, errors);
  }
  static unauthorized(detail = 'Authentication is required.'): AppError {
    return new AppError(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  static forbidden(detail = 'You do not have permission to do this.'): AppError {
    return new AppError(403, 'Forbidden', detail);
  }
  static notFound(detail = 'The resource does not exist.'): AppError {
    return new AppError(404, 'Not Found', detail);
  }
  /** 404 for a resource that exists but that the caller may not see: audited as a denial. */
  static hidden(detail: string): AppError {
    const err = new AppError(404, 'Not Found', detail);
    err.outcome = 'denied';
    return err;
  }
  static conflict(detail: string): AppError {
    return new AppError(409, 'Conflict', detail);
  }
}

const slugs: Record<number, string> = {
  400: 'validation-error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  416: 'range-not-satisfiable',
  428: 'precondition-required',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'service-unavailable',
};

export function problemType(status: number, problem?: string): string {
  return `https://legal-service.example/problems/${problem ?? slugs[status] ?? 'error'}`;
}
