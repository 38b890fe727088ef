import { toIso, toInt, type Database } from '../../db/database.js';
import type { Role } from '../auth/permissions.js';

export type CaseStatus = 'open' | 'pending' | 'closed';
export const CASE_STATUSES = ['open', 'pending', 'closed'] as const;

export interface Case {
  id: number;
  number: string;
  title: string;
  description: string | null;
  practiceArea: string | null;
  status: CaseStatus;
  openedAt: string;
  statusChangedAt: string;
  closedAt: string | null;
  clientName: string;
  clientId: number | null;
  responsibleAttorneyId: number;
  createdBy: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A case as one caller sees it: whether a wall bars them and which role they hold on it. */
export interface CaseAccess {
  case: Case;
  walled: boolean;
  memberRole: Role | null;
}

export interface Member {
  userId: number;
  name: string;
  email: string;
  role: Role;
  addedBy: number;
  addedAt: string;
}

export interface Wall {
  userId: number;
  name: string;
  email: string;
  reason: string;
  createdBy: number;
  createdAt: string;
}

export const SORTS = ['updated_at', 'created_at', 'number', 'title'] as const;
export type SortField = (typeof SORTS)[number];
export const DATE_SORTS: readonly SortField[] = ['updated_at', 'created_at'];

export interface CaseQuery {
  userId: number;
  seesAll: boolean;
  /** False for roles that cannot act on a case at all (auditor): their memberships do not count. */
  membershipCounts: boolean;
  /** True only while the caller's role is attorney: the responsible-attorney column then grants access. */
  responsibleCounts: boolean;
  status?: CaseStatus[] | undefined;
  q?: string | undefined;
  updatedSince?: Date | undefined;
  sort: SortField;
  descending: boolean;
  after?: { value: unknown; id: number } | undefined;
  limit: number;
}

export function toCase(row: Record<string, unknown>): Case {
  return {
    id: toInt(row.id),
    number: String(row.number),
    title: String(row.title),
    description: (row.description as string | null) ?? null,
    practiceArea: (row.practice_area as string | null) ?? null,
    status: row.status as CaseStatus,
    openedAt: toIso(row.opened_at) ?? '',
    statusChangedAt: toIso(row.status_changed_at) ?? '',
    closedAt: toIso(row.closed_at),
    clientName: String(row.client_name),
    clientId: row.client_id === null || row.client_id === undefined ? null : toInt(row.client_id),
    responsibleAttorneyId: toInt(row.responsible_attorney_id),
    createdBy: toInt(row.created_by),
    version: toInt(row.version),
    createdAt: toIso(row.created_at) ?? '',
    updatedAt: toIso(row.updated_at) ?? '',
  };
}

/** The sort key of a row as a cursor holds it: ISO text for dates, the text itself otherwise. */
export function sortValue(c: Case, sort: SortField): string {
  switch (sort) {
    case 'updated_at':
      return c.updatedAt;
    case 'created_at':
      return c.createdAt;
    case 'number':
      return c.number;
    case 'title':
      return c.title;
  }
}

const escapeLike = (text: string) => text.replace(/[!%_]/g, (ch) => `!${ch}`);

export class CaseRepository {
  constructor(private readonly db: Database) {}

