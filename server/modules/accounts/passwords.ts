/**
 * Password hashing with argon2id (`Bun.password`). Passwords never leave this module except as
 * hashes. A verification against an account that has no password still costs one verification,
 * so an unknown email answers in the time a wrong password does.
 */
import type { PasswordHashCost } from '../../config.ts';

/** Bun's defaults (64 MiB, 2 passes), or the least it allows (8 KiB, 1 pass: tests and benchmarks only). */
const COSTS: Record<PasswordHashCost, { memoryCost?: number; timeCost?: number }> = {
  default: {},
  low: { memoryCost: 8, timeCost: 1 },
};

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

/** Hashes and verifies passwords at one configured cost. */
export class PasswordHasher {
  private readonly options: Bun.Password.Argon2Algorithm;
  /** A hash of a random password, verified against when there is no real hash to check. */
  private readonly dummy: Promise<string>;

  constructor(cost: PasswordHashCost) {
    this.options = { algorithm: 'argon2id', ...COSTS[cost] };
    this.dummy = Bun.password.hash(crypto.randomUUID(), this.options);
  }

  hash(password: string): Promise<string> {
    return Bun.password.hash(password, this.options);
  }

  /** Whether `password` matches `hash`; with no hash, spends the same time and says no. */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null) {
      await Bun.password.verify(password, await this.dummy);
      return false;
    }
    try {
      return await Bun.password.verify(password, hash);
    } catch {
      return false; // a hash this build cannot read: no way in, rather than a 500
    }
  }
}
