import { html, type SafeHtml } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import { APPROVED_INDEX, channelPageUrl } from '../servers/package-channel-link.js';

/**
 * The home page's line about where the person's packages come from (spawner.package_channel):
 * the release, with a link to its page on the channel, or the channel's approved packages.
 */
export function packageChannelNote(deps: Pick<HubDeps, 'config' | 'packageChannel'>): SafeHtml | '' {
  const channel = deps.config.spawner.package_channel;
  if (channel === null || deps.packageChannel === undefined) return '';
  const url = channelPageUrl(deps.packageChannel.publicUrl(), channel);
  const what = channel === APPROVED_INDEX ? html`<a href="${url}">approved packages</a> of the package channel` : html`release <a href="${url}">${channel}</a> of the package channel`;
  const venv = deps.config.spawner.venv_from_release ? ' Your server runs in a Python environment built from it.' : '';
  return html`<p id="package-channel">Your environment installs ${what} only.${venv}</p>`;
}
