import { AppError } from '../../errors.js';
import type { AuthUser, AuthService } from '../auth/service.js';
import type { Permission, Role } from '../auth/permissions.js';
import type { UserRepository } from '../users/repository.js';
import type { Page } from '../../http/cursor.js';
import type { ConflictClearance } from '../conflicts/clearance.js';
import {
  type Case,
  type CaseChanges,
  type CaseQuery,
  type CaseRepository,
  type CaseStatus,
  type Member,
  type Wall,
} from './repository.js';

/** Roles a user may hold on a case, by rank; a member's case role may not exceed their own role. */
const CASE_ROLE_RANK: Partial<Record<Role, number>> = { attorney: 3, paralegal: 2, client: 1 };
const USER_RANK: Record<Role, number> = { admin: 3, attorney: 3, paralegal: 2, client: 1, auditor: 0 };

/**
 * A membership never grants more than the user's current role: a member demoted from attorney to
 * paralegal acts as a paralegal on their cases, and an auditor has no case access through membership.
 */
function capped(memberRole: Role | null, userRole: Role): Role | null {
  if (memberRole === null) return null;
  const limit = USER_RANK[userRole];
  if ((CASE_ROLE_RANK[memberRole] ?? 0) <= limit) return memberRole;
  return (['attorney', 'paralegal', 'client'] as const).find((r) => CASE_ROLE_RANK[r]! <= limit) ?? null;
}

/**
 * The one rule for the responsible-attorney path, shared by access() and the case list: being a case's
 * responsible attorney counts only while the user's current role is attorney (a demoted attorney is treated
 * like any other member).
 */
export function actsAsResponsible(role: Role): boolean {
  return role === 'attorney';
}

export interface CaseInput {
  title: string;
  description?: string | null | undefined;
  practiceArea?: string | null | undefined;
  clientName: string;
  clientId?: number | null | undefined;
  responsibleAttorneyId?: number | undefined;
}

export interface CasePatch {
  title?: string | undefined;
  description?: string | null | undefined;
  practiceArea?: string | null | undefined;
  status?: CaseStatus | undefined;
  clientName?: string | undefined;
  clientId?: number | null | undefined;
  responsibleAttorneyId?: number | undefined;
}

/**
 * The refusal of a change to a closed case: it is kept as it was closed until its responsible attorney or an
 * administrator reopens it.
 */
export function closedCase(c: Pick<Case, 'id' | 'number'>, what: string): AppError {
  const err = AppError.conflict(
    `Case ${c.number} is closed: ${what} is not allowed until its responsible attorney or an administrator reopens it (PATCH /cases/${c.id} with {"status": "open"}).`,
  );
  err.reason = 'case-closed';
  return err;
}

const changedMeanwhile = () =>
  new AppError(412, 'Precondition Failed', 'The case was changed by another request; read it again.');

