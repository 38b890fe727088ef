import type { Page } from '../../http/cursor.js';
import type { AuditEvent, AuditEventInput, AuditFilter, AuditRepository } from './repository.js';

interface Pending {
  event: AuditEventInput;
  at: Date;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Most events written in one statement; beyond this a second statement follows. */
const MAX_BATCH = 200;

export class AuditService {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;

  /** `lost` is told of every event that could not be stored, once, after its last try (a metric counts them). */
  constructor(
    private readonly repo: AuditRepository,
    private readonly lost: () => void,
  ) {}

  /**
   * Writes one event and resolves once it is in the database, so a response never leaves before its
   * audit event is stored. Events arriving while a write is running are grouped into the next
   * multi-row INSERT (group commit): one statement per batch instead of one per request.
   */
  record(event: AuditEventInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, at: new Date(), resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Writes one event in the transaction the caller runs in: it commits or rolls back with the request's writes. */
  async recordInTransaction(event: AuditEventInput): Promise<void> {
    try {
      await this.repo.insertInTransaction(event, new Date());
    } catch (err) {
      this.lost();
      throw err;
    }
  }

  private async drain(): Promise<void> {
    // Let the requests of this event-loop turn join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.repo.insertMany(batch);
        for (const p of batch) p.resolve();
      } catch (err) {
        if (batch.length === 1) {
          this.fail(batch[0]!, err);
          continue;
        }
        // One bad event must not cost the others their audit record: retry them one by one.
        for (const p of batch) {
          await this.repo.insertMany([p]).then(p.resolve, (e: unknown) => this.fail(p, e));
        }
      }
    }
    this.flushing = undefined;
  }

  private fail(pending: Pending, err: unknown): void {
    this.lost();
    pending.reject(err);
  }

  async list(filter: Omit<AuditFilter, 'limit'> & { limit: number }): Promise<Page<AuditEvent>> {
    const rows = await this.repo.list({ ...filter, limit: filter.limit + 1 });
    return { data: rows.slice(0, filter.limit), more: rows.length > filter.limit };
  }
}
