import type { Kysely } from 'kysely';
import type { BulwarkConfig } from '../../config/index.js';
import type { User, UserStore } from '../../identity/index.js';
import type { Logger } from '../../log/index.js';
import type { Tables } from '../../storage/index.js';
import { sendMail } from './smtp-client.js';

export interface SignupNotifier {
  /** Tells admins about a new signup; never throws (a mail failure is logged, the signup stands). */
  notify(user: User, approveUrl: string): Promise<void>;
}

type SmtpConfig = BulwarkConfig['authenticator']['native']['smtp'];

export function createSignupNotifier(deps: { config: Readonly<SmtpConfig>; users: UserStore; logger: Logger; db: Kysely<Tables> }): SignupNotifier {
  const { config } = deps;
  return {
    async notify(user, approveUrl) {
      if (config.host === null) return;
      const admins = (await deps.users.list()).filter((u) => u.admin && u.email !== null).map((u) => u.email ?? '');
      const to = [...new Set([...config.notify_on_signup, ...admins])];
      if (to.length === 0) return;
      const text = [
        `A new account is waiting on the hub: ${user.name}${user.email ? ` <${user.email}>` : ''}.`,
        user.authorized ? 'It was authorized at signup (open_signup is on).' : `Authorize or discard it at ${approveUrl}`,
        '',
        'This message was sent by Bulwark because authenticator.native.smtp.host is set.',
      ].join('\n');
      try {
        await sendMail({ host: config.host, port: config.port, timeoutSeconds: config.timeout_seconds }, { from: config.from, to, subject: `New signup: ${user.name}`, text });
        await deps.db.insertInto('auth_signup_info').values({ user_id: user.id, tos_accepted_at: null, notified_at: new Date().toISOString() })
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ notified_at: new Date().toISOString() }))
          .execute();
      } catch (error) {
        deps.logger.warn({ err: error, user: user.name }, 'could not send the new-signup notice');
      }
    },
  };
}
