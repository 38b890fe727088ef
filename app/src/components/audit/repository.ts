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

  async insert(event: AuditEventInput, at = new Date()): Promise<void> {
    await this.db.run(
      `INSERT INTO audit_events (occurred_at, actor_id, action, entity, entity_id, outcome, status, request_id, ip, details)
       VALUES (:at, :actorId, :action, :entity, :entityId, :outcome, :status, :requestId, :ip, :details)`,
      {
        at,
        actorId: event.actorId,
        action: event.action,
        entity: event.entity,
        entityId: event.entityId,
        outcome: event.outcome,
        status: event.status,
        requestId: event.requestId,
        ip: event.ip,
        details: event.details === undefined ? null : JSON.stringify(event.details),
      },
    );
  }

  /** Newest first, keyset-paginated by id. */
  async list(filter: AuditFilter): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.actorId !== undefined) (where.push('actor_id = :actorId'), (params.actorId = filter.actorId));
    if (filter.entity !== undefined) (where.push('entity = :entity'), (params.entity = filter.entity));
    if (filter.entityId !== undefined)
      (where.push('entity_id = :entityId'), (params.entityId = filter.entityId));
    if (filter.action !== undefined) (where.push('action = :action'), (params.action = filter.action));
    if (filter.outcome !== undefined) (where.push('outcome = :outcome'), (params.outcome = filter.outcome));
    if (filter.from !== undefined) (where.push('occurred_at >= :from'), (params.from = filter.from));
    if (filter.to !== undefined) (where.push('occurred_at < :to'), (params.to = filter.to));
    if (filter.beforeId !== undefined) (where.push('id < :beforeId'), (params.beforeId = filter.beforeId));
    const rows = await this.db.all(
      `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT :limit`,
      params,
    );
    return rows.map(toEvent);
  }
}
