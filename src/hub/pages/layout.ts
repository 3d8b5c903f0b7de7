import { html, type SafeHtml } from '../../web/index.js';
import type { HubPaths } from '../paths.js';

export interface PageUser {
  name: string;
  admin: boolean;
}

/**
 * The frame of every hub page. Scripts and styles are static files (the CSP allows no inline code).
 * `channelNav` adds the link to the channel's review (/hub/admin/channel); pages set it when the
 * hub runs with a channel and the user may review it.
 */
export function page(options: { title: string; paths: HubPaths; user?: PageUser | undefined; body: SafeHtml; scripts?: string[]; channelNav?: boolean }): string {
  const { paths, user } = options;
  const nav = user
    ? html`<nav>
        <a href="${paths.hubUrl('home')}">Home</a>
        <a href="${paths.hubUrl('token')}" id="nav-token">Token</a>
        <a href="${paths.hubUrl('account')}" id="nav-account">Account</a>
        ${user.admin ? html`<a href="${paths.hubUrl('admin')}" id="nav-admin">Admin</a> <a href="${paths.hubUrl('authorize')}">Authorize users</a>` : ''}
        ${options.channelNav === true ? html`<a href="${paths.hubUrl('admin/channel')}" id="nav-channel">Channel</a>` : ''}
        <span class="who">Signed in as <strong id="current-user">${user.name}</strong></span>
        <a href="${paths.hubUrl('logout')}" id="logout">Log out</a>
      </nav>`
    : html`<nav><a href="${paths.hubUrl('login')}">Log in</a></nav>`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title} &mdash; Bulwark</title>
  <link rel="stylesheet" href="${paths.hubUrl('static/style.css')}">
  <link rel="icon" href="${paths.hubUrl('logo')}">
</head>
<body>
  <header><a class="brand" href="${paths.hub}"><img src="${paths.hubUrl('logo')}" alt="" width="28" height="28"> Bulwark</a>${nav}</header>
  <main>${options.body}</main>
  ${(options.scripts ?? []).map((name) => html`<script src="${paths.hubUrl(`static/${name}`)}"></script>`)}
</body>
</html>`.value;
}

/** A one-message page for errors and notices. */
export function messagePage(options: { title: string; message: string; paths: HubPaths; user?: PageUser | undefined; link?: { href: string; text: string } }): string {
  return page({
    title: options.title,
    paths: options.paths,
    user: options.user,
    body: html`<section class="card">
      <h1>${options.title}</h1>
      <p class="message" id="message">${options.message}</p>
      ${options.link ? html`<p><a class="button" id="message-link" href="${options.link.href}">${options.link.text}</a></p>` : ''}
    </section>`,
  });
}
