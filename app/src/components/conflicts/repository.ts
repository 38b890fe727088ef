import { Op } from 'sequelize';
import { toIso, type Database } from '../../db/database.js';
import type { CheckStatus, ConflictCheckAttributes } from '../../db/models/conflicts.js';
import type { PartyKind, PartyRole } from '../parties/repository.js';

export type { CheckStatus } from '../../db/models/conflicts.js';
export const DECISIONS = ['cleared', 'waived'] as const;
export type Decision = (typeof DECISIONS)[number];

/** A hit as recorded: everything, whoever asked (the API redacts it per viewer). */
export interface StoredHit {
  query: string;
  score: number;
  caseId: number;
  partyId: number | null;
  partyName: string;
  role: PartyRole;
  kind: PartyKind | null;
}

export interface StoredCheck {
  id: number;
  requestedBy: number;
  names: string[];
  hits: StoredHit[];
  threshold: number;
  status: CheckStatus;
  reason: string | null;
  decidedBy: number | null;
  decidedAt: string | null;
  caseId: number | null;
  claimedAt: string | null;
  createdAt: string;
}

function toCheck(row: ConflictCheckAttributes): StoredCheck {
  return {
    id: row.id,
    requestedBy: row.requestedBy,
    names: JSON.parse(row.names) as string[],
    hits: JSON.parse(row.hits) as StoredHit[],
    threshold: Number(row.threshold),
    status: row.status,
    reason: row.reason ?? null,
    decidedBy: row.decidedBy ?? null,
    decidedAt: toIso(row.decidedAt),
    caseId: row.caseId ?? null,
    claimedAt: toIso(row.claimedAt),
    createdAt: toIso(row.createdAt) ?? '',
  };
}

export class ConflictRepository {
  constructor(private readonly db: Database) {}

  private get checks() {
    return this.db.models.ConflictCheck;
  }

  async create(
    requestedBy: number,
    names: string[],
    hits: StoredHit[],
    threshold: number,
  ): Promise<StoredCheck> {
    const check = await this.checks.create({
      requestedBy,
      names: JSON.stringify(names),
      hitCount: hits.length,
      hits: JSON.stringify(hits),
      threshold,
      status: 'pending',
    });
    return toCheck(check.get({ plain: true }));
  }

  async find(id: number): Promise<StoredCheck | undefined> {
    const row = await this.checks.findByPk(id, { raw: true });
    return row ? toCheck(row) : undefined;
  }

  /** Records the decision once: undefined when the check was decided meanwhile. */
  async decide(
    id: number,
    decision: Decision,
    reason: string,
    decidedBy: number,
  ): Promise<StoredCheck | undefined> {
    return this.db.transaction(async () => {
      const [changed] = await this.checks.update(
        { status: decision, reason, decidedBy, decidedAt: new Date() },
        { where: { id, status: 'pending' } },
      );
      return changed === 0 ? undefined : this.find(id);
    });
  }

  /** Reserves a decided check for one new case; false when another case already took it. */
  async claim(id: number): Promise<boolean> {
    const [changed] = await this.checks.update(
      { claimedAt: new Date() },
      { where: { id, status: { [Op.ne]: 'pending' }, claimedAt: null } },
    );
    return changed > 0;
  }

  async release(id: number): Promise<void> {
    await this.checks.update({ claimedAt: null }, { where: { id, caseId: null } });
  }

  async attach(id: number, caseId: number): Promise<void> {
    await this.checks.update({ caseId }, { where: { id } });
  }
}
