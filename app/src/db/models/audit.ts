import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

export const OUTCOMES = ['success', 'denied', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AuditEventAttributes {
  id: number;
  occurredAt: Date;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  outcome: Outcome;
  status: number;
  requestId: string | null;
  ip: string | null;
  /** JSON text. */
  details: string | null;
}
export interface AuditEventInstance
  extends Model<AuditEventAttributes, Optional<AuditEventAttributes, 'id'>>, AuditEventAttributes {}

/** The audit trail: append-only (triggers refuse UPDATE and DELETE), so no timestamps of Sequelize's own. */
export function defineAuditModels(sequelize: Sequelize) {
  const AuditEvent = sequelize.define<AuditEventInstance>(
    'AuditEvent',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      occurredAt: { type: DataTypes.DATE, allowNull: false },
      actorId: { type: DataTypes.INTEGER, allowNull: true },
      action: { type: DataTypes.STRING(64), allowNull: false, validate: { len: [1, 64] } },
      entity: { type: DataTypes.STRING(32), allowNull: false, validate: { len: [1, 32] } },
      entityId: { type: DataTypes.STRING(64), allowNull: true, validate: { len: [0, 64] } },
      outcome: { type: DataTypes.STRING(10), allowNull: false, validate: { isIn: [OUTCOMES] } },
      status: { type: DataTypes.INTEGER, allowNull: false },
      requestId: { type: DataTypes.STRING(128), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      details: { type: DataTypes.TEXT, allowNull: true },
    },
    { tableName: 'audit_events', underscored: true, timestamps: false },
  );
  return { AuditEvent };
}

export type AuditEventModel = ModelStatic<AuditEventInstance>;
