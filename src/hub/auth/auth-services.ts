import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createAddressLockout,
  createOneTimeTickets,
  createSecretBox,
  createTwoFactorStore,
  type AddressLockout,
  type OneTimeTickets,
  type TwoFactorStore,
} from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import { loadAuthKey } from './auth-key.js';
import { createSignupNotifier, type SignupNotifier } from './signup-notifier.js';

/** What the native authenticator keeps beyond the user row: second factor, lockout, tickets, mail. */
export interface AuthServices {
  twoFactor: TwoFactorStore;
  addressLockout: AddressLockout;
  tickets: OneTimeTickets;
  notifier: SignupNotifier;
}

export function createAuthServices(deps: HubDeps): AuthServices {
  const dataDir = resolve(deps.config.hub.data_dir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = deps.database.db;
  return {
    twoFactor: createTwoFactorStore({ db, box: createSecretBox(loadAuthKey(dataDir)), clock: deps.clock, audit: deps.audit }),
    addressLockout: createAddressLockout({ db, clock: deps.clock }),
    tickets: createOneTimeTickets({ db, clock: deps.clock }),
    notifier: createSignupNotifier({ config: deps.config.authenticator.native.smtp, users: deps.users, logger: deps.logger, db }),
  };
}
