import { Op, Transaction, literal, where as sqlWhere, col, fn, type WhereOptions } from 'sequelize';
import { toIso, type Database } from '../../db/database.js';
import type { CaseAttributes, CaseStatus } from '../../db/models/cases.js';
import type { Role } from '../auth/permissions.js';

export { CASE_STATUSES, type CaseStatus } from '../../db/models/cases.js';

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
const SORT_ATTRIBUTES = {
  updated_at: 'updatedAt',
  created_at: 'createdAt',
  number: 'number',
  title: 'title',
} as const;

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
  after?: { value: string; id: number } | undefined;
  limit: number;
}

export interface CaseChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  practiceArea?: string | null | undefined;
  status?: CaseStatus | undefined;
  clientName?: string | undefined;
  clientId?: number | null | undefined;
  responsibleAttorneyId?: number | undefined;
  closedAt?: Date | null | undefined;
}

/** A case row as Sequelize returns it, raw or plain (SQLite raw rows: dates as text). */
export function toCase(row: CaseAttributes): Case {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description ?? null,
    practiceArea: row.practiceArea ?? null,
    status: row.status,
    openedAt: toIso(row.openedAt) ?? '',
    statusChangedAt: toIso(row.statusChangedAt) ?? '',
    closedAt: toIso(row.closedAt),
    clientName: row.clientName,
    clientId: row.clientId ?? null,
    responsibleAttorneyId: row.responsibleAttorneyId,
    createdBy: row.createdBy,
    version: row.version,
    createdAt: toIso(row.createdAt) ?? '',
    updatedAt: toIso(row.updatedAt) ?? '',
  };
}

/** The sort key of a row as a cursor holds it: ISO text for dates, the text itself otherwise. */
export function sortValue(c: Case, sort: SortField): string {
  return c[SORT_ATTRIBUTES[sort]];
}

const escapeLike = (text: string) => text.replace(/[!%_]/g, (ch) => `!${ch}`);

/** A case's member or wall rows with the user's name and e-mail joined, ordered by user. */
const withUserByCase = (caseId: number) => ({
  where: { caseId },
  include: [{ association: 'user', attributes: ['name', 'email'] }],
  order: [['userId', 'ASC']] as [string, string][],
  raw: true as const,
  nest: true,
});
type UserJoined = { user: { name: string; email: string } };

export class CaseRepository {
  /** What the list selects: every column, timestamps as ISO text (worked out once, not per request). */
  private readonly listAttributes;

  constructor(private readonly db: Database) {
    this.listAttributes = db.attributesWithIsoTimestamps(db.models.Case);
  }

  private get models() {
    return this.db.models;
  }

  /** Only cases the caller may see: never through a wall; otherwise admin, responsible attorney or member. */
  async list(query: CaseQuery): Promise<Case[]> {
    const uid = this.db.sequelize.escape(query.userId);
    // Membership and walls as correlated subqueries: joins would repeat a case once per member.
    const where: WhereOptions<CaseAttributes>[] = [
      literal(
        `NOT EXISTS (SELECT 1 FROM ethical_walls w WHERE w.case_id = "Case"."id" AND w.user_id = ${uid})`,
      ),
    ];
    if (!query.seesAll) {
      const grants: WhereOptions<CaseAttributes>[] = [];
      if (query.responsibleCounts) grants.push({ responsibleAttorneyId: query.userId });
      if (query.membershipCounts)
        grants.push(
          literal(
            `EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = "Case"."id" AND m.user_id = ${uid})`,
          ),
        );
      where.push(grants.length > 0 ? { [Op.or]: grants } : literal('1 = 0'));
    }
    if (query.status !== undefined && query.status.length > 0) where.push({ status: query.status });
    if (query.q !== undefined) {
      const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
      const like = (column: string) =>
        sqlWhere(fn('LOWER', col(column)), {
          [Op.like]: literal(`${this.db.sequelize.escape(pattern)} ESCAPE '!'`),
        });
      where.push({ [Op.or]: [like('number'), like('title'), like('client_name')] });
    }
    if (query.updatedSince !== undefined) where.push({ updatedAt: { [Op.gte]: query.updatedSince } });
    const attribute = SORT_ATTRIBUTES[query.sort];
    const direction = query.descending ? 'DESC' : 'ASC';
    if (query.after !== undefined) {
      const op = query.descending ? Op.lt : Op.gt;
      const value = DATE_SORTS.includes(query.sort) ? new Date(query.after.value) : query.after.value;
      where.push({
        [Op.or]: [{ [attribute]: { [op]: value } }, { [attribute]: value, id: { [op]: query.after.id } }],
      });
    }
    const rows = await this.models.Case.findAll({
      attributes: this.listAttributes,
      where: { [Op.and]: where },
      // By the column, not the attribute: its alias names the ISO text, which no index orders.
      order: [
        [col(`Case.${this.models.Case.getAttributes()[attribute].field}`), direction],
        ['id', direction],
      ],
      limit: query.limit,
      raw: true,
    });
    return rows.map(toCase);
  }

