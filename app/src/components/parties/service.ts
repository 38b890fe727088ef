import { AppError } from '../../errors.js';
import type { AuthUser } from '../auth/service.js';
import type { CaseService } from '../cases/service.js';
import type { Party, PartyInput, PartyPatch, PartyRepository } from './repository.js';

/**
 * Parties of a case under the case's access rules: case:read to see them, case:write to change them (not while
 * the case is closed).
 */
export class PartyService {
  constructor(
    private readonly parties: PartyRepository,
    private readonly cases: CaseService,
  ) {}

  async list(user: AuthUser, caseId: number): Promise<Party[]> {
    await this.cases.access(user, caseId, 'case:read');
    return this.parties.list(caseId);
  }

  async get(user: AuthUser, caseId: number, id: number): Promise<Party> {
    await this.cases.access(user, caseId, 'case:read');
    const party = await this.parties.find(caseId, id);
    if (!party) throw AppError.notFound(`No party with id '${id}' on case ${caseId}.`);
    return party;
  }

  async create(user: AuthUser, caseId: number, input: PartyInput): Promise<Party> {
    await this.cases.accessForChange(user, caseId, 'case:write', 'adding parties');
    return this.parties.create(caseId, input, user.id);
  }

  async update(user: AuthUser, caseId: number, id: number, patch: PartyPatch): Promise<Party> {
    await this.cases.accessForChange(user, caseId, 'case:write', 'changing parties');
    const updated = await this.parties.update(caseId, id, patch);
    if (!updated) throw AppError.notFound(`No party with id '${id}' on case ${caseId}.`);
    return updated;
  }

  async remove(user: AuthUser, caseId: number, id: number): Promise<void> {
    await this.cases.accessForChange(user, caseId, 'case:write', 'removing parties');
    if (!(await this.parties.remove(caseId, id)))
      throw AppError.notFound(`No party with id '${id}' on case ${caseId}.`);
  }
}
