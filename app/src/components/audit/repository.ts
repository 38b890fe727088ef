import { toIso, toInt, type Database } from '../../db/database.js';

export type Outcome = 'success' | 'denied' | 'failure';

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

function toEvent(row: Record<string, unknown>): AuditEvent {
  return {
    id: toInt(row.id),
    occurredAt: toIso(row.occurred_at) ?? '',
    actorId: row.actor_id === null ? null : toInt(row.actor_id),
    action: String(row.action),
    entity: String(row.entity),
    entityId: (row.entity_id as string | null) ?? null,
    outcome: row.outcome as Outcome,
    status: toInt(row.status),
    requestId: (row.request_id as string | null) ?? null,
    ip: (row.ip as string | null) ?? null,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}

export class AuditRepository {
  constructor(private readonly db: Database) {}

  /** Inserts events in one multi-row statement (in order); all or none are written. */
  async insertMany(events: { event: AuditEventInput; at: Date }[]): Promise<void> {
    if (events.length === 0) return;
    const params: Record<string, unknown> = {};
    const rows = events.map(({ event, at }, i) => {
      Object.assign(params, {
        [`at${i}`]: at,
        [`actor${i}`]: event.actorId,
        [`action${i}`]: event.action,
        [`entity${i}`]: event.entity,
        [`entityId${i}`]: event.entityId,
        [`outcome${i}`]: event.outcome,
        [`status${i}`]: event.status,
        [`request${i}`]: event.requestId,
        [`ip${i}`]: event.ip,
        [`details${i}`]: event.details === undefined ? null : JSON.stringify(event.details),
      });
      return `(:at${i}, :actor${i}, :action${i}, :entity${i}, :entityId${i}, :outcome${i}, :status${i}, :request${i}, :ip${i}, :details${i})`;
    });
    await this.db.run(
      `INSERT INTO audit_events (occurred_at, actor_id, action, entity, entity_id, outcome, status, request_id, ip, details)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /** Newest first, keyset-paginated by id. */
  async list(filter: AuditFilter): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    const add = (clause: string, key: string, value: unknown) => {
      if (value === undefined) return;
      where.push(clause);
      params[key] = value;
    };
    add('actor_id = :actorId', 'actorId', filter.actorId);
    add('entity = :entity', 'entity', filter.entity);
    add('entity_id = :entityId', 'entityId', filter.entityId);
    add('action = :action', 'action', filter.action);
    add('outcome = :outcome', 'outcome', filter.outcome);
    add('occurred_at >= :from', 'from', filter.from);
    add('occurred_at < :to', 'to', filter.to);
    add('id < :beforeId', 'beforeId', filter.beforeId);
    // An ethical wall covers the case's audit trail too: its events name documents, parties and hold reasons.
    add(
      `NOT (entity = 'case' AND entity_id IN (
         SELECT CAST(case_id AS VARCHAR(64)) FROM ethical_walls WHERE user_id = :viewer))
       AND NOT (entity = 'document' AND entity_id IN (
         SELECT CAST(d.id AS VARCHAR(64)) FROM documents d
         JOIN ethical_walls w ON w.case_id = d.case_id WHERE w.user_id = :viewer))`,
      'viewer',
      filter.walledViewerId,
    );
    const rows = await this.db.all(
      `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT :limit`,
      params,
    );
    return rows.map(toEvent);
  }
}
