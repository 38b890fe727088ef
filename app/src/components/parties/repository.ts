import { toInt, toIso, type Database } from '../../db/database.js';

export const PARTY_ROLES = ['client', 'opposing_party', 'opposing_counsel', 'witness'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_KINDS = ['person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

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

const nullable = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toParty(row: Record<string, unknown>): Party {
  return {
    id: toInt(row.id),
    caseId: toInt(row.case_id),
    role: row.role as PartyRole,
    kind: row.kind as PartyKind,
    name: String(row.name),
    email: nullable(row.email),
    phone: nullable(row.phone),
    address: nullable(row.address),
    notes: nullable(row.notes),
    createdBy: toInt(row.created_by),
    createdAt: toIso(row.created_at) ?? '',
    updatedAt: toIso(row.updated_at) ?? '',
  };
}

const COLUMNS: Record<keyof PartyInput, string> = {
  role: 'role',
  kind: 'kind',
  name: 'name',
  email: 'email',
  phone: 'phone',
  address: 'address',
  notes: 'notes',
};

export class PartyRepository {
  constructor(private readonly db: Database) {}

  async list(caseId: number): Promise<Party[]> {
    const rows = await this.db.all('SELECT * FROM case_parties WHERE case_id = :caseId ORDER BY id', {
      caseId,
    });
    return rows.map(toParty);
  }

  async find(caseId: number, id: number): Promise<Party | undefined> {
    const row = await this.db.one('SELECT * FROM case_parties WHERE case_id = :caseId AND id = :id', {
      caseId,
      id,
    });
    return row && toParty(row);
  }

  async create(caseId: number, input: PartyInput, createdBy: number): Promise<Party> {
    const now = new Date();
    const row = await this.db.one(
      `INSERT INTO case_parties (case_id, role, kind, name, email, phone, address, notes, created_by, created_at, updated_at)
       VALUES (:caseId, :role, :kind, :name, :email, :phone, :address, :notes, :createdBy, :now, :now) RETURNING *`,
      {
        caseId,
        role: input.role,
        kind: input.kind,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        address: input.address ?? null,
        notes: input.notes ?? null,
        createdBy,
        now,
      },
    );
    return toParty(row!);
  }

  async update(caseId: number, id: number, patch: PartyPatch): Promise<Party | undefined> {
    const sets = ['updated_at = :now'];
    const params: Record<string, unknown> = { caseId, id, now: new Date() };
    for (const [key, column] of Object.entries(COLUMNS) as [keyof PartyInput, string][]) {
      if (patch[key] === undefined) continue;
      sets.push(`${column} = :${key}`);
      params[key] = patch[key];
    }
    const row = await this.db.one(
      `UPDATE case_parties SET ${sets.join(', ')} WHERE case_id = :caseId AND id = :id RETURNING *`,
      params,
    );
    return row && toParty(row);
  }

  async remove(caseId: number, id: number): Promise<boolean> {
    const rows = await this.db.all(
      'DELETE FROM case_parties WHERE case_id = :caseId AND id = :id RETURNING id',
      { caseId, id },
    );
    return rows.length > 0;
  }

  /** Every party of every case, plus each case's own client name: what a conflict check searches. */
  async allNames(): Promise<PartyName[]> {
    const parties = await this.db.all('SELECT id, case_id, name, role, kind FROM case_parties');
    const cases = await this.db.all('SELECT id, client_name FROM cases');
    return [
      ...parties.map((r) => ({
        partyId: toInt(r.id),
        caseId: toInt(r.case_id),
        name: String(r.name),
        role: r.role as PartyRole,
        kind: r.kind as PartyKind,
      })),
      ...cases.map((r) => ({
        partyId: null,
        caseId: toInt(r.id),
        name: String(r.client_name),
        role: 'client' as const,
        kind: null,
      })),
    ];
  }
}
