import { z } from 'zod';
import { authenticatorSection } from './sections/authenticator.js';
import { channelSection } from './sections/channel.js';
import { cullerSection } from './sections/culler.js';
import { hubSection } from './sections/hub.js';
import { logSection } from './sections/log.js';
import { proxySection } from './sections/proxy.js';
import { rolesSection } from './sections/roles.js';
import { servicesSection } from './sections/services.js';
import { spawnerSection } from './sections/spawner.js';

/**
 * The one config schema: its output type is `BulwarkConfig`, it validates and fills defaults, and
 * docs/configuration.md plus `bulwark config generate` are derived from it. Keys are JupyterHub's
 * trait names in snake_case, so a jupyterhub_config.py maps over line by line.
 */
export const configSchema = z
  .strictObject({
    hub: hubSection,
    proxy: proxySection,
    authenticator: authenticatorSection,
    spawner: spawnerSection,
    services: servicesSection,
    roles: rolesSection,
    culler: cullerSection,
    channel: channelSection,
    log: logSection,
  })
  .prefault({});

export type BulwarkConfig = z.output<typeof configSchema>;
export type BulwarkConfigInput = z.input<typeof configSchema>;
