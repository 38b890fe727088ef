import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Request } from 'express';
import type { Config } from '../../config.js';
import { isUniqueViolation, type Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Page } from '../../http/cursor.js';
import type { Logger } from '../../logger.js';
import type { AuthUser } from '../auth/service.js';
import type { Permission } from '../auth/permissions.js';
import type { CaseService } from '../cases/service.js';
import type {
  Document,
  DocumentRepository,
  DocumentVersion,
  LegalHold,
  StoredVersion,
} from './repository.js';
import type { BlobStore, ByteRange } from './storage.js';
import { MULTIPART_OVERHEAD, receiveUpload, tooLarge } from './upload.js';

/** A file in the store, not yet recorded as a version. */
export interface Upload {
  caseId: number;
  userId: number;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  storageKey: string;
}

export class DocumentService {
  constructor(
    private readonly db: Database,
    private readonly docs: DocumentRepository,
    private readonly cases: CaseService,
    readonly store: BlobStore,
    private readonly config: Config['documents'],
    private readonly logger: Logger,
  ) {}

  /** The document, when the caller may act on its case with `permission`; otherwise 404 (hidden) or 403. */
  private async access(user: AuthUser, id: number, permission: Permission): Promise<Document> {
    const doc = await this.docs.find(id);
    if (!doc) throw AppError.notFound(`No document with id '${id}'.`);
    try {
      await this.cases.access(user, doc.caseId, permission);
    } catch (err) {
      if (err instanceof AppError && err.status === 404)
        throw Object.assign(AppError.hidden(`No document with id '${id}'.`), { reason: err.reason });
      throw err;
    }
    return doc;
  }

  private async refuseUnderHold(caseId: number, what: string): Promise<void> {
    const hold = await this.docs.hold(caseId);
    if (hold) {
      const err = AppError.conflict(
        `The case is under legal hold since ${hold.setAt} (${hold.reason}): ${what} is not allowed until the hold is released.`,
      );
      err.reason = 'legal-hold';
      throw err;
    }
  }

  /**
   * Streams one multipart file into the store, before any transaction opens: the bytes are checked (size,
   * type) on the way, and whatever fails — the client, the store — leaves no blob behind. `record` then adds
   * it as a version; `discard` removes the blob when that does not happen.
   */
  async receive(user: AuthUser, caseId: number, req: Request): Promise<Upload> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.config.maxBytes + MULTIPART_OVERHEAD)
      throw tooLarge(this.config.maxBytes);
    await this.cases.access(user, caseId, 'case:write');
    await this.refuseUnderHold(caseId, 'adding documents');
    const storageKey = `${caseId}/${randomUUID()}`;
    let stored = false;
    try {
      const received = await receiveUpload(req, this.config, async (body) => {
        await this.store.put(storageKey, body);
        stored = true;
      });
      return { ...received, caseId, storageKey, userId: user.id };
    } catch (err) {
      if (stored) await this.discard({ storageKey });
      throw err;
    }
  }

  /** Records a received file as the next version of the document of that name in its case. */
  async record(upload: Upload): Promise<{ document: Document; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.savepoint(() => this.docs.addVersion(upload));
        if (result === undefined)
          throw AppError.conflict(
            `A document named '${upload.name}' is in the trash; restore it before adding a version.`,
          );
        return result;
      } catch (err) {
        // Uploads of one name at once: the loser takes the next version number.
        if (!isUniqueViolation(err) || attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  /** Removes the blob of an upload that was not recorded; a failure is logged (the blob is then an orphan). */
  async discard(upload: Pick<Upload, 'storageKey'>): Promise<void> {
    await this.store
      .delete(upload.storageKey)
      .catch((e: unknown) =>
        this.logger.error(
          { err: e, storageKey: upload.storageKey },
          'could not remove the blob of a failed upload',
        ),
      );
  }

  async list(
    user: AuthUser,
    caseId: number,
    trashed: boolean,
    limit: number,
    after?: { value: string; id: number },
  ): Promise<Page<Document>> {
    await this.cases.access(user, caseId, 'case:read');
    const rows = await this.docs.list(caseId, trashed, limit + 1, after);
    return { data: rows.slice(0, limit), more: rows.length > limit };
  }

  async versions(user: AuthUser, id: number): Promise<{ document: Document; versions: DocumentVersion[] }> {
    const document = await this.access(user, id, 'case:read');
    return { document, versions: await this.docs.versions(id) };
  }

  async version(user: AuthUser, id: number, version: number | undefined): Promise<StoredVersion> {
    await this.access(user, id, 'case:read');
    const found = await this.docs.version(id, version);
    if (!found) throw AppError.notFound(`Document ${id} has no version ${version}.`);
    return found;
  }

  open(version: StoredVersion, range?: ByteRange): Promise<Readable> {
    return this.store.get(version.storageKey, range);
  }

  async trash(user: AuthUser, id: number): Promise<void> {
    const doc = await this.access(user, id, 'case:write');
    await this.refuseUnderHold(doc.caseId, 'deleting documents');
    if (doc.deletedAt !== null) throw AppError.conflict(`Document ${id} is already in the trash.`);
    await this.docs.trash(id, user.id);
  }

  async restore(user: AuthUser, id: number): Promise<Document> {
    const doc = await this.access(user, id, 'case:write');
    if (doc.deletedAt === null) throw AppError.conflict(`Document ${id} is not in the trash.`);
    await this.docs.restore(id);
    return (await this.docs.find(id))!;
  }

  async hold(user: AuthUser, caseId: number): Promise<LegalHold | null> {
    await this.cases.access(user, caseId, 'case:read');
    return (await this.docs.hold(caseId)) ?? null;
  }

  /** Admins and the attorneys of a case (member:manage on it) place and release holds. */
  async setHold(user: AuthUser, caseId: number, reason: string): Promise<LegalHold> {
    await this.cases.access(user, caseId, 'member:manage');
    if (!(await this.docs.setHold(caseId, reason, user.id)))
      throw AppError.conflict('The case is already under legal hold.');
    return (await this.docs.hold(caseId))!;
  }

  async releaseHold(user: AuthUser, caseId: number): Promise<void> {
    await this.cases.access(user, caseId, 'member:manage');
    if (!(await this.docs.releaseHold(caseId))) throw AppError.notFound('The case is not under legal hold.');
  }
}
