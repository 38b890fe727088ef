import { toIso, type Database } from '../../db/database.js';
import type { Permission, Role } from './permissions.js';

export interface RefreshTokenRow {
  id: number;
  userId: number;
  family: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

/** Refresh tokens (sessions) and the role → permission table. */
export class AuthRepository {
  constructor(private readonly db: Database) {}

  private get tokens() {
    return this.db.models.RefreshToken;
  }

  async rolePermissions(): Promise<{ role: Role; permission: Permission }[]> {
    return this.db.models.RolePermission.findAll({ attributes: ['role', 'permission'], raw: true });
  }

  async insertRefreshToken(input: {
    userId: number;
    family: string;
    hash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.tokens.create({
      userId: input.userId,
      family: input.family,
      tokenHash: input.hash,
      expiresAt: input.expiresAt,
    });
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenRow | undefined> {
    const row = await this.tokens.findOne({ where: { tokenHash: hash }, raw: true });
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.userId,
      family: row.family,
      expiresAt: toIso(row.expiresAt) ?? '',
      usedAt: toIso(row.usedAt),
      revokedAt: toIso(row.revokedAt),
    };
  }

  /** Marks a token used, atomically: false when another request used (or revoked) it first. */
  async markUsed(id: number): Promise<boolean> {
    const [changed] = await this.tokens.update(
      { usedAt: new Date() },
      { where: { id, usedAt: null, revokedAt: null } },
    );
    return changed === 1;
  }

  async revokeFamily(family: string): Promise<void> {
    await this.tokens.update({ revokedAt: new Date() }, { where: { family, revokedAt: null } });
  }

  async revokeUser(userId: number): Promise<void> {
    await this.tokens.update({ revokedAt: new Date() }, { where: { userId, revokedAt: null } });
  }
}
