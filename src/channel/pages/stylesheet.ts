import type { FastifyInstance } from 'fastify';
import type { ChannelDeps } from '../channel-deps.js';

/** The pages' only stylesheet, served as a file because the CSP forbids inline styles. */
const CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#24292f;padding:.8rem 1.2rem}header a{color:#fff;margin-right:1.2rem;text-decoration:none}
.brand{font-weight:600}main{max-width:72rem;margin:1.5rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
code,.hash{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}
.status{font-size:.8em;padding:.1rem .4rem;border-radius:.3rem;background:#ddf4ff}.status-quarantined,.status-vetted{background:#fff8c5}.status-rejected{background:#ffebe9}.finding-block{color:#a40e26}.notices{margin:1rem 0}.status-yanked{background:#ffebe9}
.card{background:#fff;border:1px solid #d0d7de;padding:1rem 1.5rem;border-radius:.4rem}`;

export function registerStylesheet(app: FastifyInstance, deps: ChannelDeps): void {
  app.get(`${deps.paths.staticFiles}channel.css`, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'max-age=3600').send(CSS),
  );
}
