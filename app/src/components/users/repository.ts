import { toBool, toIso, toInt, type Database } from '../../db/database.js';
import type { Role } from '../auth/permissions.js';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

function toUser(row: Record<string, unknown>): UserWithHash {
  return {
    id: toInt(row.id),
    email: String(row.email),
    name: String(row.name),
    role: row.role as Role,
    active: toBool(row.active),
    failedLogins: toInt(row.failed_logins),
    lockedUntil: toIso(row.locked_until),
    createdAt: toIso(row.created_at) ?? '',
    updatedAt: toIso(row.updated_at) ?? '',
    passwordHash: String(row.password_hash),
  };
}

export function withoutHash(user: UserWithHash): User {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

export class UserRepository {
  constructor(private readonly db: Database) {}

  async count(): Promise<number> {
    const row = await this.db.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM users');
    return toInt(row?.n ?? 0);
  }

  async findById(id: number): Promise<UserWithHash | undefined> {
    const row = await this.db.one('SELECT * FROM users WHERE id = :id', { id });
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.db.one('SELECT * FROM users WHERE email = :email', { email: email.toLowerCase() });
    return row && toUser(row);
  }

  async list(afterId: number, limit: number): Promise<User[]> {
    const rows = await this.db.all('SELECT * FROM users WHERE id > :afterId ORDER BY id LIMIT :limit', {
      afterId,
      limit,
    });
    return rows.map((r) => withoutHash(toUser(r)));
  }

  async create(input: { email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
    const now = new Date();
    const row = await this.db.one(
      `INSERT INTO users (email, name, password_hash, role, active, failed_logins, created_at, updated_at)
       VALUES (:email, :name, :passwordHash, :role, :active, 0, :now, :now) RETURNING *`,
      { ...input, email: input.email.toLowerCase(), active: true, now },
    );
    return withoutHash(toUser(row!));
  }

  async update(
    id: number,
    changes: { name?: string | undefined; role?: Role | undefined; active?: boolean | undefined },
  ): Promise<User | undefined> {
    const sets: string[] = ['updated_at = :now'];
    const params: Record<string, unknown> = { id, now: new Date() };
    for (const key of ['name', 'role', 'active'] as const) {
      if (changes[key] === undefined) continue;
      sets.push(`${key} = :${key}`);
      params[key] = changes[key];
    }
    if (changes.active === true) sets.push('failed_logins = 0', 'locked_until = NULL');
    const row = await this.db.one(`UPDATE users SET ${sets.join(', ')} WHERE id = :id RETURNING *`, params);
    return row && withoutHash(toUser(row));
  }

  /** Counts a failed login and locks the account once `maxFailures` is reached. Returns the new state. */
  async recordFailure(
    id: number,
    maxFailures: number,
    lockUntil: Date,
  ): Promise<{ failedLogins: number; locked: boolean }> {
    const row = await this.db.one<{ failed_logins: unknown; locked_until: unknown }>(
      `UPDATE users SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= :maxFailures THEN :lockUntil ELSE locked_until END
       WHERE id = :id RETURNING failed_logins, locked_until`,
      { id, maxFailures, lockUntil },
    );
    const failedLogins = toInt(row?.failed_logins ?? 0);
    return { failedLogins, locked: failedLogins >= maxFailures };
  }

  async resetFailures(id: number): Promise<void> {
    await this.db.run('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = :id', { id });
  }
}
