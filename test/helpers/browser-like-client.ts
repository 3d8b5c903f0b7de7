/**
 * A small HTTP client that keeps cookies and follows redirects by hand, like a browser does, so
 * tests can walk the login and OAuth flows without a browser and see every hop.
 */
export interface ClientResponse {
  status: number;
  url: string;
  headers: Headers;
  body: string;
  /** Every URL visited, redirects included. */
  hops: string[];
}

export class BrowserLikeClient {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  constructor(private readonly origin: string) {}

  private cookieHeader(path: string): string {
    return [...this.cookies.entries()]
      .filter(([, cookie]) => path.startsWith(cookie.path))
      .sort((a, b) => b[1].path.length - a[1].path.length)
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  private storeCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^max-age=0$/i.test(a)) || value === '' || value === '""';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  async request(
    path: string,
    options: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string>; follow?: boolean } = {},
  ): Promise<ClientResponse> {
    let url = new URL(path, this.origin);
    let method = options.method ?? (options.form || options.json !== undefined ? 'POST' : 'GET');
    let body: string | undefined =
      options.form !== undefined ? new URLSearchParams(options.form).toString() : options.json !== undefined ? JSON.stringify(options.json) : undefined;
    const hops: string[] = [];
    for (let i = 0; i < 15; i++) {
      hops.push(url.pathname + url.search);
      const headers: Record<string, string> = { 'sec-fetch-mode': 'navigate', accept: 'text/html', ...options.headers };
      const cookie = this.cookieHeader(url.pathname);
      if (cookie) headers['cookie'] = cookie;
      if (options.form !== undefined && body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      if (options.json !== undefined && body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
      this.storeCookies(response.headers);
      const location = response.headers.get('location');
      if (options.follow !== false && location && response.status >= 300 && response.status < 400) {
        url = new URL(location, url);
        if (url.origin !== this.origin) throw new Error(`redirected off-site to ${url.href}`);
        method = 'GET';
        body = undefined;
        await response.arrayBuffer();
        continue;
      }
      return { status: response.status, url: url.pathname + url.search, headers: response.headers, body: await response.text(), hops };
    }
    throw new Error(`too many redirects: ${hops.join(' -> ')}`);
  }

  /** The `_xsrf` value of the first form on a page. */
  static xsrfFrom(html: string): string {
    const match = /name="_xsrf" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error('no _xsrf field on the page');
    return match[1];
  }

  async submitForm(pagePath: string, action: string, fields: Record<string, string>, follow = true): Promise<ClientResponse> {
    const page = await this.request(pagePath);
    return this.request(action, { form: { _xsrf: BrowserLikeClient.xsrfFrom(page.body), ...fields }, follow });
  }
}
