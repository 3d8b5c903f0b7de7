import type { Generated } from 'kysely';

/** Tables of the native authenticator's second factor, lockout and one-time links (003-auth). */
export interface AuthTotpTable {
  user_id: number;
  /** AES-256-GCM of the base32 secret: `v1.<iv>.<tag>.<ciphertext>` in base64url. */
  secret_enc: string;
  /** 0 while enrolment waits for the first correct code. */
  enabled: number;
  /** The last accepted 30-second step: a code of this step or earlier is a replay. */
  last_step: number;
  created_at: string;
}

export interface AuthRecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  /** sha256 of the code; the code itself is shown once. */
  hash: string;
  used_at: string | null;
}

export interface AuthAddressLockoutTable {
  address: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

export interface AuthTicketsTable {
  /** sha256 of the random ticket; the ticket itself is in a link or a cookie. */
  hash: string;
  purpose: 'setup' | 'enrol';
  user_id: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuthSignupInfoTable {
  user_id: number;
  tos_accepted_at: string | null;
  notified_at: string | null;
}

export interface AuthTables {
  auth_totp: AuthTotpTable;
  auth_recovery_codes: AuthRecoveryCodesTable;
  auth_address_lockout: AuthAddressLockoutTable;
  auth_tickets: AuthTicketsTable;
  auth_signup_info: AuthSignupInfoTable;
}
