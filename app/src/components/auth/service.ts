import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { UserRepository, User, UserWithHash } from '../users/repository.js';
import { withoutHash } from '../users/repository.js';
import type { PasswordHasher } from './passwords.js';
import { ROLE_PERMISSIONS, type Permission, type Role } from './permissions.js';
import type { LoginProtection } from './rate-limit.js';
import type { AuthRepository } from './repository.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.js';

export interface AuthUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

/** A login whose credentials were checked, waiting to be recorded. */
export interface CheckedLogin {
  user: UserWithHash;
  passwordMatches: boolean;
}

const INVALID_LOGIN =
  'The e-mail address or password is not correct, or the account is locked or deactivated.';

export class AuthService {
  private permissions: Promise<Map<Role, Set<Permission>>> | undefined;

  constructor(
    private readonly config: Config,
    private readonly users: UserRepository,
    private readonly repository: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly limiter: LoginProtection,
  ) {}

  /** Role → permissions, read once from the role_permissions table (seeded by the first migration). */
  async can(role: Role, permission: Permission): Promise<boolean> {
    this.permissions ??= this.repository
      .rolePermissions()
      .then((rows) => {
        const map = new Map<Role, Set<Permission>>();
        for (const row of rows) map.set(row.role, (map.get(row.role) ?? new Set()).add(row.permission));
        return map;
      })
      .catch((err: unknown) => {
        this.permissions = undefined;
        throw err;
      });
    const map = await this.permissions;
    return map.get(role)?.has(permission) ?? ROLE_PERMISSIONS[role].includes(permission);
  }

  /**
   * Bearer token → the current, active user (role read from the database, so changes apply at once) of a
   * session that is still open: a token of a session ended by logout or by a reused refresh token is refused
   * at once, not when it expires.
   */
  async authenticate(header: string | undefined): Promise<AuthUser> {
    if (header === undefined || header === '')
      throw AppError.unauthorized('Send an access token: Authorization: Bearer <token>.');
    const match = /^Bearer +([A-Za-z0-9_\-.]+)$/i.exec(header);
    if (!match) throw AppError.unauthorized("The Authorization header must be 'Bearer <token>'.");
    const { userId, sessionId } = await this.accessTokens.verify(match[1]!);
    const user = await this.users.findInSession(userId, sessionId);
    if (!user) throw AppError.unauthorized('The user of this access token does not exist.');
    if (!user.active) throw AppError.unauthorized('The user of this access token is deactivated.');
    if (!user.sessionOpen)
      throw Object.assign(
        AppError.unauthorized('The session of this access token has ended; log in again.'),
        {
          reason: 'session-ended',
        },
      );
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }

  /**
   * The costly half of a login, which must not hold a transaction: the rate limits, the account and the
   * argon2 verification. Unknown, deactivated and (from addresses it has not signed in from) locked accounts
   * are refused here; a wrong password is only noted, for `completeLogin` to count.
   */
  async checkCredentials(
    email: string,
    password: string,
    ip: string,
    note: (actorId: number) => void,
  ): Promise<CheckedLogin> {
    await this.limiter.admit(ip, email);
    const refuse = async (reason?: string) => {
      await this.hasher.verifyNothing(password);
      await this.limiter.failed(ip, email);
      return Object.assign(AppError.unauthorized(INVALID_LOGIN), reason ? { reason } : {});
    };
    const user = await this.users.findByEmail(email);
    if (!user) throw await refuse();
    note(user.id);
    if (!user.active) throw await refuse('deactivated');
    const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();
    if (locked && !(await this.limiter.isKnownAddress(ip, email))) throw await refuse('locked');
    const passwordMatches = await this.hasher.verify(user.passwordHash, password);
    if (passwordMatches) await this.limiter.succeeded(ip, email);
    else await this.limiter.failed(ip, email);
    return { user, passwordMatches };
  }

  /** The writing half of a login: counts a wrong password (and refuses), or opens a session. */
  async completeLogin({ user, passwordMatches }: CheckedLogin): Promise<{ user: User; tokens: TokenPair }> {
    if (!passwordMatches) {
      const lockUntil = new Date(Date.now() + this.config.login.lockoutSeconds * 1000);
      const state = await this.users.recordFailure(user.id, this.config.login.maxFailures, lockUntil);
      throw Object.assign(AppError.unauthorized(INVALID_LOGIN), {
        reason: state.locked ? 'locked-now' : 'bad-password',
      });
    }
    if (user.failedLogins > 0 || user.lockedUntil !== null) await this.users.resetFailures(user.id);
    const tokens = await this.issue(user.id, user.role, randomUUID());
    return { user: withoutHash(user), tokens };
  }

  /**
   * Rotates a refresh token: the presented one is spent and a new one of the same family issued. A spent
   * or revoked token presented again means it leaked: the whole family is revoked.
   */
  async refresh(token: string, note: (actorId: number) => void): Promise<TokenPair> {
    const row = await this.repository.findRefreshToken(hashRefreshToken(token));
    if (!row) throw AppError.unauthorized('The refresh token is not valid.');
    note(row.userId);
    if (row.usedAt !== null || row.revokedAt !== null) {
      await this.repository.revokeFamily(row.family);
      throw Object.assign(
        AppError.unauthorized(
          'The refresh token was already used or revoked; every session of its family is now revoked.',
        ),
        {
          reason: 'reuse',
        },
      );
    }
    if (Date.parse(row.expiresAt) <= Date.now())
      throw AppError.unauthorized('The refresh token has expired; log in again.');
    if (!(await this.repository.markUsed(row.id))) {
      await this.repository.revokeFamily(row.family);
      throw Object.assign(
        AppError.unauthorized(
          'The refresh token was already used; every session of its family is now revoked.',
        ),
        {
          reason: 'reuse',
        },
      );
    }
    const user = await this.users.findById(row.userId);
    if (!user || !user.active) {
      await this.repository.revokeFamily(row.family);
      throw AppError.unauthorized('The user of this refresh token is deactivated.');
    }
    return this.issue(user.id, user.role, row.family);
  }

  /** Revokes the session (refresh-token family) the token belongs to. Unknown tokens are ignored. */
  async logout(token: string, note: (actorId: number) => void): Promise<void> {
    const row = await this.repository.findRefreshToken(hashRefreshToken(token));
    if (!row) return;
    note(row.userId);
    await this.repository.revokeFamily(row.family);
  }

  private async issue(userId: number, role: Role, family: string): Promise<TokenPair> {
    const access = await this.accessTokens.issue(userId, role, family);
    const refresh = newRefreshToken();
    const ttl = this.config.jwt.refreshTtlSeconds;
    await this.repository.insertRefreshToken({
      userId,
      family,
      hash: refresh.hash,
      expiresAt: new Date(Date.now() + ttl * 1000),
    });
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken: refresh.token,
      refreshExpiresIn: ttl,
    };
  }
}