  /** Only cases the caller may see: never through a wall; otherwise admin, responsible attorney or member. */
  async list(query: CaseQuery): Promise<Case[]> {
    const where = ['NOT EXISTS (SELECT 1 FROM ethical_walls w WHERE w.case_id = c.id AND w.user_id = :uid)'];
    const params: Record<string, unknown> = { uid: query.userId, limit: query.limit };
    if (!query.seesAll) {
      const grants = [
        ...(query.responsibleCounts ? ['c.responsible_attorney_id = :uid'] : []),
        ...(query.membershipCounts
          ? ['EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = c.id AND m.user_id = :uid)']
          : []),
      ];
      where.push(grants.length > 0 ? `(${grants.join(' OR ')})` : '1 = 0');
    }
    if (query.status !== undefined && query.status.length > 0) {
      where.push(`c.status IN (${query.status.map((_, i) => `:status${i}`).join(', ')})`);
      query.status.forEach((s, i) => (params[`status${i}`] = s));
    }
    if (query.q !== undefined) {
      where.push(
        "(LOWER(c.number) LIKE :q ESCAPE '!' OR LOWER(c.title) LIKE :q ESCAPE '!' OR LOWER(c.client_name) LIKE :q ESCAPE '!')",
      );
      params.q = `%${escapeLike(query.q.toLowerCase())}%`;
    }
    if (query.updatedSince !== undefined) {
      where.push('c.updated_at >= :updatedSince');
      params.updatedSince = query.updatedSince;
    }
    const col = `c.${query.sort}`;
    const dir = query.descending ? 'DESC' : 'ASC';
    if (query.after !== undefined) {
      const op = query.descending ? '<' : '>';
      where.push(`(${col} ${op} :afterValue OR (${col} = :afterValue AND c.id ${op} :afterId))`);
      params.afterValue = DATE_SORTS.includes(query.sort)
        ? new Date(String(query.after.value))
        : query.after.value;
      params.afterId = query.after.id;
    }
    const rows = await this.db.all(
      `SELECT c.* FROM cases c WHERE ${where.join(' AND ')} ORDER BY ${col} ${dir}, c.id ${dir} LIMIT :limit`,
      params,
    );
    return rows.map(toCase);
  }

  async access(id: number, userId: number): Promise<CaseAccess | undefined> {
    const row = await this.db.one(
      `SELECT c.*,
         (SELECT m.role FROM case_members m WHERE m.case_id = c.id AND m.user_id = :uid) AS member_role,
         (SELECT COUNT(*) FROM ethical_walls w WHERE w.case_id = c.id AND w.user_id = :uid) AS walled
       FROM cases c WHERE c.id = :id`,
      { id, uid: userId },
    );
    if (!row) return undefined;
    return {
      case: toCase(row),
      walled: toInt(row.walled) > 0,
      memberRole: (row.member_role as Role | null) ?? null,
    };
  }

  async exists(id: number): Promise<boolean> {
    return (await this.db.one('SELECT id FROM cases WHERE id = :id', { id })) !== undefined;
  }

  /** Next number of the year, atomically: one upsert of the year's counter. */
  async nextNumber(year: number): Promise<string> {
    const row = await this.db.one<{ last: unknown }>(
      `INSERT INTO case_counters (year, last) VALUES (:year, 1)
       ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`,
      { year },
    );
    return `${year}-${String(toInt(row!.last)).padStart(5, '0')}`;
  }

  async create(input: {
    number: string;
    title: string;
    description: string | null;
    practiceArea: string | null;
    clientName: string;
    clientId: number | null;
    responsibleAttorneyId: number;
    createdBy: number;
  }): Promise<Case> {
    const now = new Date();
    const row = await this.db.one(
      `INSERT INTO cases (number, title, description, practice_area, status, opened_at, status_changed_at, closed_at,
         client_name, client_id, responsible_attorney_id, created_by, version, created_at, updated_at)
       VALUES (:number, :title, :description, :practiceArea, 'open', :now, :now, NULL,
         :clientName, :clientId, :responsibleAttorneyId, :createdBy, 1, :now, :now)
       RETURNING *`,
      { ...input, now },
    );
    return toCase(row!);
  }

