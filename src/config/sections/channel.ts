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
    policy: channelPolicySection,
  })
  .prefault({});
