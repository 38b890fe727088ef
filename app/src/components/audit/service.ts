import type { AuditEvent, AuditEventInput, AuditFilter, AuditRepository } from './repository.js';

export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  record(event: AuditEventInput): Promise<void> {
    return this.repo.insert(event);
  }

  async list(
    filter: Omit<AuditFilter, 'limit'> & { limit: number },
  ): Promise<{ data: AuditEvent[]; nextCursor: string | null }> {
    const rows = await this.repo.list({ ...filter, limit: filter.limit + 1 });
    const data = rows.slice(0, filter.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > filter.limit && last ? String(last.id) : null };
  }
}