  /** Optimistic update: applies only when the version still matches; undefined when it does not. */
  async update(
    id: number,
    version: number,
    changes: Record<string, unknown>,
    statusChanged: boolean,
    clientMove?: { from: number | null; to: number | null; by: number },
  ): Promise<Case | undefined> {
    const columns: Record<string, string> = {
      title: 'title',
      description: 'description',
      practiceArea: 'practice_area',
      status: 'status',
      clientName: 'client_name',
      clientId: 'client_id',
      responsibleAttorneyId: 'responsible_attorney_id',
      closedAt: 'closed_at',
    };
    const now = new Date();
    const sets = ['version = version + 1', 'updated_at = :now'];
    const params: Record<string, unknown> = { id, version, now };
    for (const [key, value] of Object.entries(changes)) {
      const column = columns[key];
      if (column === undefined || value === undefined) continue;
      sets.push(`${column} = :${key}`);
      params[key] = value;
    }
    if (statusChanged) sets.push('status_changed_at = :now');
    return this.db.transaction(async (tx) => {
      const row = await tx.one(
        `UPDATE cases SET ${sets.join(', ')} WHERE id = :id AND version = :version RETURNING *`,
        params,
      );
      if (!row) return undefined;
      if (clientMove !== undefined) {
        if (clientMove.from !== null)
          await tx.run(
            "DELETE FROM case_members WHERE case_id = :id AND user_id = :from AND role = 'client'",
            {
              id,
              from: clientMove.from,
            },
          );
        if (clientMove.to !== null)
          await tx.run(
            `INSERT INTO case_members (case_id, user_id, role, added_by, added_at)
             VALUES (:id, :to, 'client', :by, :now) ON CONFLICT (case_id, user_id) DO NOTHING`,
            { id, to: clientMove.to, by: clientMove.by, now },
          );
      }
      return toCase(row);
    });
  }

  async members(caseId: number): Promise<Member[]> {
    const rows = await this.db.all(
      `SELECT m.user_id, u.name, u.email, m.role, m.added_by, m.added_at FROM case_members m
       JOIN users u ON u.id = m.user_id WHERE m.case_id = :caseId ORDER BY m.user_id`,
      { caseId },
    );
    return rows.map((r) => ({
      userId: toInt(r.user_id),
      name: String(r.name),
      email: String(r.email),
      role: r.role as Role,
      addedBy: toInt(r.added_by),
      addedAt: toIso(r.added_at) ?? '',
    }));
  }

  async addMember(caseId: number, userId: number, role: Role, addedBy: number): Promise<void> {
    await this.db.run(
      'INSERT INTO case_members (case_id, user_id, role, added_by, added_at) VALUES (:caseId, :userId, :role, :addedBy, :now)',
      { caseId, userId, role, addedBy, now: new Date() },
    );
  }

  async removeMember(caseId: number, userId: number): Promise<boolean> {
    const rows = await this.db.all(
      'DELETE FROM case_members WHERE case_id = :caseId AND user_id = :userId RETURNING user_id',
      {
        caseId,
        userId,
      },
    );
    return rows.length > 0;
  }

  async walls(caseId: number): Promise<Wall[]> {
    const rows = await this.db.all(
      `SELECT w.user_id, u.name, u.email, w.reason, w.created_by, w.created_at FROM ethical_walls w
       JOIN users u ON u.id = w.user_id WHERE w.case_id = :caseId ORDER BY w.user_id`,
      { caseId },
    );
    return rows.map((r) => ({
      userId: toInt(r.user_id),
      name: String(r.name),
      email: String(r.email),
      reason: String(r.reason),
      createdBy: toInt(r.created_by),
      createdAt: toIso(r.created_at) ?? '',
    }));
  }

  async isWalled(caseId: number, userId: number): Promise<boolean> {
    const row = await this.db.one(
      'SELECT 1 AS x FROM ethical_walls WHERE case_id = :caseId AND user_id = :userId',
      { caseId, userId },
    );
    return row !== undefined;
  }

  async isMember(caseId: number, userId: number): Promise<boolean> {
    const row = await this.db.one(
      'SELECT 1 AS x FROM case_members WHERE case_id = :caseId AND user_id = :userId',
      { caseId, userId },
    );
    return row !== undefined;
  }

  async addWall(caseId: number, userId: number, reason: string, createdBy: number): Promise<void> {
    await this.db.run(
      'INSERT INTO ethical_walls (case_id, user_id, reason, created_by, created_at) VALUES (:caseId, :userId, :reason, :createdBy, :now)',
      { caseId, userId, reason, createdBy, now: new Date() },
    );
  }

  async removeWall(caseId: number, userId: number): Promise<boolean> {
    const rows = await this.db.all(
      'DELETE FROM ethical_walls WHERE case_id = :caseId AND user_id = :userId RETURNING user_id',
      {
        caseId,
        userId,
      },
    );
    return rows.length > 0;
  }
}
