import { Op, literal, type WhereOptions } from 'sequelize';
import { toIso, type Database } from '../../db/database.js';
import type { AuditEventAttributes, Outcome } from '../../db/models/audit.js';

export type { Outcome } from '../../db/models/audit.js';

export interface AuditEventInput {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  outcome: Outcome;
  status: number;
  requestId: string | null;
  ip: string | null;
  details?: Record<string, unknown> | undefined;
}

export interface AuditEvent extends Omit<AuditEventInput, 'details'> {
  id: number;
  occurredAt: string;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  actorId?: number | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  outcome?: Outcome | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeId?: number | undefined;
  /** Leave out events about cases (and their documents) this user is walled off from. */
  walledViewerId?: number | undefined;
  limit: number;
}

function toEvent(row: AuditEventAttributes): AuditEvent {
  return {
    id: row.id,
    occurredAt: toIso(row.occurredAt) ?? '',
    actorId: row.actorId,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    outcome: row.outcome,
    status: row.status,
    requestId: row.requestId,
    ip: row.ip,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}

const toRow = ({ event, at }: { event: AuditEventInput; at: Date }) => ({
  occurredAt: at,
  actorId: event.actorId,
  action: event.action,
  entity: event.entity,
  entityId: event.entityId,
  outcome: event.outcome,
  status: event.status,
  requestId: event.requestId,
  ip: event.ip,
  details: event.details === undefined ? null : JSON.stringify(event.details),
});

export class AuditRepository {
  constructor(private readonly db: Database) {}

  private get events() {
    return this.db.models.AuditEvent;
  }

  /**
   * Inserts events in one multi-row statement (in order); all or none are written. Outside any transaction
   * (`transaction: null`): a batch gathers events of many requests and must not join the one it started in.
   */
  async insertMany(events: { event: AuditEventInput; at: Date }[]): Promise<void> {
    if (events.length === 0) return;
    await this.events.bulkCreate(events.map(toRow), { transaction: null, returning: false });
  }

  /** Inserts one event in the transaction the caller runs in: it commits with the request's writes. */
  async insertInTransaction(event: AuditEventInput, at: Date): Promise<void> {
    await this.events.bulkCreate([toRow({ event, at })], { returning: false });
  }

  /** Newest first, keyset-paginated by id. */
  async list(filter: AuditFilter): Promise<AuditEvent[]> {
    const where: WhereOptions<AuditEventAttributes>[] = [];
    const add = (clause: WhereOptions<AuditEventAttributes>, value: unknown) => {
      if (value !== undefined) where.push(clause);
    };
    add({ actorId: filter.actorId! }, filter.actorId);
    add({ entity: filter.entity! }, filter.entity);
    add({ entityId: filter.entityId! }, filter.entityId);
    add({ action: filter.action! }, filter.action);
    add({ outcome: filter.outcome! }, filter.outcome);
    add({ occurredAt: { [Op.gte]: filter.from! } }, filter.from);
    add({ occurredAt: { [Op.lt]: filter.to! } }, filter.to);
    add({ id: { [Op.lt]: filter.beforeId! } }, filter.beforeId);
    if (filter.walledViewerId !== undefined) {
      // An ethical wall covers the case's audit trail too: its events name documents, parties and hold reasons.
      // Subqueries as literals: a model query cannot say "not among the ids of another table" otherwise.
      const viewer = this.db.sequelize.escape(filter.walledViewerId);
      where.push(
        literal(`NOT ("AuditEvent"."entity" = 'case' AND "AuditEvent"."entity_id" IN (
           SELECT CAST(case_id AS VARCHAR(64)) FROM ethical_walls WHERE user_id = ${viewer}))
         AND NOT ("AuditEvent"."entity" = 'document' AND "AuditEvent"."entity_id" IN (
           SELECT CAST(d.id AS VARCHAR(64)) FROM documents d
           JOIN ethical_walls w ON w.case_id = d.case_id WHERE w.user_id = ${viewer}))`),
      );
    }
    const rows = await this.events.findAll({
      where: { [Op.and]: where },
      order: [['id', 'DESC']],
      limit: filter.limit,
      raw: true,
    });
    return rows.map(toEvent);
  }
}
