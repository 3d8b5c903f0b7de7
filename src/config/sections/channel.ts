import { z } from 'zod';
import { channelPolicySection } from './channel-policy.js';
import { describe, httpUrl, urlPrefix } from './fields.js';

export const channelSection = z
  .strictObject({
    bind_url: describe(httpUrl.default('http://127.0.0.1:8100'), {
      description: 'URL the package channel listens on.',
    }),
    base_path: describe(urlPrefix.default('/'), {
      description: 'Path prefix of the channel, e.g. /channel/ when mounted under the hub.',
    }),
    data_dir: describe(z.string().min(1).default('./data/channel'), {
      description: 'Directory for uploaded files (content-addressed) and channel state.',
    }),
    require_auth: describe(z.boolean().default(false), {
      description:
        'Require a token with the channel:read scope to read the index and download files (HTTP Basic with user __token__, or "Authorization: token …"). Off means anonymous read access.',
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
  })
  .prefault({});