export class CaseService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly users: UserRepository,
    private readonly auth: AuthService,
    private readonly clearance: ConflictClearance,
  ) {}

  /**
   * The case as `user` may see it, with the role that governs what they may do on it. Hidden cases (walled
   * off, or neither member, responsible attorney nor admin) are a 404 — their existence is not revealed.
   */
  async access(user: AuthUser, id: number, permission: Permission, lock?: 'share' | 'update'): Promise<Case> {
    const found = await this.cases.access(id, user.id, lock);
    if (!found) throw AppError.notFound(`No case with id '${id}'.`);
    if (found.walled)
      throw Object.assign(AppError.hidden(`No case with id '${id}'.`), { reason: 'ethical-wall' });
    let caseRole: Role | null = null;
    if (user.role === 'admin') caseRole = 'admin';
    else if (found.case.responsibleAttorneyId === user.id && actsAsResponsible(user.role))
      caseRole = 'attorney';
    else caseRole = capped(found.memberRole, user.role);
    if (caseRole === null)
      throw Object.assign(AppError.hidden(`No case with id '${id}'.`), { reason: 'not-a-member' });
    if (!(await this.auth.can(caseRole, permission))) {
      throw AppError.forbidden(
        `Your role on this case ('${caseRole}') does not have the '${permission}' permission.`,
      );
    }
    return found.case;
  }

  /**
   * access() for a change to what a case holds (documents, parties, members): a closed case is a 409 naming
   * `what`, and the case row stays share-locked until the request's transaction ends, so that a close or a
   * legal hold either waits for this change or is seen by it — never slips in between.
   */
  async accessForChange(user: AuthUser, id: number, permission: Permission, what: string): Promise<Case> {
    const found = await this.access(user, id, permission, 'share');
    if (found.status === 'closed') throw closedCase(found, what);
    return found;
  }

  async list(
    user: AuthUser,
    query: Omit<CaseQuery, 'userId' | 'seesAll' | 'membershipCounts' | 'responsibleCounts'>,
  ): Promise<Page<Case>> {
    const rows = await this.cases.list({
      ...query,
      userId: user.id,
      seesAll: user.role === 'admin',
      membershipCounts: USER_RANK[user.role] > 0,
      responsibleCounts: actsAsResponsible(user.role),
      limit: query.limit + 1,
    });
    return { data: rows.slice(0, query.limit), more: rows.length > query.limit };
  }

  private async checkAttorney(id: number, field: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user || !user.active || (user.role !== 'attorney' && user.role !== 'admin')) {
      throw AppError.badRequest(`User ${id} cannot be the responsible attorney.`, [
        { field, message: 'expected the id of an active user with the role attorney or admin' },
      ]);
    }
  }

  private async checkClient(id: number, field: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user || !user.active || user.role !== 'client') {
      throw AppError.badRequest(`User ${id} cannot be the client.`, [
        { field, message: 'expected the id of an active user with the role client' },
      ]);
    }
  }

  /**
   * Opens a case. With a conflict check (required when REQUIRE_CONFLICT_CHECK is on) the check is reserved
   * first and then attached to the new case, or released when the case cannot be opened.
   */
  async create(
    user: AuthUser,
    input: CaseInput,
    conflictCheckId?: number,
  ): Promise<{ case: Case; conflictCheckId: number | undefined }> {
    const check =
      this.clearance.required || conflictCheckId !== undefined
        ? await this.clearance.reserveFor(user, conflictCheckId, input.clientName)
        : undefined;
    let created: Case;
    try {
      created = await this.open(user, input);
    } catch (err) {
      // A refusal commits the request's transaction: the check must be free again. Any other error rolls the
      // transaction back, reservation included.
      if (check !== undefined && err instanceof AppError) await this.clearance.release(check);
      throw err;
    }
    if (check !== undefined) await this.clearance.attach(check, created.id);
    return { case: created, conflictCheckId: check };
  }

  private async open(user: AuthUser, input: CaseInput): Promise<Case> {
    const responsibleAttorneyId = input.responsibleAttorneyId ?? user.id;
    await this.checkAttorney(
      responsibleAttorneyId,
      input.responsibleAttorneyId === undefined ? 'body' : 'body.responsibleAttorneyId',
    );
    if (input.clientId !== undefined && input.clientId !== null)
      await this.checkClient(input.clientId, 'body.clientId');
    return this.cases.create({
      title: input.title,
      description: input.description ?? null,
      practiceArea: input.practiceArea ?? null,
      clientName: input.clientName,
      clientId: input.clientId ?? null,
      responsibleAttorneyId,
      createdBy: user.id,
    });
  }

  /**
   * Changes a case the caller read at `expectedVersion` (the route checked If-Match against that read): a
   * write between that read and this one is a 412.
   */
  async update(user: AuthUser, id: number, expectedVersion: number, patch: CasePatch): Promise<Case> {
    const current = await this.access(user, id, 'case:write');
    if (current.version !== expectedVersion) throw changedMeanwhile();
    const responsible = current.responsibleAttorneyId === user.id && actsAsResponsible(user.role);
    if (current.status === 'closed') {
      const fields = Object.entries(patch).filter(([, v]) => v !== undefined);
      const reopening = fields.length === 1 && patch.status !== undefined && patch.status !== 'closed';
      if (!reopening) throw closedCase(current, 'changing it (other than reopening it)');
      if (user.role !== 'admin' && !responsible) {
        throw new AppError(
          403,
          'Forbidden',
          `Only an administrator or the case's responsible attorney may reopen case ${current.number}.`,
          [{ field: 'body.status', message: 'expected an administrator or the responsible attorney' }],
        );
      }
    }
    for (const field of ['responsibleAttorneyId', 'clientId'] as const) {
      if (patch[field] !== undefined && user.role !== 'admin' && !responsible) {
        throw new AppError(
          403,
          'Forbidden',
          `Only an administrator or the case's responsible attorney may change '${field}'.`,
          [{ field: `body.${field}`, message: 'expected an administrator or the responsible attorney' }],
        );
      }
    }
    if (patch.responsibleAttorneyId !== undefined)
      await this.checkAttorney(patch.responsibleAttorneyId, 'body.responsibleAttorneyId');
    if (patch.clientId !== undefined && patch.clientId !== null) {
      await this.checkClient(patch.clientId, 'body.clientId');
      if (await this.cases.isWalled(id, patch.clientId)) {
        throw new AppError(
          409,
          'Conflict',
          `User ${patch.clientId} is barred from this case by an ethical wall.`,
          [{ field: 'body.clientId', message: 'expected a client not walled off from this case' }],
        );
      }
    }
    const statusChanged = patch.status !== undefined && patch.status !== current.status;
    const changes: CaseChanges = { ...patch };
    if (statusChanged) changes.closedAt = patch.status === 'closed' ? new Date() : null;
    // A new client moves the `client` membership in the same transaction as the case row.
    const clientMove =
      patch.clientId !== undefined && patch.clientId !== current.clientId
        ? { from: current.clientId, to: patch.clientId, by: user.id }
        : undefined;
    const updated = await this.cases.update(id, current.version, changes, statusChanged, clientMove);
    if (!updated) throw changedMeanwhile();
    return updated;
  }

  async close(user: AuthUser, id: number, expectedVersion: number): Promise<Case> {
    const current = await this.access(user, id, 'case:write');
    if (current.status === 'closed') throw AppError.conflict(`Case ${current.number} is already closed.`);
    return this.update(user, id, expectedVersion, { status: 'closed' });
  }

  async members(user: AuthUser, id: number): Promise<Member[]> {
    await this.access(user, id, 'case:read');
    return this.cases.members(id);
  }

  async addMember(user: AuthUser, id: number, userId: number, role: Role | undefined): Promise<Member> {
    await this.accessForChange(user, id, 'member:manage', 'adding members');
    const member = await this.users.findById(userId);
    if (!member || !member.active) {
      throw AppError.badRequest(`No active user with id ${userId}.`, [
        { field: 'body.userId', message: 'expected the id of an active user' },
      ]);
    }
    const caseRole = role ?? (CASE_ROLE_RANK[member.role] === undefined ? undefined : member.role);
    if (
      caseRole === undefined ||
      CASE_ROLE_RANK[caseRole] === undefined ||
      CASE_ROLE_RANK[caseRole]! > USER_RANK[member.role]
    ) {
      throw AppError.badRequest(
        `A ${member.role} cannot hold the role '${caseRole ?? member.role}' on a case.`,
        [
          {
            field: 'body.role',
            message: `expected a case role no higher than the user's role '${member.role}' (attorney, paralegal or client)`,
          },
        ],
      );
    }
    if (await this.cases.isWalled(id, userId))
      throw AppError.conflict(`User ${userId} is barred from this case by an ethical wall.`);
    if (await this.cases.isMember(id, userId))
      throw AppError.conflict(`User ${userId} is already a member of this case.`);
    await this.cases.addMember(id, userId, caseRole, user.id);
    const added = (await this.cases.members(id)).find((m) => m.userId === userId);
    return added!;
  }

  async removeMember(user: AuthUser, id: number, userId: number): Promise<void> {
    await this.accessForChange(user, id, 'member:manage', 'removing members');
    if (!(await this.cases.removeMember(id, userId)))
      throw AppError.notFound(`User ${userId} is not a member of this case.`);
  }

  private async requireCase(id: number): Promise<void> {
    if (!(await this.cases.exists(id))) throw AppError.notFound(`No case with id '${id}'.`);
  }

  /** Wall endpoints: an administrator walled off from the case gets the same hidden 404 as for the case. */
  private async requireUnwalledCase(user: AuthUser, id: number): Promise<void> {
    await this.requireCase(id);
    if (await this.cases.isWalled(id, user.id))
      throw Object.assign(AppError.hidden(`No case with id '${id}'.`), { reason: 'ethical-wall' });
  }

  async walls(user: AuthUser, id: number): Promise<Wall[]> {
    await this.requireUnwalledCase(user, id);
    return this.cases.walls(id);
  }

  async addWall(user: AuthUser, id: number, userId: number, reason: string): Promise<Wall> {
    await this.requireUnwalledCase(user, id);
    if (userId === user.id)
      throw AppError.conflict('Administrators cannot wall themselves off; ask another administrator.');
    if (!(await this.users.findById(userId))) {
      throw AppError.badRequest(`No user with id ${userId}.`, [
        { field: 'body.userId', message: 'expected the id of an existing user' },
      ]);
    }
    if (await this.cases.isWalled(id, userId))
      throw AppError.conflict(`User ${userId} is already walled off from this case.`);
    await this.cases.addWall(id, userId, reason, user.id);
    return (await this.cases.walls(id)).find((w) => w.userId === userId)!;
  }

  async removeWall(user: AuthUser, id: number, userId: number): Promise<void> {
    await this.requireUnwalledCase(user, id);
    if (userId === user.id)
      throw AppError.conflict(
        'Administrators cannot remove a wall on themselves; ask another administrator.',
      );
    if (!(await this.cases.removeWall(id, userId)))
      throw AppError.notFound(`User ${userId} is not walled off from this case.`);
  }
}
