// A browser's password login against either hub: fetch the login page (and its _xsrf field and
// cookies when it has them), post the form, and report whether the hub set a login cookie.

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(';')[0] ?? '').filter((pair) => pair !== '');
}

/** Resolves true when the hub answered the form with a redirect and a new cookie. */
export async function formLogin(baseUrl: string, username: string, password: string): Promise<boolean> {
  const page = await fetch(`${baseUrl}/hub/login`);
  const body = await page.text();
  const jar = cookiesOf(page);
  const xsrf = /name="_xsrf"\s+value="([^"]+)"/.exec(body)?.[1];
  const form = new URLSearchParams({ username, password, ...(xsrf === undefined ? {} : { _xsrf: xsrf }) });
  const posted = await fetch(`${baseUrl}/hub/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: form,
  });
  await posted.arrayBuffer();
  return posted.status >= 300 && posted.status < 400 && cookiesOf(posted).length > 0;
}
