import argon2 from 'argon2';
import type { Config } from '../../config.js';

/** argon2id with the configured cost. A dummy hash lets unknown e-mails cost as much time as known ones. */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly cost: Config['argon2']) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.cost });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Burns the same work as a real verification, for an e-mail that has no account. */
  async verifyNothing(password: string): Promise<void> {
    this.dummy ??= this.hash('not-a-real-password-for-timing-only');
    await this.verify(await this.dummy, password);
  }
}
