import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';
import { ROLE_NAMES, type Role } from '../../components/auth/permissions.js';

export const CASE_STATUSES = ['open', 'pending', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseAttributes {
  id: number;
  number: string;
  title: string;
  description: string | null;
  practiceArea: string | null;
  status: CaseStatus;
  openedAt: Date;
  statusChangedAt: Date;
  closedAt: Date | null;
  clientName: string;
  clientId: number | null;
  responsibleAttorneyId: number;
  createdBy: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
type CaseCreation = Optional<
  CaseAttributes,
  'id' | 'status' | 'closedAt' | 'version' | 'createdAt' | 'updatedAt' | 'description' | 'practiceArea'
>;
export interface CaseInstance extends Model<CaseAttributes, CaseCreation>, CaseAttributes {}

export interface CaseCounterAttributes {
  year: number;
  last: number;
}
export interface CaseCounterInstance extends Model<CaseCounterAttributes>, CaseCounterAttributes {}

export interface CaseMemberAttributes {
  caseId: number;
  userId: number;
  role: Role;
  addedBy: number;
  addedAt: Date;
}
export interface CaseMemberInstance
  extends Model<CaseMemberAttributes, Optional<CaseMemberAttributes, 'addedAt'>>, CaseMemberAttributes {}

export interface EthicalWallAttributes {
  caseId: number;
  userId: number;
  reason: string;
  createdBy: number;
  createdAt: Date;
}
export interface EthicalWallInstance
  extends Model<EthicalWallAttributes, Optional<EthicalWallAttributes, 'createdAt'>>, EthicalWallAttributes {}

const text = (max: number) => ({ len: [1, max] as [number, number] });

/** Matters (cases), their yearly number counters, members and ethical walls. */
export function defineCaseModels(sequelize: Sequelize) {
  const Case = sequelize.define<CaseInstance>(
    'Case',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      number: { type: DataTypes.STRING(16), allowNull: false, unique: true },
      title: { type: DataTypes.STRING(300), allowNull: false, validate: text(300) },
      description: { type: DataTypes.TEXT, allowNull: true, validate: { len: [0, 10_000] } },
      practiceArea: { type: DataTypes.STRING(100), allowNull: true, validate: { len: [0, 100] } },
      status: {
        type: DataTypes.STRING(10),
        allowNull: false,
        defaultValue: 'open',
        validate: { isIn: [CASE_STATUSES] },
      },
      openedAt: { type: DataTypes.DATE, allowNull: false },
      statusChangedAt: { type: DataTypes.DATE, allowNull: false },
      closedAt: { type: DataTypes.DATE, allowNull: true },
      clientName: { type: DataTypes.STRING(200), allowNull: false, validate: text(200) },
      clientId: { type: DataTypes.INTEGER, allowNull: true },
      responsibleAttorneyId: { type: DataTypes.INTEGER, allowNull: false },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1, validate: { min: 1 } },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'cases', underscored: true },
  );
  const CaseCounter = sequelize.define<CaseCounterInstance>(
    'CaseCounter',
    {
      year: { type: DataTypes.INTEGER, primaryKey: true },
      last: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'case_counters', timestamps: false },
  );
  const CaseMember = sequelize.define<CaseMemberInstance>(
    'CaseMember',
    {
      caseId: { type: DataTypes.INTEGER, primaryKey: true },
      userId: { type: DataTypes.INTEGER, primaryKey: true },
      role: { type: DataTypes.STRING(32), allowNull: false, validate: { isIn: [ROLE_NAMES] } },
      addedBy: { type: DataTypes.INTEGER, allowNull: false },
      addedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'case_members', underscored: true, createdAt: 'addedAt', updatedAt: false },
  );
  const EthicalWall = sequelize.define<EthicalWallInstance>(
    'EthicalWall',
    {
      caseId: { type: DataTypes.INTEGER, primaryKey: true },
      userId: { type: DataTypes.INTEGER, primaryKey: true },
      reason: { type: DataTypes.STRING(1000), allowNull: false, validate: text(1000) },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'ethical_walls', underscored: true, updatedAt: false },
  );
  return { Case, CaseCounter, CaseMember, EthicalWall };
}

export type CaseModel = ModelStatic<CaseInstance>;
