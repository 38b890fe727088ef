import { AppError } from '../../errors.js';
import type { AuthUser } from '../auth/service.js';
import type { CaseService } from '../cases/service.js';
import type { Case } from '../cases/repository.js';
import type { PartyKind, PartyRepository, PartyRole } from '../parties/repository.js';
import { findMatches, nameKey } from './matcher.js';
import type { ConflictRepository, Decision, StoredCheck, StoredHit } from './repository.js';

/** Most hits a check records; the best-scoring ones are kept. */
export const MAX_HITS = 200;
/** Most normalised party names kept in memory between checks. */
const KEY_CACHE_MAX = 500_000;

/**
 * A hit as one caller sees it: details only on cases they may read. Hits on other cases are folded into one
 * `restricted` entry per checked name, without score, count or rank: the caller learns that the name has a
 * possible conflict they may not see, not how close it is (a score of 1 would confirm an exact name).
 */
export type HitView =
  | {
      query: string;
      score: number;
      restricted: false;
      caseId: number;
      caseNumber: string;
      caseTitle: string;
      caseStatus: string;
      partyId: number | null;
      partyName: string;
      role: PartyRole;
      kind: PartyKind | null;
    }
  | { query: string; restricted: true };

export interface CheckView {
  id: number;
  requestedBy: number;
  names: string[];
  threshold: number;
  hitCount: number;
  restrictedHits: number;
  hits: HitView[];
  status: StoredCheck['status'];
  reason: string | null;
  decidedBy: number | null;
  decidedAt: string | null;
  caseId: number | null;
  createdAt: string;
}

export class ConflictService {
  constructor(
    private readonly checks: ConflictRepository,
    private readonly parties: PartyRepository,
    private readonly cases: CaseService,
    private readonly threshold: number,
  ) {}

  /** Normalised keys of party names, kept between checks (names repeat; normalising is the costly part). */
  private readonly keys = new Map<string, string>();

  private keyOf(name: string): string {
    let key = this.keys.get(name);
    if (key === undefined) {
      if (this.keys.size >= KEY_CACHE_MAX) this.keys.clear();
      key = nameKey(name);
      this.keys.set(name, key);
    }
    return key;
  }

  /** Cases of these hits the user may read (the case access rules: walls, membership, role). */
  private async readable(user: AuthUser, caseIds: Iterable<number>): Promise<Map<number, Case>> {
    const out = new Map<number, Case>();
    for (const id of new Set(caseIds)) {
      try {
        out.set(id, await this.cases.access(user, id, 'case:read'));
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 403)) throw err;
      }
    }
    return out;
  }

  private async view(user: AuthUser, check: StoredCheck): Promise<CheckView> {
    const visible = await this.readable(
      user,
      check.hits.map((h) => h.caseId),
    );
    const hits: HitView[] = [];
    const restricted = new Set<string>();
    for (const h of check.hits) {
      const c = visible.get(h.caseId);
      if (!c) {
        restricted.add(h.query);
        continue;
      }
      hits.push({
        query: h.query,
        score: h.score,
        restricted: false,
        caseId: h.caseId,
        caseNumber: c.number,
        caseTitle: c.title,
        caseStatus: c.status,
        partyId: h.partyId,
        partyName: h.partyName,
        role: h.role,
        kind: h.kind,
      });
    }
    // After the visible hits, in the order the names were checked: their place among the hits would rank them.
    const folded = [...new Set([...check.names, ...restricted])].filter((q) => restricted.has(q));
    hits.push(...folded.map((query): HitView => ({ query, restricted: true })));
    return {
      id: check.id,
      requestedBy: check.requestedBy,
      names: check.names,
      threshold: check.threshold,
      hitCount: hits.length,
      restrictedHits: folded.length,
      hits,
      status: check.status,
      reason: check.reason,
      decidedBy: check.decidedBy,
      decidedAt: check.decidedAt,
      caseId: check.caseId,
      createdAt: check.createdAt,
    };
  }

  /** Matches the names against every party of every case: the costly half of a check, before any transaction. */
  async findHits(names: string[]): Promise<StoredHit[]> {
    const candidates = (await this.parties.allNames()).map((p) => ({ key: this.keyOf(p.name), item: p }));
    // A client recorded both as the case's client name and as a client party is one hit (the party's).
    const seen = new Set<string>();
    const matches = findMatches(names, candidates, this.threshold)
      .sort(
        (a, b) => b.score - a.score || (a.item.partyId === null ? 1 : 0) - (b.item.partyId === null ? 1 : 0),
      )
      .filter((m) => {
        const id = JSON.stringify([m.query, m.item.caseId, m.item.role, nameKey(m.item.name)]);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    return matches.slice(0, MAX_HITS).map((m) => ({
      query: m.query,
      score: m.score,
      caseId: m.item.caseId,
      partyId: m.item.partyId,
      partyName: m.item.name,
      role: m.item.role,
      kind: m.item.kind,
    }));
  }

  /** Records a check with the hits `findHits` found and returns it as `user` may see it. */
  async record(user: AuthUser, names: string[], hits: StoredHit[]): Promise<CheckView> {
    const stored = await this.checks.create(user.id, names, hits, this.threshold);
    return this.view(user, stored);
  }

  /** The requester and administrators may read a check; to anyone else it does not exist. */
  private async visibleCheck(user: AuthUser, id: number): Promise<StoredCheck> {
    const found = await this.checks.find(id);
    if (!found) throw AppError.notFound(`No conflict check with id '${id}'.`);
    if (found.requestedBy !== user.id && user.role !== 'admin')
      throw AppError.hidden(`No conflict check with id '${id}'.`);
    return found;
  }

  async get(user: AuthUser, id: number): Promise<CheckView> {
    return this.view(user, await this.visibleCheck(user, id));
  }

  /** Records `cleared` or `waived` once. A caller who cannot see every hit may not decide. */
  async decide(user: AuthUser, id: number, decision: Decision, reason: string): Promise<CheckView> {
    const found = await this.visibleCheck(user, id);
    if (found.status !== 'pending')
      throw AppError.conflict(`Conflict check ${id} was already decided: ${found.status}.`);
    const current = await this.view(user, found);
    if (current.restrictedHits > 0) {
      throw AppError.forbidden(
        `${current.restrictedHits} hit(s) of this check are on cases you may not see; an administrator who can see them must decide.`,
      );
    }
    const decided = await this.checks.decide(id, decision, reason, user.id);
    if (!decided) throw AppError.conflict(`Conflict check ${id} was decided by another request.`);
    return this.view(user, decided);
  }
}
