import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { BoundedMap } from '../../bounded-map.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { MAX_ID } from '../../http/validation.js';

const ALGORITHM = 'HS256';
/** Clock difference tolerated between the instance that issued a token and the one checking it. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessClaims {
  userId: number;
  /** The session (refresh-token family) the token was issued to: it dies with the session. */
  sessionId: string;
}

/** Session ids are the UUIDs of refresh-token families. */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Verified tokens remembered at most; a token is a few hundred bytes, so this stays under a few MB. */
const VERIFIED_CACHE = 10_000;

/**
 * Short-lived HS256 access tokens (jose). Verification pins the algorithm, issuer and audience.
 * A token that verified once is remembered until it expires: the same bytes carry the same valid
 * signature, so a client's next request skips the HMAC and JSON parsing. Whether its user is still
 * active and its session (`sid`) still open is checked on every request by the caller, not here.
 */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly verified = new BoundedMap<string, AccessClaims & { expiresAt: number }>(VERIFIED_CACHE);

  constructor(private readonly config: Config['jwt']) {
    // Outside production a missing secret means an ephemeral key: tokens die with the process.
    this.key = config.secret === undefined ? randomBytes(32) : new TextEncoder().encode(config.secret);
  }

  async issue(
    userId: number,
    role: string,
    sessionId: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const token = await new SignJWT({ role, sid: sessionId })
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
    const known = this.verified.get(token);
    if (known !== undefined && known.expiresAt > Date.now())
      return { userId: known.userId, sessionId: known.sessionId };
    if (known !== undefined) this.verified.delete(token);
    const claims = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return { userId: claims.userId, sessionId: claims.sessionId };
  }

  protected async verifySignature(token: string): Promise<AccessClaims & { expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      // No token is issued ahead of time; the tolerance covers clocks of instances that differ a little.
      if (payload.iat! > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS)
        throw AppError.unauthorized('The access token was issued in the future (iat); check the clocks.');
      // The subject is an id written in decimal digits, no more: `0x1`, `1e0` or ` 1` are not ids.
      const sub = payload.sub!;
      const userId = /^[1-9]\d{0,9}$/.test(sub) ? Number(sub) : NaN;
      // A subject no user id column can hold is refused here, before it reaches a query.
      if (!(userId <= MAX_ID)) throw AppError.unauthorized('The access token has no valid subject.');
      if (typeof payload.sid !== 'string' || !SESSION_ID.test(payload.sid))
        throw AppError.unauthorized('The access token names no session; log in again.');
      return { userId, sessionId: payload.sid, expiresAt: payload.exp! * 1000 };
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
