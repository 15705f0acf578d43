import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MIN_LENGTH } from '@custodian/shared';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Passwords: argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane). Must stay true: a sign-in
 * for an unknown email costs one verification too, so timing does not tell which emails exist.
 */
const ARGON2_OPTIONS = {
  algorithm: 2 /* argon2id */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

@Injectable()
export class PasswordService {
  private readonly dummyHash = hash('not a real password, only spent time', ARGON2_OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? (await this.dummyHash), password);
    } catch {
      return false;
    }
  }

  /** Why a new password is not acceptable, or null when it is. */
  weakness(password: string, email?: string): string | null {
    if (password.length < PASSWORD_MIN_LENGTH) {
      return `password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
    }
    if (password.length > 256) return 'password must be at most 256 characters long';
    const lower = password.toLowerCase();
    if (COMMON_PASSWORDS.has(lower)) return 'password is on a list of commonly used passwords';
    const local = email?.split('@')[0]?.toLowerCase();
    if (local && local.length >= 4 && lower.includes(local))
      return 'password must not contain the email address';
    if (new Set(password).size < 5) return 'password repeats too few different characters';
    return null;
  }
}
