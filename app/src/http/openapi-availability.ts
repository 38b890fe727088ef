/** The responses every audited operation can give when a dependency fails or a user sends too much (issue 20). */
import { problem } from './openapi-parts.js';

type Response = { description: string; [key: string]: unknown };
type Operation = { security?: unknown[]; responses: Record<string, Response> };

/** Paths that are not audited and touch no dependency a request could fail on (readiness documents its own 503). */
const UNAUDITED = new Set(['/health', '/health/ready', '/openapi.json', '/metrics']);

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
};

const READ_503 =
  'The database is unreachable (problem type database-unavailable), or the audit event of the request could not be stored (audit-unavailable): nothing was served';
const WRITE_503 =
  'The database is unreachable (database-unavailable), full (storage-full) or read-only (database-read-only), or the audit event could not be stored (audit-unavailable): nothing was written';

/**
 * Adds to every audited operation its 503 (the conditions of a failing database or audit trail, merged with a
 * 503 it already documents) and, to authenticated ones, the 429 of the per-user rate limit; both with Retry-After.
 */
export function addAvailabilityResponses(paths: Record<string, Record<string, Operation>>): void {
  for (const [path, operations] of Object.entries(paths)) {
    if (UNAUDITED.has(path)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const { responses } = operation;
      const authenticated = !(Array.isArray(operation.security) && operation.security.length === 0);
      if (authenticated && responses[429] === undefined)
        responses[429] = {
          ...problem('More than RATE_LIMIT_USER_PER_MINUTE requests of this user in a minute'),
          headers: retryAfter,
        };
      const conditions = method === 'get' ? READ_503 : WRITE_503;
      const existing = responses[503]?.description;
      responses[503] = {
        ...problem(existing === undefined ? conditions : `${existing}; or: ${conditions}`),
        headers: retryAfter,
      };
    }
  }
}
