import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

const ALGORITHM = 'HS256';

export interface AccessClaims {
  userId: number;
}

/** Short-lived HS256 access tokens (jose). Verification pins the algorithm, issuer and audience. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(private readonly config: Config['jwt']) {
    // Outside production a missing secret means an ephemeral key: tokens die with the process.
    this.key = config.secret === undefined ? randomBytes(32) : new TextEncoder().encode(config.secret);
  }

  async issue(userId: number, role: string): Promise<{ token: string; expiresIn: number }> {
    const token = await new SignJWT({ role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.config.accessTtlSeconds}s`)
      .sign(this.key);
    return { token, expiresIn: this.config.accessTtlSeconds };
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const userId = Number(payload.sub);
      if (!Number.isInteger(userId) || userId < 1)
        throw AppError.unauthorized('The access token has no valid subject.');
      return { userId };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired)
        throw AppError.unauthorized('The access token has expired; refresh it at POST /auth/refresh.');
      if (err instanceof errors.JOSEAlgNotAllowed)
        throw AppError.unauthorized(`The access token must be signed with ${ALGORITHM}.`);
      if (err instanceof errors.JWSSignatureVerificationFailed)
        throw AppError.unauthorized('The access token signature is not valid.');
      if (err instanceof errors.JWTClaimValidationFailed)
        throw AppError.unauthorized(`The access token claim '${err.claim}' is not valid.`);
      throw AppError.unauthorized('The access token is malformed.');
    }
  }
}

/** Opaque refresh tokens: 256 random bits, stored only as a SHA-256 hash. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
