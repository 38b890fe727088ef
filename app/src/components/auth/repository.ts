import { toIso, toInt, type Database } from '../../db/database.js';

export interface RefreshTokenRow {
  id: number;
  userId: number;
  family: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

function toRow(row: Record<string, unknown>): RefreshTokenRow {
  return {
    id: toInt(row.id),
    userId: toInt(row.user_id),
    family: String(row.family),
    expiresAt: toIso(row.expires_at) ?? '',
    usedAt: toIso(row.used_at),
    revokedAt: toIso(row.revoked_at),
  };
}

export class RefreshTokenRepository {
  constructor(private readonly db: Database) {}

  async insert(input: { userId: number; family: string; hash: string; expiresAt: Date }): Promise<void> {
    await this.db.run(
      `INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at, created_at)
       VALUES (:userId, :family, :hash, :expiresAt, :now)`,
      { ...input, now: new Date() },
    );
  }

  async findByHash(hash: string): Promise<RefreshTokenRow | undefined> {
    const row = await this.db.one('SELECT * FROM refresh_tokens WHERE token_hash = :hash', { hash });
    return row && toRow(row);
  }

  /** Marks a token used, atomically: false when another request used (or revoked) it first. */
  async markUsed(id: number): Promise<boolean> {
    const rows = await this.db.all(
      'UPDATE refresh_tokens SET used_at = :now WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL RETURNING id',
      { id, now: new Date() },
    );
    return rows.length === 1;
  }

  async revokeFamily(family: string): Promise<void> {
    await this.db.run(
      'UPDATE refresh_tokens SET revoked_at = :now WHERE family = :family AND revoked_at IS NULL',
      {
        family,
        now: new Date(),
      },
    );
  }

  async revokeUser(userId: number): Promise<void> {
    await this.db.run(
      'UPDATE refresh_tokens SET revoked_at = :now WHERE user_id = :userId AND revoked_at IS NULL',
      {
        userId,
        now: new Date(),
      },
    );
  }
}
