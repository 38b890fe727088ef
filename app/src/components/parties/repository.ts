import { toIso, type Database } from '../../db/database.js';
import type { CasePartyAttributes, PartyKind, PartyRole } from '../../db/models/parties.js';

export { PARTY_KINDS, PARTY_ROLES, type PartyKind, type PartyRole } from '../../db/models/parties.js';

/** A party of a case: a contact (person or organisation) in one role on that case. */
export interface Party {
  id: number;
  caseId: number;
  role: PartyRole;
  kind: PartyKind;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  notes: string | null;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface PartyInput {
  role: PartyRole;
  kind: PartyKind;
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  notes?: string | null | undefined;
}

export type PartyPatch = Partial<PartyInput>;

/** A name a conflict check compares against: a party, or the client name written on a case itself. */
export interface PartyName {
  partyId: number | null;
  caseId: number;
  name: string;
  role: PartyRole;
  kind: PartyKind | null;
}

function toParty(row: CasePartyAttributes): Party {
  return {
    id: row.id,
    caseId: row.caseId,
    role: row.role,
    kind: row.kind,
    name: row.name,
    email: row.email ?? null,
    phone: row.phone ?? null,
    address: row.address ?? null,
    notes: row.notes ?? null,
    createdBy: row.createdBy,
    createdAt: toIso(row.createdAt) ?? '',
    updatedAt: toIso(row.updatedAt) ?? '',
  };
}

export class PartyRepository {
  constructor(private readonly db: Database) {}

  private get parties() {
    return this.db.models.CaseParty;
  }

  async list(caseId: number): Promise<Party[]> {
    const rows = await this.parties.findAll({ where: { caseId }, order: [['id', 'ASC']], raw: true });
    return rows.map(toParty);
  }

  async find(caseId: number, id: number): Promise<Party | undefined> {
    const row = await this.parties.findOne({ where: { caseId, id }, raw: true });
    return row ? toParty(row) : undefined;
  }

  async create(caseId: number, input: PartyInput, createdBy: number): Promise<Party> {
    const party = await this.parties.create({
      caseId,
      role: input.role,
      kind: input.kind,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      address: input.address ?? null,
      notes: input.notes ?? null,
      createdBy,
    });
    return toParty(party.get({ plain: true }));
  }

  async update(caseId: number, id: number, patch: PartyPatch): Promise<Party | undefined> {
    return this.db.transaction(async () => {
      const party = await this.parties.findOne({ where: { caseId, id } });
      if (!party) return undefined;
      for (const [key, value] of Object.entries(patch))
        if (value !== undefined) party.set(key as never, value as never);
      party.changed('updatedAt', true);
      await party.save();
      return toParty(party.get({ plain: true }));
    });
  }

  async remove(caseId: number, id: number): Promise<boolean> {
    return (await this.parties.destroy({ where: { caseId, id } })) > 0;
  }

  /** Every party of every case, plus each case's own client name: what a conflict check searches. */
  async allNames(): Promise<PartyName[]> {
    const [parties, cases] = await Promise.all([
      this.parties.findAll({ attributes: ['id', 'caseId', 'name', 'role', 'kind'], raw: true }),
      this.db.models.Case.findAll({ attributes: ['id', 'clientName'], raw: true }),
    ]);
    return [
      ...parties.map((r) => ({ partyId: r.id, caseId: r.caseId, name: r.name, role: r.role, kind: r.kind })),
      ...cases.map((r) => ({
        partyId: null,
        caseId: r.id,
        name: r.clientName,
        role: 'client' as const,
        kind: null,
      })),
    ];
  }
}
