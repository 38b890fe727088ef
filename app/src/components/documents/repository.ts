import { Op, literal, type WhereOptions } from 'sequelize';
import { toIso, type Database } from '../../db/database.js';
import type { DocumentAttributes, DocumentVersionAttributes } from '../../db/models/documents.js';

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

const toVersion = (r: DocumentVersionAttributes): DocumentVersion => ({
  version: r.version,
  size: Number(r.size),
  sha256: r.sha256,
  contentType: r.contentType,
  createdBy: r.createdBy,
  createdAt: toIso(r.createdAt) ?? '',
});

type DocumentRow = DocumentAttributes & { versions: DocumentVersionAttributes };

const toDocument = (r: DocumentRow): Document => ({
  id: r.id,
  caseId: r.caseId,
  name: r.name,
  createdBy: r.createdBy,
  createdAt: toIso(r.createdAt) ?? '',
  updatedAt: toIso(r.updatedAt) ?? '',
  deletedAt: toIso(r.deletedAt),
  deletedBy: r.deletedBy ?? null,
  latest: toVersion(r.versions),
});

/** Only the newest version of each document joins it. */
const LATEST_VERSION = literal(
  '"versions"."version" = (SELECT MAX(x.version) FROM document_versions x WHERE x.document_id = "Document"."id")',
);

export class DocumentRepository {
  constructor(private readonly db: Database) {}

  private get models() {
    return this.db.models;
  }

  /** Documents with their latest version; trashed ones too (the trash is a view of the same table). */
  private async latest(where: WhereOptions<DocumentAttributes>, limit?: number): Promise<Document[]> {
    const rows = await this.models.Document.findAll({
      where,
      paranoid: false,
      include: [{ association: 'versions', required: true, where: LATEST_VERSION }],
      order: [
        ['name', 'ASC'],
        ['id', 'ASC'],
      ],
      ...(limit === undefined ? {} : { limit }),
      raw: true,
      nest: true,
    });
    return (rows as unknown as DocumentRow[]).map(toDocument);
  }

  /** Latest versions of a case's documents, by name then id, after the cursor. */
  async list(caseId: number, trashed: boolean, limit: number, after?: { value: string; id: number }) {
    const where: WhereOptions<DocumentAttributes>[] = [
      { caseId },
      { deletedAt: trashed ? { [Op.ne]: null } : null },
    ];
    if (after)
      where.push({
        [Op.or]: [{ name: { [Op.gt]: after.value } }, { name: after.value, id: { [Op.gt]: after.id } }],
      });
    return this.latest({ [Op.and]: where }, limit);
  }

  async find(id: number): Promise<Document | undefined> {
    return (await this.latest({ id }))[0];
  }

  async versions(id: number): Promise<DocumentVersion[]> {
    const rows = await this.models.DocumentVersion.findAll({
      where: { documentId: id },
      order: [['version', 'DESC']],
      raw: true,
    });
    return rows.map(toVersion);
  }

  async version(id: number, version: number | undefined): Promise<StoredVersion | undefined> {
    const row = await this.models.DocumentVersion.findOne({
      where: { documentId: id, ...(version === undefined ? {} : { version }) },
      include: [{ association: 'document', attributes: ['caseId', 'name'], paranoid: false }],
      order: [['version', 'DESC']],
      raw: true,
      nest: true,
    });
    if (!row) return undefined;
    const document = (row as unknown as { document: { caseId: number; name: string } }).document;
    return {
      ...toVersion(row),
      documentId: row.documentId,
      caseId: document.caseId,
      name: document.name,
      storageKey: row.storageKey,
    };
  }

  /**
   * Adds a version under `name`: the document row (made by the first upload) and the next version number.
   * Call it in a savepoint: concurrent uploads of one name may pick the same number or both make the row, and
   * the loser's unique violation undoes its statements so the caller can retry. Undefined when the name belongs
   * to a trashed document.
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
    const { Document, DocumentVersion } = this.models;
    let document = await Document.findOne({
      where: { caseId: input.caseId, name: input.name },
      paranoid: false,
    });
    const created = document === null;
    document ??= await Document.create({ caseId: input.caseId, name: input.name, createdBy: input.userId });
    if (document.deletedAt !== null && document.deletedAt !== undefined) return undefined;
    const last = (await DocumentVersion.max('version', {
      where: { documentId: document.id },
    })) as number | null;
    await DocumentVersion.create({
      documentId: document.id,
      version: Number(last ?? 0) + 1,
      size: input.size,
      sha256: input.sha256,
      contentType: input.contentType,
      storageKey: input.storageKey,
      createdBy: input.userId,
    });
    if (!created) {
      document.changed('updatedAt', true);
      await document.save();
    }
    return { document: (await this.find(document.id))!, created };
  }

  /** Moves the document to the trash unless it is there: false when another request did it first. */
  async trash(id: number, userId: number): Promise<boolean> {
    const [changed] = await this.models.Document.update(
      { deletedAt: new Date(), deletedBy: userId },
      { where: { id, deletedAt: null }, silent: true },
    );
    return changed === 1;
  }

  /** Takes the document out of the trash if it is there: false when another request did it first. */
  async restore(id: number): Promise<boolean> {
    const [changed] = await this.models.Document.update(
      { deletedAt: null, deletedBy: null },
      { where: { id, deletedAt: { [Op.ne]: null } }, paranoid: false, silent: true },
    );
    return changed === 1;
  }

  async hold(caseId: number): Promise<LegalHold | undefined> {
    const r = await this.models.LegalHold.findByPk(caseId, { raw: true });
    return r
      ? { caseId: r.caseId, reason: r.reason, setBy: r.setBy, setAt: toIso(r.setAt) ?? '' }
      : undefined;
  }

  /** Places a hold; false when one is already in place. */
  async setHold(caseId: number, reason: string, userId: number): Promise<boolean> {
    const [, created] = await this.models.LegalHold.findOrCreate({
      where: { caseId },
      defaults: { caseId, reason, setBy: userId },
    });
    return created;
  }

  async releaseHold(caseId: number): Promise<boolean> {
    return (await this.models.LegalHold.destroy({ where: { caseId } })) > 0;
  }
}
