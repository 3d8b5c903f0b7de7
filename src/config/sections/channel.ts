import { z } from 'zod';
import { channelPolicySection } from './channel-policy.js';
import { describe, httpUrl, urlPrefix } from './fields.js';
import { tlsSection } from './tls.js';

export const channelSection = z
  .strictObject({
    bind_url: describe(httpUrl.default('http://127.0.0.1:8100'), {
      description: 'URL the package channel listens on.',
    }),
    base_path: describe(urlPrefix.default('/'), {
      description: 'Path prefix of the channel, e.g. /channel/ when mounted under the hub.',
    }),
    data_dir: describe(z.string().min(1).default('./data/channel'), {
      description: 'Directory for uploaded files (content-addressed) and channel state; unless set, <hub.data_dir>/channel.',
    }),
    public_url: describe(httpUrl.nullable().default(null), {
      description:
        'URL clients use for the channel, written into published release documents (requirements files, pylock). Unset: channel.bind_url + base_path; under `bulwark up` set it to <hub URL>/channel/.',
    }),
    separate_listener: describe(z.boolean().default(false), {
      description:
        'Under `bulwark up`, also serve the channel on channel.bind_url (its own port), besides <hub.base_url>channel/ on the hub listener.',
    }),
    require_auth: describe(z.boolean().default(false), {
      description:
        'Require a token with the channel:read scope to read the index and download files (HTTP Basic with user __token__, or "Authorization: token \u2026"). Every hub account holds channel:read (built-in user role), and under `bulwark up` each notebook server\'s pip uses that server\'s own token. Off means anonymous read access.',
    }),
    insecure_http: describe(z.boolean().default(false), {
      description: 'Allow plain HTTP on a non-loopback address. Publisher tokens would cross the network in clear.',
    }),
    index_max_age: describe(z.number().int().nonnegative().default(60), {
      description:
        'Cache-Control max-age of index pages (seconds). pip 26.2+ honours it, so a newly approved file may stay invisible this long; keep it short.',
    }),
    max_upload_size: describe(z.number().int().positive().default(1024 * 1024 * 1024), {
      description: 'Largest file an upload may carry (bytes); bigger uploads are refused with 413 and leave nothing behind.',
    }),
    verify_interval_hours: describe(z.number().nonnegative().default(24), {
      description:
        'How often `channel serve` re-hashes stored files to detect corruption (hours); 0 turns the schedule off (`bulwark channel fsck` still works).',
    }),
    policy: channelPolicySection,
    /** The standalone channel's own TLS (`channel serve` with an https bind_url); the same keys as hub.tls. */
    tls: tlsSection,
  })
  .prefault({});
