import { isUniqueViolation } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { AuthRepository } from '../auth/repository.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { AuthUser } from '../auth/service.js';
import type { Role } from '../auth/permissions.js';
import type { User, UserRepository } from './repository.js';

export function userEtag(user: User): string {
  return `"user-${user.id}-${Date.parse(user.updatedAt)}"`;
}

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: AuthRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async me(caller: AuthUser): Promise<User> {
    const user = await this.users.findById(caller.id);
    if (!user) throw AppError.unauthorized('The user of this access token does not exist.');
    const { passwordHash: _hash, ...rest } = user;
    return rest;
  }

  async list(afterId: number, limit: number): Promise<{ data: User[]; nextCursor: string | null }> {
    const rows = await this.users.list(afterId, limit + 1);
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > limit && last ? String(last.id) : null };
  }

  async create(input: { email: string; name: string; role: Role; password: string }): Promise<User> {
    const taken = () =>
      new AppError(
        409,
        'Conflict',
        `A user with the e-mail address '${input.email.toLowerCase()}' already exists.`,
        [{ field: 'body.email', message: 'already in use' }],
      );
    if (await this.users.findByEmail(input.email)) throw taken();
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.users.create({
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
      });
    } catch (err) {
      // Two requests for one address both pass the check above; the unique constraint decides.
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }

  async update(
    caller: AuthUser,
    id: number,
    changes: { name?: string | undefined; role?: Role | undefined; active?: boolean | undefined },
  ): Promise<User> {
    if (
      id === caller.id &&
      (changes.active === false || (changes.role !== undefined && changes.role !== 'admin'))
    ) {
      throw new AppError(
        409,
        'Conflict',
        'Administrators cannot deactivate or demote themselves; ask another administrator.',
      );
    }
    const user = await this.users.update(id, changes);
    if (!user) throw AppError.notFound(`No user with id '${id}'.`);
    if (changes.active === false) await this.sessions.revokeUser(id);
    return user;
  }
}
