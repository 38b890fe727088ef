import { Op, literal } from 'sequelize';
import { toIso, type Database } from '../../db/database.js';
import type { UserAttributes } from '../../db/models/users.js';
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

/** A user row as Sequelize returns it raw (SQLite: booleans as 0/1, dates as text). */
function toUser(row: UserAttributes): UserWithHash {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    active: Boolean(row.active),
    failedLogins: Number(row.failedLogins),
    lockedUntil: toIso(row.lockedUntil),
    createdAt: toIso(row.createdAt) ?? '',
    updatedAt: toIso(row.updatedAt) ?? '',
    passwordHash: row.passwordHash,
  };
}

export function withoutHash(user: UserWithHash): User {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

export class UserRepository {
  constructor(private readonly db: Database) {}

  private get users() {
    return this.db.models.User;
  }

  async count(): Promise<number> {
    return this.users.count();
  }

  async findById(id: number): Promise<UserWithHash | undefined> {
    const row = await this.users.findByPk(id, { raw: true });
    return row ? toUser(row) : undefined;
  }

  /**
   * The user of an access token and whether its session (refresh-token family) is still open — some token of
   * the family not revoked: logout, a detected reuse and deactivation revoke them all — in one query.
   */
  async findInSession(
    id: number,
    sessionId: string,
  ): Promise<(UserWithHash & { sessionOpen: boolean }) | undefined> {
    const family = this.db.sequelize.escape(sessionId);
    const open = literal(
      `EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.user_id = "User"."id" AND r.family = ${family} AND r.revoked_at IS NULL)`,
    );
    const row = await this.users.findByPk(id, {
      attributes: { include: [[open, 'sessionOpen']] },
      raw: true,
    });
    if (!row) return undefined;
    return { ...toUser(row), sessionOpen: Boolean((row as unknown as { sessionOpen: unknown }).sessionOpen) };
  }

  async findByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.users.findOne({ where: { email: email.toLowerCase() }, raw: true });
    return row ? toUser(row) : undefined;
  }

  async list(afterId: number, limit: number): Promise<User[]> {
    const rows = await this.users.findAll({
      where: { id: { [Op.gt]: afterId } },
      order: [['id', 'ASC']],
      limit,
      raw: true,
    });
    return rows.map((r) => withoutHash(toUser(r)));
  }

  async create(input: { email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
    // In a savepoint: a unique violation (the address taken meanwhile) must not end the caller's transaction.
    const user = await this.db.savepoint(() =>
      this.users.create({ ...input, email: input.email.toLowerCase() }),
    );
    return withoutHash(toUser(user.get({ plain: true })));
  }

  async update(
    id: number,
    changes: { name?: string | undefined; role?: Role | undefined; active?: boolean | undefined },
  ): Promise<User | undefined> {
    const values: Partial<UserAttributes> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.role !== undefined) values.role = changes.role;
    if (changes.active !== undefined) values.active = changes.active;
    if (changes.active === true) Object.assign(values, { failedLogins: 0, lockedUntil: null });
    return this.db.transaction(async () => {
      const user = await this.users.findByPk(id);
      if (!user) return undefined;
      // A PATCH that repeats the current values still counts as a change: updated_at moves on.
      user.set(values);
      user.changed('updatedAt', true);
      await user.save();
      return withoutHash(toUser(user.get({ plain: true })));
    });
  }

  /** Counts a failed login and locks the account once `maxFailures` is reached. Returns the new state. */
  async recordFailure(
    id: number,
    maxFailures: number,
    lockUntil: Date,
  ): Promise<{ failedLogins: number; locked: boolean }> {
    return this.db.transaction(async () => {
      // One UPDATE counts, so concurrent failures are all counted.
      await this.users.update(
        { failedLogins: literal('failed_logins + 1') as unknown as number },
        { where: { id }, silent: true },
      );
      const user = await this.users.findByPk(id, { attributes: ['failedLogins'], raw: true });
      const failedLogins = Number(user?.failedLogins ?? 0);
      const locked = failedLogins >= maxFailures;
      if (locked) await this.users.update({ lockedUntil: lockUntil }, { where: { id }, silent: true });
      return { failedLogins, locked };
    });
  }

  async resetFailures(id: number): Promise<void> {
    await this.users.update({ failedLogins: 0, lockedUntil: null }, { where: { id }, silent: true });
  }
}
