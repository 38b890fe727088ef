import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

export const PARTY_ROLES = ['client', 'opposing_party', 'opposing_counsel', 'witness'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_KINDS = ['person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface CasePartyAttributes {
  id: number;
  caseId: number;
  role: PartyRole;
  kind: PartyKind;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  notes: string | null;
  createdBy: number;
  createdAt: Date;
  updatedAt: Date;
}
type CasePartyCreation = Optional<
  CasePartyAttributes,
  'id' | 'email' | 'phone' | 'address' | 'notes' | 'createdAt' | 'updatedAt'
>;
export interface CasePartyInstance
  extends Model<CasePartyAttributes, CasePartyCreation>, CasePartyAttributes {}

/** Parties of a case: contacts (people or organisations) in one role on that case. */
export function definePartyModels(sequelize: Sequelize) {
  const CaseParty = sequelize.define<CasePartyInstance>(
    'CaseParty',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      caseId: { type: DataTypes.INTEGER, allowNull: false },
      role: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [PARTY_ROLES] } },
      kind: { type: DataTypes.STRING(12), allowNull: false, validate: { isIn: [PARTY_KINDS] } },
      name: { type: DataTypes.STRING(300), allowNull: false, validate: { len: [1, 300] } },
      email: { type: DataTypes.STRING(254), allowNull: true, validate: { isEmail: true } },
      phone: { type: DataTypes.STRING(50), allowNull: true, validate: { len: [3, 50] } },
      address: { type: DataTypes.STRING(1000), allowNull: true, validate: { len: [0, 1000] } },
      notes: { type: DataTypes.TEXT, allowNull: true, validate: { len: [0, 10_000] } },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'case_parties', underscored: true },
  );
  return { CaseParty };
}

export type CasePartyModel = ModelStatic<CasePartyInstance>;
