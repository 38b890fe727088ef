import { toIso, toInt, type Database } from '../../db/database.js';

export interface DocumentVersion {
  version: number;
  size: number;
  sha256: string;
  contentType: string;
  createdBy: number;
  createdAt: string;
}

export interface Document {
  id: number;
  caseId: number;
  name: string;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedBy: number | null;
  latest: DocumentVersion;
}

/** A version with where its bytes are: the storage key never leaves the service. */
export interface StoredVersion extends DocumentVersion {
  documentId: number;
  caseId: number;
  name: string;
  storageKey: string;
}

export interface LegalHold {
  caseId: number;
  reason: string;
  setBy: number;
  setAt: string;
}

const toVersion = (r: Record<string, unknown>): DocumentVersion => ({
  version: toInt(r.version),
  size: toInt(r.size),
  sha256: String(r.sha256),
  contentType: String(r.content_type),
  createdBy: toInt(r.v_created_by ?? r.created_by),
  createdAt: toIso(r.v_created_at ?? r.created_at) ?? '',
});

const toDocument = (r: Record<string, unknown>): Document => ({
  id: toInt(r.id),
  caseId: toInt(r.case_id),
  name: String(r.name),
  createdBy: toInt(r.created_by),
  createdAt: toIso(r.created_at) ?? '',
  updatedAt: toIso(r.updated_at) ?? '',
  deletedAt: toIso(r.deleted_at),
  deletedBy: r.deleted_by === null || r.deleted_by === undefined ? null : toInt(r.deleted_by),
  latest: toVersion(r),
});

const LATEST = `SELECT d.*, v.version, v.size, v.sha256, v.content_type, v.created_by AS v_created_by,
    v.created_at AS v_created_at
  FROM documents d JOIN document_versions v ON v.document_id = d.id
  AND v.version = (SELECT MAX(x.version) FROM document_versions x WHERE x.document_id = d.id)`;

export class DocumentRepository {
  constructor(private readonly db: Database) {}

  /** Latest versions of a case's documents, by name then id, after the cursor. */
  async list(caseId: number, trashed: boolean, limit: number, after?: { value: unknown; id: number }) {
    const where = ['d.case_id = :caseId', trashed ? 'd.deleted_at IS NOT NULL' : 'd.deleted_at IS NULL'];
    const params: Record<string, unknown> = { caseId, limit };
    if (after) {
      where.push('(d.name > :afterName OR (d.name = :afterName AND d.id > :afterId))');
      params.afterName = String(after.value);
      params.afterId = after.id;
    }
    const rows = await this.db.all(
      `${LATEST} WHERE ${where.join(' AND ')} ORDER BY d.name, d.id LIMIT :limit`,
      params,
    );
    return rows.map(toDocument);
  }

  async find(id: number): Promise<Document | undefined> {
    const rows = await this.db.all(`${LATEST} WHERE d.id = :id`, { id });
    return rows[0] && toDocument(rows[0]);
  }

  async versions(id: number): Promise<DocumentVersion[]> {
    const rows = await this.db.all(
      'SELECT * FROM document_versions WHERE document_id = :id ORDER BY version DESC',
      { id },
    );
    return rows.map(toVersion);
  }

  async version(id: number, version: number | undefined): Promise<StoredVersion | undefined> {
    const rows = await this.db.all(
      `SELECT v.*, d.case_id, d.name FROM document_versions v JOIN documents d ON d.id = v.document_id
       WHERE v.document_id = :id AND v.version = ${
         version === undefined
           ? '(SELECT MAX(x.version) FROM document_versions x WHERE x.document_id = :id)'
           : ':version'
       }`,
      { id, version: version ?? null },
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      ...toVersion(r),
      documentId: toInt(r.document_id),
      caseId: toInt(r.case_id),
      name: String(r.name),
      storageKey: String(r.storage_key),
    };
  }

