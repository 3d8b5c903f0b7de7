import { html, type SafeHtml } from '../../web/index.js';
import type { ChannelPaths } from '../channel-paths.js';

/**
 * The frame of the channel's pages. The hub has its own; the two services never import each
 * other, and the channel needs no login or navigation beyond its package list.
 */
export function page(options: { title: string; paths: ChannelPaths; body: SafeHtml }): string {
  const { paths } = options;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title} &mdash; Bulwark channel</title>
  <link rel="stylesheet" href="${paths.staticFiles}channel.css">
</head>
<body>
  <header><a class="brand" href="${paths.base}">Bulwark package channel</a> <a href="${paths.simple}">Simple index</a></header>
  <main>${options.body}</main>
</body>
</html>`.value;
}

/** A one-message page for errors. */
export function messagePage(options: { title: string; message: string; paths: ChannelPaths }): string {
  return page({
    title: options.title,
    paths: options.paths,
    body: html`<section class="card"><h1>${options.title}</h1><p class="message" id="message">${options.message}</p></section>`,
  });
}
