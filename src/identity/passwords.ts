import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/** argon2id with OWASP's second recommended profile (19 MiB, 2 passes): about 50 ms here. */
const argon2Options = { algorithm: 2 /* Algorithm.Argon2id; a const enum, which isolated modules cannot import */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash is from an older scheme (bcrypt import) and should be replaced. */
  needsRehash: boolean;
}

/**
 * Verifies against argon2id hashes and against bcrypt hashes of accounts imported from
 * nativeauthenticator, which the caller re-hashes on the next successful login.
 */
export async function verifyPassword(stored: string, password: string): Promise<PasswordCheck> {
  if (stored.startsWith('$argon2')) {
    try {
      return { ok: await verify(stored, password), needsRehash: false };
    } catch {
      return { ok: false, needsRehash: false };
    }
  }
  if (/^\$2[abxy]\$/.test(stored)) {
    const ok = await bcrypt.compare(password, stored);
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}

/** A hash to verify against when the user does not exist, so timing does not reveal which names exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('bulwark-dummy-password-for-timing');
  return dummyHash;
}
