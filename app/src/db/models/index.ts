import type { Sequelize } from 'sequelize';
import { defineAuditModels } from './audit.js';
import { defineCaseModels } from './cases.js';
import { defineConflictModels } from './conflicts.js';
import { defineDocumentModels } from './documents.js';
import { definePartyModels } from './parties.js';
import { defineUserModels } from './users.js';

/**
 * Every table as a model of this Sequelize instance (`define`, not classes: each instance, e.g. each test's
 * database, gets models of its own), with the associations between them. The migrations own the schema:
 * nothing here is synced.
 */
export function defineModels(sequelize: Sequelize) {
  const models = {
    ...defineUserModels(sequelize),
    ...defineCaseModels(sequelize),
    ...defineAuditModels(sequelize),
    ...defineDocumentModels(sequelize),
    ...definePartyModels(sequelize),
    ...defineConflictModels(sequelize),
  };
  const { User, Case, CaseMember, EthicalWall, Document, DocumentVersion, LegalHold, CaseParty } = models;
  const { ConflictCheck } = models;
  const user = (foreignKey: string, as: string) => ({ foreignKey, as, constraints: false });
  Case.belongsTo(User, user('responsibleAttorneyId', 'responsibleAttorney'));
  Case.belongsTo(User, user('clientId', 'client'));
  Case.hasMany(CaseMember, { foreignKey: 'caseId', as: 'members', constraints: false });
  Case.hasMany(EthicalWall, { foreignKey: 'caseId', as: 'walls', constraints: false });
  Case.hasMany(Document, { foreignKey: 'caseId', as: 'documents', constraints: false });
  Case.hasMany(CaseParty, { foreignKey: 'caseId', as: 'parties', constraints: false });
  Case.hasOne(LegalHold, { foreignKey: 'caseId', as: 'legalHold', constraints: false });
  CaseMember.belongsTo(User, user('userId', 'user'));
  EthicalWall.belongsTo(User, user('userId', 'user'));
  Document.belongsTo(Case, { foreignKey: 'caseId', as: 'case', constraints: false });
  Document.hasMany(DocumentVersion, { foreignKey: 'documentId', as: 'versions', constraints: false });
  DocumentVersion.belongsTo(Document, { foreignKey: 'documentId', as: 'document', constraints: false });
  CaseParty.belongsTo(Case, { foreignKey: 'caseId', as: 'case', constraints: false });
  ConflictCheck.belongsTo(User, user('requestedBy', 'requester'));
  ConflictCheck.belongsTo(Case, { foreignKey: 'caseId', as: 'case', constraints: false });
  return models;
}

export type Models = ReturnType<typeof defineModels>;
