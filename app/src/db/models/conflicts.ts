import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

export const CHECK_STATUSES = ['pending', 'cleared', 'waived'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface ConflictCheckAttributes {
  id: number;
  requestedBy: number;
  /** JSON text: the names checked. */
  names: string;
  hitCount: number;
  /** JSON text: every hit, unredacted. */
  hits: string;
  threshold: number;
  status: CheckStatus;
  reason: string | null;
  decidedBy: number | null;
  decidedAt: Date | null;
  claimedAt: Date | null;
  caseId: number | null;
  createdAt: Date;
}
type ConflictCheckCreation = Optional<
  ConflictCheckAttributes,
  'id' | 'status' | 'reason' | 'decidedBy' | 'decidedAt' | 'claimedAt' | 'caseId' | 'createdAt'
>;
export interface ConflictCheckInstance
  extends Model<ConflictCheckAttributes, ConflictCheckCreation>, ConflictCheckAttributes {}

/** Conflict checks with the hits found and the decision taken on them. */
export function defineConflictModels(sequelize: Sequelize) {
  const ConflictCheck = sequelize.define<ConflictCheckInstance>(
    'ConflictCheck',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      requestedBy: { type: DataTypes.INTEGER, allowNull: false },
      names: { type: DataTypes.TEXT, allowNull: false },
      hitCount: { type: DataTypes.INTEGER, allowNull: false, validate: { min: 0 } },
      hits: { type: DataTypes.TEXT, allowNull: false },
      threshold: { type: DataTypes.REAL, allowNull: false, validate: { min: 0.5, max: 1 } },
      status: {
        type: DataTypes.STRING(10),
        allowNull: false,
        defaultValue: 'pending',
        validate: { isIn: [CHECK_STATUSES] },
      },
      reason: { type: DataTypes.STRING(2000), allowNull: true, validate: { len: [1, 2000] } },
      decidedBy: { type: DataTypes.INTEGER, allowNull: true },
      decidedAt: { type: DataTypes.DATE, allowNull: true },
      claimedAt: { type: DataTypes.DATE, allowNull: true },
      caseId: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'conflict_checks', underscored: true, updatedAt: false },
  );
  return { ConflictCheck };
}

export type ConflictCheckModel = ModelStatic<ConflictCheckInstance>;
