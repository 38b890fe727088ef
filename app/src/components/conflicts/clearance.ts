import { AppError } from '../../errors.js';
import type { AuthUser } from '../auth/service.js';
import { nameKey } from './matcher.js';
import type { ConflictRepository } from './repository.js';

/** Conflict checks as the gate to opening a case: a check is reserved, then attached to the case or released. */
export class ConflictClearance {
  constructor(
    private readonly checks: ConflictRepository,
    /** REQUIRE_CONFLICT_CHECK: every new case needs a cleared or waived check. */
    readonly required: boolean,
  ) {}

  /**
   * For POST /cases (required when REQUIRE_CONFLICT_CHECK is on): the check must exist, be visible to the caller,
   * be cleared or waived, cover the client name and not have opened another case. It is reserved for the
   * new case until `attach` or `release`.
   */
  async reserveFor(user: AuthUser, id: number | undefined, clientName: string): Promise<number> {
    const field = 'body.conflictCheckId';
    if (id === undefined) {
      throw AppError.badRequest('A cleared or waived conflict check is required to open a case.', [
        {
          field,
          message: 'expected the id of a cleared or waived conflict check (REQUIRE_CONFLICT_CHECK is on)',
        },
      ]);
    }
    const found = await this.checks.find(id);
    if (!found || (found.requestedBy !== user.id && user.role !== 'admin')) {
      throw AppError.badRequest(`No conflict check with id '${id}' that you may use.`, [
        { field, message: 'expected the id of a conflict check you ran (or any, for an administrator)' },
      ]);
    }
    if (found.status === 'pending') {
      throw AppError.conflict(
        `Conflict check ${id} has no decision yet: POST /conflicts/${id}/decision with cleared or waived first.`,
      );
    }
    const client = nameKey(clientName);
    if (!found.names.some((n) => nameKey(n) === client)) {
      throw AppError.badRequest(`Conflict check ${id} did not check the client name '${clientName}'.`, [
        { field, message: 'expected a check whose names include the client name' },
      ]);
    }
    if (!(await this.checks.claim(id)))
      throw AppError.conflict(`Conflict check ${id} was already used to open another case.`);
    return id;
  }

  async attach(id: number, caseId: number): Promise<void> {
    await this.checks.attach(id, caseId);
  }

  async release(id: number): Promise<void> {
    await this.checks.release(id);
  }
}
