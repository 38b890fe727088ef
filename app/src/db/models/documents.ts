import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

export interface DocumentAttributes {
  id: number;
  caseId: number;
  name: string;
  createdBy: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  deletedBy: number | null;
}
type DocumentCreation = Optional<
  DocumentAttributes,
  'id' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;
export interface DocumentInstance extends Model<DocumentAttributes, DocumentCreation>, DocumentAttributes {}

export interface DocumentVersionAttributes {
  id: number;
  documentId: number;
  version: number;
  size: number;
  sha256: string;
  contentType: string;
  storageKey: string;
  createdBy: number;
  createdAt: Date;
}
export interface DocumentVersionInstance
  extends
    Model<DocumentVersionAttributes, Optional<DocumentVersionAttributes, 'id' | 'createdAt'>>,
    DocumentVersionAttributes {}

export interface LegalHoldAttributes {
  caseId: number;
  reason: string;
  setBy: number;
  setAt: Date;
}
export interface LegalHoldInstance
  extends Model<LegalHoldAttributes, Optional<LegalHoldAttributes, 'setAt'>>, LegalHoldAttributes {}

/** Documents of a case (paranoid: deleting one moves it to the trash), their immutable versions, legal holds. */
export function defineDocumentModels(sequelize: Sequelize) {
  const Document = sequelize.define<DocumentInstance>(
    'Document',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      caseId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false, validate: { len: [1, 255] } },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
      deletedAt: { type: DataTypes.DATE, allowNull: true },
      deletedBy: { type: DataTypes.INTEGER, allowNull: true },
    },
    { tableName: 'documents', underscored: true, paranoid: true },
  );
  const DocumentVersion = sequelize.define<DocumentVersionInstance>(
    'DocumentVersion',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      documentId: { type: DataTypes.INTEGER, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 1 } },
      size: { type: DataTypes.BIGINT, allowNull: false, validate: { min: 0 } },
      sha256: { type: DataTypes.CHAR(64), allowNull: false, validate: { is: /^[0-9a-f]{64}$/ } },
      contentType: { type: DataTypes.STRING(127), allowNull: false, validate: { len: [1, 127] } },
      storageKey: { type: DataTypes.STRING(400), allowNull: false, unique: true },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'document_versions', underscored: true, updatedAt: false },
  );
  const LegalHold = sequelize.define<LegalHoldInstance>(
    'LegalHold',
    {
      caseId: { type: DataTypes.INTEGER, primaryKey: true },
      reason: { type: DataTypes.STRING(1000), allowNull: false, validate: { len: [1, 1000] } },
      setBy: { type: DataTypes.INTEGER, allowNull: false },
      setAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'case_legal_holds', underscored: true, createdAt: 'setAt', updatedAt: false },
  );
  return { Document, DocumentVersion, LegalHold };
}

export type DocumentModel = ModelStatic<DocumentInstance>;