  /**
   * The case as one user sees it. `lock`: the case row is locked until the transaction ends — `share` for a
   * change to what the case holds (a close or a legal hold waits for it), `update` to change what such changes
   * depend on (a legal hold). PostgreSQL only: SQLite's transactions run one at a time anyway.
   */
  async access(id: number, userId: number, lock?: 'share' | 'update'): Promise<CaseAccess | undefined> {
    const found = await this.models.Case.findByPk(id, {
      raw: true,
      ...(lock === undefined
        ? {}
        : { lock: lock === 'share' ? Transaction.LOCK.SHARE : Transaction.LOCK.NO_KEY_UPDATE }),
    });
    if (!found) return undefined;
    const [member, wall] = await Promise.all([
      this.models.CaseMember.findOne({ where: { caseId: id, userId }, attributes: ['role'], raw: true }),
      this.models.EthicalWall.findOne({ where: { caseId: id, userId }, attributes: ['userId'], raw: true }),
    ]);
    return { case: toCase(found), walled: wall !== null, memberRole: member?.role ?? null };
  }

  async exists(id: number): Promise<boolean> {
    return (await this.models.Case.count({ where: { id } })) > 0;
  }

  /** Next number of the year: the year's counter goes up by one under its row lock, in the caller's transaction. */
  async nextNumber(year: number): Promise<string> {
    const { CaseCounter } = this.models;
    return this.db.transaction(async () => {
      await CaseCounter.bulkCreate([{ year, last: 0 }], { ignoreDuplicates: true });
      await CaseCounter.increment('last', { where: { year } });
      const counter = await CaseCounter.findByPk(year, { raw: true });
      return `${year}-${String(counter!.last).padStart(5, '0')}`;
    });
  }

