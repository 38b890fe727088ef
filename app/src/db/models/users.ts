import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';
import { ROLE_NAMES, type Permission, type Role } from '../../components/auth/permissions.js';

export interface RoleAttributes {
  name: Role;
  description: string;
}
export interface RoleInstance extends Model<RoleAttributes>, RoleAttributes {}

export interface PermissionAttributes {
  name: Permission;
  description: string;
}
export interface PermissionInstance extends Model<PermissionAttributes>, PermissionAttributes {}

export interface RolePermissionAttributes {
  role: Role;
  permission: Permission;
}
export interface RolePermissionInstance extends Model<RolePermissionAttributes>, RolePermissionAttributes {}

export interface UserAttributes {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  active: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
type UserCreation = Optional<
  UserAttributes,
  'id' | 'active' | 'failedLogins' | 'lockedUntil' | 'createdAt' | 'updatedAt'
>;
export interface UserInstance extends Model<UserAttributes, UserCreation>, UserAttributes {}

export interface RefreshTokenAttributes {
  id: number;
  userId: number;
  family: string;
  tokenHash: string;
  expiresAt: Date;
  createdAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}
type RefreshTokenCreation = Optional<RefreshTokenAttributes, 'id' | 'createdAt' | 'usedAt' | 'revokedAt'>;
export interface RefreshTokenInstance
  extends Model<RefreshTokenAttributes, RefreshTokenCreation>, RefreshTokenAttributes {}

/** Users, their roles and permissions, and their refresh tokens (one family per login session). */
export function defineUserModels(sequelize: Sequelize) {
  const Role = sequelize.define<RoleInstance>(
    'Role',
    {
      name: { type: DataTypes.STRING(32), primaryKey: true, validate: { isIn: [ROLE_NAMES] } },
      description: { type: DataTypes.STRING(200), allowNull: false },
    },
    { tableName: 'roles', timestamps: false },
  );
  const Permission = sequelize.define<PermissionInstance>(
    'Permission',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      description: { type: DataTypes.STRING(200), allowNull: false },
    },
    { tableName: 'permissions', timestamps: false },
  );
  const RolePermission = sequelize.define<RolePermissionInstance>(
    'RolePermission',
    {
      role: { type: DataTypes.STRING(32), primaryKey: true },
      permission: { type: DataTypes.STRING(64), primaryKey: true },
    },
    { tableName: 'role_permissions', timestamps: false },
  );
  const User = sequelize.define<UserInstance>(
    'User',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      email: {
        type: DataTypes.STRING(254),
        allowNull: false,
        unique: true,
        validate: { isEmail: true, len: [3, 254] },
      },
      name: { type: DataTypes.STRING(200), allowNull: false, validate: { len: [1, 200] } },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      role: { type: DataTypes.STRING(32), allowNull: false, validate: { isIn: [ROLE_NAMES] } },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      failedLogins: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
      lockedUntil: { type: DataTypes.DATE, allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'users', underscored: true },
  );
  const RefreshToken = sequelize.define<RefreshTokenInstance>(
    'RefreshToken',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      family: { type: DataTypes.STRING(64), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      usedAt: { type: DataTypes.DATE, allowNull: true },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'refresh_tokens', underscored: true, updatedAt: false },
  );
  Role.belongsToMany(Permission, { through: RolePermission, foreignKey: 'role', otherKey: 'permission' });
  User.belongsTo(Role, { foreignKey: 'role', targetKey: 'name', as: 'roleOf', constraints: false });
  User.hasMany(RefreshToken, { foreignKey: 'userId', as: 'refreshTokens' });
  RefreshToken.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  return { Role, Permission, RolePermission, User, RefreshToken };
}

export type UserModel = ModelStatic<UserInstance>;
export type RefreshTokenModel = ModelStatic<RefreshTokenInstance>;
