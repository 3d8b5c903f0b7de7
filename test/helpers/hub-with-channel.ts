import { createHash } from 'node:crypto';
import type { ChannelContext } from '../../src/channel/channel-context.js';
import { cliActor, type Logger } from '../../src/log/index.js';
import type { HubHandle } from '../../src/server/hub-server.js';
import { startTestPlatform } from './test-platform.js';

export interface HubWithChannel {
  hub: { handle: HubHandle };
  url: string;
  /** `<hub url>/channel/` */
  channelUrl: string;
  context: ChannelContext;
  /** Uploads a wheel over twine's API with a channel:publish token of an admin; returns the file's state. */
  upload(wheel: { filename: string; bytes: Buffer }): Promise<string>;
  close(): Promise<void>;
}

/**
 * `bulwark up`'s platform (test/helpers/test-platform.ts) with an upload shortcut: one database
 * and one identity store, the channel app mounted at /channel/ on the hub's listener and the
 * channel's review in the hub's admin area. Vetting is required, so uploads wait for an approver.
 */
export async function startHubWithChannel(settings: Record<string, unknown> = {}, logger?: Logger): Promise<HubWithChannel> {
  const platform = await startTestPlatform({ 'channel.policy.require_vetting': true, ...settings }, logger);
  const hub = { handle: platform.handle.hub };
  let token: string | undefined;
  const channelUrl = platform.channelUrl;
  return {
    hub,
    url: platform.url,
    channelUrl,
    context: platform.handle.channel.context,
    async upload(wheel) {
      if (token === undefined) {
        const publisher = await hub.handle.services.users.create({ name: 'uploader', admin: true, authorized: true }, cliActor);
        token = (await hub.handle.services.tokens.create({ owner: publisher, scopes: ['channel:publish'], note: 'test upload' }, cliActor)).token;
      }
      const form = new FormData();
      form.append(':action', 'file_upload');
      form.append('sha256_digest', createHash('sha256').update(wheel.bytes).digest('hex'));
      form.append('content', new Blob([wheel.bytes]), wheel.filename);
      const response = await fetch(`${channelUrl}legacy/`, { method: 'POST', body: form, headers: { authorization: `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}` } });
      const body = (await response.json()) as { state?: string; message?: string };
      if (response.status !== 200 || body.state === undefined) throw new Error(`upload of ${wheel.filename} failed: ${response.status} ${JSON.stringify(body)}`);
      return body.state;
    },
    close: () => platform.close(),
  };
}