  /** The document of that name in the case, trashed or not. */
  async findByName(caseId: number, name: string): Promise<Document | undefined> {
    const rows = await this.db.all(`${LATEST} WHERE d.case_id = :caseId AND d.name = :name`, {
      caseId,
      name,
    });
    return rows[0] && toDocument(rows[0]);
  }

  /**
   * Adds a version under `name`: the document row (created by the first upload, atomically with ON
   * CONFLICT) and the next version number in one statement. Concurrent uploads of one name may pick the
   * same number; the loser gets a unique violation and the caller retries. Undefined when the name
   * belongs to a trashed document.
   */
  async addVersion(input: {
    caseId: number;
    name: string;
    size: number;
    sha256: string;
    contentType: string;
    storageKey: string;
    userId: number;
  }): Promise<{ document: Document; created: boolean } | undefined> {
    const now = new Date();
    const inserted = await this.db.all(
      `INSERT INTO documents (case_id, name, created_by, created_at, updated_at)
       VALUES (:caseId, :name, :userId, :now, :now) ON CONFLICT (case_id, name) DO NOTHING RETURNING id`,
      { ...input, now },
    );
    const doc = (
      await this.db.all(
        'SELECT id, deleted_at FROM documents WHERE case_id = :caseId AND name = :name',
        input,
      )
    )[0];
    if (!doc)
      throw new Error(`document '${input.name}' of case ${input.caseId} vanished while adding a version`);
    const documentId = toInt(doc.id);
    if (doc.deleted_at !== null && doc.deleted_at !== undefined) return undefined;
    try {
      await this.db.run(
        `INSERT INTO document_versions (document_id, version, size, sha256, content_type, storage_key, created_by, created_at)
         SELECT :documentId, COALESCE(MAX(version), 0) + 1, :size, :sha256, :contentType, :storageKey, :userId, :now
         FROM document_versions WHERE document_id = :documentId`,
        { ...input, documentId, now },
      );
    } catch (err) {
      // A document row this call created must not outlive a failed first version.
      if (inserted.length > 0) await this.dropIfEmpty(documentId);
      throw err;
    }
    await this.db.run('UPDATE documents SET updated_at = :now WHERE id = :documentId', {
      now,
      documentId,
    });
    return { document: (await this.find(documentId))!, created: inserted.length > 0 };
  }

  private async dropIfEmpty(documentId: number): Promise<void> {
    await this.db.run(
      `DELETE FROM documents WHERE id = :documentId
       AND NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = :documentId)`,
      { documentId },
    );
  }

  async trash(id: number, userId: number): Promise<void> {
    await this.db.run(
      'UPDATE documents SET deleted_at = :now, deleted_by = :userId WHERE id = :id AND deleted_at IS NULL',
      { id, userId, now: new Date() },
    );
  }

  async restore(id: number): Promise<void> {
    await this.db.run('UPDATE documents SET deleted_at = NULL, deleted_by = NULL WHERE id = :id', { id });
  }

  async hold(caseId: number): Promise<LegalHold | undefined> {
    const rows = await this.db.all('SELECT * FROM case_legal_holds WHERE case_id = :caseId', { caseId });
    const r = rows[0];
    return (
      r && {
        caseId: toInt(r.case_id),
        reason: String(r.reason),
        setBy: toInt(r.set_by),
        setAt: toIso(r.set_at) ?? '',
      }
    );
  }

  /** Places a hold; false when one is already in place. */
  async setHold(caseId: number, reason: string, userId: number): Promise<boolean> {
    const rows = await this.db.all(
      `INSERT INTO case_legal_holds (case_id, reason, set_by, set_at) VALUES (:caseId, :reason, :userId, :now)
       ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
      { caseId, reason, userId, now: new Date() },
    );
    return rows.length > 0;
  }

  async releaseHold(caseId: number): Promise<boolean> {
    const rows = await this.db.all('DELETE FROM case_legal_holds WHERE case_id = :caseId RETURNING case_id', {
      caseId,
    });
    return rows.length > 0;
  }
}
