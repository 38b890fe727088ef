import { toInt, toIso, type Database } from '../../db/database.js';
import type { PartyKind, PartyRole } from '../parties/repository.js';

export type CheckStatus = 'pending' | 'cleared' | 'waived';
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

function toCheck(row: Record<string, unknown>): StoredCheck {
  const int = (v: unknown) => (v === null || v === undefined ? null : toInt(v));
  return {
    id: toInt(row.id),
    requestedBy: toInt(row.requested_by),
    names: JSON.parse(String(row.names)) as string[],
    hits: JSON.parse(String(row.hits)) as StoredHit[],
    threshold: Number(row.threshold),
    status: row.status as CheckStatus,
    reason: (row.reason as string | null) ?? null,
    decidedBy: int(row.decided_by),
    decidedAt: toIso(row.decided_at),
    caseId: int(row.case_id),
    claimedAt: toIso(row.claimed_at),
    createdAt: toIso(row.created_at) ?? '',
  };
}

export class ConflictRepository {
  constructor(private readonly db: Database) {}

  async create(
    requestedBy: number,
    names: string[],
    hits: StoredHit[],
    threshold: number,
  ): Promise<StoredCheck> {
    const row = await this.db.one(
      `INSERT INTO conflict_checks (requested_by, names, hit_count, hits, threshold, status, created_at)
       VALUES (:requestedBy, :names, :hitCount, :hits, :threshold, 'pending', :now) RETURNING *`,
      {
        requestedBy,
        names: JSON.stringify(names),
        hitCount: hits.length,
        hits: JSON.stringify(hits),
        threshold,
        now: new Date(),
      },
    );
    return toCheck(row!);
  }

  async find(id: number): Promise<StoredCheck | undefined> {
    const row = await this.db.one('SELECT * FROM conflict_checks WHERE id = :id', { id });
    return row && toCheck(row);
  }

  /** Records the decision once: undefined when the check was decided meanwhile. */
  async decide(
    id: number,
    decision: Decision,
    reason: string,
    decidedBy: number,
  ): Promise<StoredCheck | undefined> {
    const row = await this.db.one(
      `UPDATE conflict_checks SET status = :decision, reason = :reason, decided_by = :decidedBy, decided_at = :now
       WHERE id = :id AND status = 'pending' RETURNING *`,
      { id, decision, reason, decidedBy, now: new Date() },
    );
    return row && toCheck(row);
  }

  /** Reserves a decided check for one new case; false when another case already took it. */
  async claim(id: number): Promise<boolean> {
    const rows = await this.db.all(
      `UPDATE conflict_checks SET claimed_at = :now
       WHERE id = :id AND status <> 'pending' AND claimed_at IS NULL RETURNING id`,
      { id, now: new Date() },
    );
    return rows.length > 0;
  }

  async release(id: number): Promise<void> {
    await this.db.run('UPDATE conflict_checks SET claimed_at = NULL WHERE id = :id AND case_id IS NULL', {
      id,
    });
  }

  async attach(id: number, caseId: number): Promise<void> {
    await this.db.run('UPDATE conflict_checks SET case_id = :caseId WHERE id = :id', { id, caseId });
  }
}
