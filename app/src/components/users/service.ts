import { isUniqueViolation } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { Page } from '../../http/cursor.js';
import type { AuthRepository } from '../auth/repository.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { AuthUser } from '../auth/service.js';
import type { Role } from '../auth/permissions.js';
import type { CaseRepository } from '../cases/repository.js';
import type { User, UserRepository } from './repository.js';

/** A user ready to be stored: its password already hashed. */
export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

const taken = (email: string) =>
  new AppError(409, 'Conflict', `A user with the e-mail address '${email.toLowerCase()}' already exists.`, [
    { field: 'body.email', message: 'already in use' },
  ]);

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly walls: Pick<CaseRepository, 'inheritWalls' | 'isWalledBy'>,
  ) {}

  async me(caller: AuthUser): Promise<User> {
    const user = await this.users.findById(caller.id);
    if (!user) throw AppError.unauthorized('The user of this access token does not exist.');
    const { passwordHash: _hash, ...rest } = user;
    return rest;
  }

  async list(afterId: number, limit: number): Promise<Page<User>> {
    const rows = await this.users.list(afterId, limit + 1);
    return { data: rows.slice(0, limit), more: rows.length > limit };
  }

  /** The costly half of creating a user, before any transaction: the address is free, the password hashed. */
  async prepare(input: { email: string; name: string; role: Role; password: string }): Promise<NewUser> {
    if (await this.users.findByEmail(input.email)) throw taken(input.email);
    const passwordHash = await this.hasher.hash(input.password);
    return { email: input.email, name: input.name, role: input.role, passwordHash };
  }

  /**
   * Stores a prepared user. Walls follow the person: the new account inherits every wall on its creator, so a
   * walled administrator cannot reach a case through an account of their own making.
   */
  async create(creator: AuthUser, input: NewUser): Promise<{ user: User; inheritedWalls: number[] }> {
    let user: User;
    try {
      user = await this.users.create(input);
    } catch (err) {
      // Two requests for one address both pass the check in prepare; the unique constraint decides.
      if (isUniqueViolation(err)) throw taken(input.email);
      throw err;
    }
    return { user, inheritedWalls: await this.walls.inheritWalls(creator.id, user.id) };
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
    // Walls follow the person: who is walled off cannot demote or deactivate whoever placed the wall.
    if (
      (changes.role !== undefined || changes.active !== undefined) &&
      (await this.walls.isWalledBy(caller.id, id))
    ) {
      throw Object.assign(
        AppError.forbidden(
          `You may not change the role or the state of user ${id}; ask another administrator.`,
        ),
        { reason: 'ethical-wall' },
      );
    }
    const user = await this.users.update(id, changes);
    if (!user) throw AppError.notFound(`No user with id '${id}'.`);
    if (changes.active === false) await this.sessions.revokeUser(id);
    return user;
  }
}