  /** A new open case numbered in its year, with its client (if a user) as a `client` member. */
  async create(input: {
    title: string;
    description: string | null;
    practiceArea: string | null;
    clientName: string;
    clientId: number | null;
    responsibleAttorneyId: number;
    createdBy: number;
  }): Promise<Case> {
    return this.db.transaction(async () => {
      const now = new Date();
      const created = await this.models.Case.create({
        ...input,
        number: await this.nextNumber(now.getUTCFullYear()),
        status: 'open',
        openedAt: now,
        statusChangedAt: now,
        closedAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      if (input.clientId !== null)
        await this.addMember(created.id, input.clientId, 'client', input.createdBy);
      return toCase(created.get({ plain: true }));
    });
  }

  /** Optimistic update: applies only when the version still matches; undefined when it does not. */
  async update(
    id: number,
    version: number,
    changes: CaseChanges,
    statusChanged: boolean,
    clientMove?: { from: number | null; to: number | null; by: number },
  ): Promise<Case | undefined> {
    const { Case, CaseMember } = this.models;
    const values: Record<string, unknown> = { version: literal('version + 1') };
    for (const [key, value] of Object.entries(changes)) if (value !== undefined) values[key] = value;
    if (statusChanged) values.statusChangedAt = new Date();
    return this.db.transaction(async () => {
      const [changed] = await Case.update(values, { where: { id, version } });
      if (changed === 0) return undefined;
      if (clientMove !== undefined) {
        if (clientMove.from !== null)
          await CaseMember.destroy({ where: { caseId: id, userId: clientMove.from, role: 'client' } });
        if (clientMove.to !== null)
          await CaseMember.bulkCreate(
            [{ caseId: id, userId: clientMove.to, role: 'client', addedBy: clientMove.by }],
            {
              ignoreDuplicates: true,
            },
          );
      }
      return toCase((await Case.findByPk(id, { raw: true }))!);
    });
  }

  async members(caseId: number): Promise<Member[]> {
    const rows = await this.models.CaseMember.findAll(withUserByCase(caseId));
    return rows.map((r) => {
      const { user } = r as unknown as UserJoined;
      return {
        userId: r.userId,
        name: user.name,
        email: user.email,
        role: r.role,
        addedBy: r.addedBy,
        addedAt: toIso(r.addedAt) ?? '',
      };
    });
  }

  async addMember(caseId: number, userId: number, role: Role, addedBy: number): Promise<void> {
    await this.models.CaseMember.create({ caseId, userId, role, addedBy });
  }

  async removeMember(caseId: number, userId: number): Promise<boolean> {
    return (await this.models.CaseMember.destroy({ where: { caseId, userId } })) > 0;
  }

  async walls(caseId: number): Promise<Wall[]> {
    const rows = await this.models.EthicalWall.findAll(withUserByCase(caseId));
    return rows.map((r) => {
      const { user } = r as unknown as UserJoined;
      return {
        userId: r.userId,
        name: user.name,
        email: user.email,
        reason: r.reason,
        createdBy: r.createdBy,
        createdAt: toIso(r.createdAt) ?? '',
      };
    });
  }

  async isWalled(caseId: number, userId: number): Promise<boolean> {
    return (await this.models.EthicalWall.count({ where: { caseId, userId } })) > 0;
  }

  async isMember(caseId: number, userId: number): Promise<boolean> {
    return (await this.models.CaseMember.count({ where: { caseId, userId } })) > 0;
  }

  async addWall(caseId: number, userId: number, reason: string, createdBy: number): Promise<void> {
    await this.models.EthicalWall.create({ caseId, userId, reason, createdBy });
  }

  /**
   * Walls follow the person: every wall on `from` is copied to `to`, an account `from` has just created — same
   * case, same placer, the reason saying where it came from. Returns the cases of the copied walls.
   */
  async inheritWalls(from: number, to: number): Promise<number[]> {
    const { EthicalWall } = this.models;
    const walls = await EthicalWall.findAll({
      where: { userId: from },
      order: [['caseId', 'ASC']],
      raw: true,
    });
    if (walls.length === 0) return [];
    await EthicalWall.bulkCreate(
      walls.map((w) => ({
        caseId: w.caseId,
        userId: to,
        reason: `Inherited from user ${from}, who created this account: ${w.reason}`.slice(0, 1000),
        createdBy: w.createdBy,
      })),
    );
    return walls.map((w) => w.caseId);
  }

  /** Whether `placer` placed a wall (or the wall it was inherited from) that bars `userId`. */
  async isWalledBy(userId: number, placer: number): Promise<boolean> {
    return (await this.models.EthicalWall.count({ where: { userId, createdBy: placer } })) > 0;
  }

  async removeWall(caseId: number, userId: number): Promise<boolean> {
    return (await this.models.EthicalWall.destroy({ where: { caseId, userId } })) > 0;
  }
}
