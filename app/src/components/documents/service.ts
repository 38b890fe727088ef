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

  /**
   * The document, when the caller may act on its case with `permission`; otherwise 404 (hidden) or 403.
   * `change`: what the caller changes, refused (409) while the case is closed, its row share-locked meanwhile.
   * A trashed document exists only for those who may restore it (case:write): to read-only roles it is a 404.
   */
  private async access(
    user: AuthUser,
    id: number,
    permission: Permission,
    change?: string,
  ): Promise<Document> {
    const doc = await this.docs.find(id);
    if (!doc) throw AppError.notFound(`No document with id '${id}'.`);
    const needed = doc.deletedAt === null ? permission : 'case:write';
    try {
      if (change === undefined) await this.cases.access(user, doc.caseId, needed);
      else await this.cases.accessForChange(user, doc.caseId, needed, change);
    } catch (err) {
      if (err instanceof AppError && err.status === 404)
        throw Object.assign(AppError.hidden(`No document with id '${id}'.`), { reason: err.reason });
      if (err instanceof AppError && err.status === 403 && needed !== permission)
        throw Object.assign(AppError.hidden(`No document with id '${id}'.`), { reason: 'trashed' });
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

  /** The case of a change to its documents: closed (409), under legal hold (409), or locked until the commit. */
  private async openForDocuments(user: AuthUser, caseId: number, what: string): Promise<void> {
    await this.cases.accessForChange(user, caseId, 'case:write', what);
    await this.refuseUnderHold(caseId, what);
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
    // Refused before a byte is stored; checked again when the version is recorded (the hold may come meanwhile).
    await this.openForDocuments(user, caseId, 'adding documents');
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

  /**
   * Records a received file as the next version of the document of that name in its case, in the request's
   * transaction: a legal hold placed (or the case closed) while the bytes were streaming refuses it there.
   */
  async record(user: AuthUser, upload: Upload): Promise<{ document: Document; created: boolean }> {
    await this.openForDocuments(user, upload.caseId, 'adding documents');
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
    // The trash is for those who may restore from it.
    await this.cases.access(user, caseId, trashed ? 'case:write' : 'case:read');
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

  /** Moves a document to the trash; of concurrent requests exactly one does (the others: 409). */
  async trash(user: AuthUser, id: number): Promise<void> {
    const doc = await this.access(user, id, 'case:write', 'deleting documents');
    await this.refuseUnderHold(doc.caseId, 'deleting documents');
    if (doc.deletedAt !== null || !(await this.docs.trash(id, user.id)))
      throw AppError.conflict(`Document ${id} is already in the trash.`);
  }

  /** Takes a document out of the trash; of concurrent requests exactly one does (the others: 409). */
  async restore(user: AuthUser, id: number): Promise<Document> {
    const doc = await this.access(user, id, 'case:write', 'restoring documents');
    if (doc.deletedAt === null || !(await this.docs.restore(id)))
      throw AppError.conflict(`Document ${id} is not in the trash.`);
    return (await this.docs.find(id))!;
  }

  async hold(user: AuthUser, caseId: number): Promise<LegalHold | null> {
    await this.cases.access(user, caseId, 'case:read');
    return (await this.docs.hold(caseId)) ?? null;
  }

  /** Admins and the attorneys of a case (member:manage on it) place and release holds. */
  async setHold(user: AuthUser, caseId: number, reason: string): Promise<LegalHold> {
    // Waits for changes in flight to the case's documents (they share-lock the case row) and holds them off.
    await this.cases.access(user, caseId, 'member:manage', 'update');
    if (!(await this.docs.setHold(caseId, reason, user.id)))
      throw AppError.conflict('The case is already under legal hold.');
    return (await this.docs.hold(caseId))!;
  }

  async releaseHold(user: AuthUser, caseId: number): Promise<void> {
    await this.cases.access(user, caseId, 'member:manage');
    if (!(await this.docs.releaseHold(caseId))) throw AppError.notFound('The case is not under legal hold.');
  }
}
