/** Newsroom journeys for tests: fetch a form's CSRF token, submit it, sign in. */
import { Client, csrfTokenOf, parsePage } from './http.ts';

/** GETs `formPath`, then POSTs `fields` (plus its CSRF token) to `action`; a field may repeat (pairs or URLSearchParams). */
export async function submitForm(client: Client, formPath: string, action: string, fields: Record<string, string> | [string, string][] | URLSearchParams) {
  const { html } = await client.get(formPath);
  const body = new URLSearchParams(fields);
  body.set('_csrf', csrfTokenOf(parsePage(html)));
  return client.postForm(action, body);
}

/** Signs in (again) with the token of a page that renders whether or not the client is signed in already. */
export async function signIn(client: Client, email: string, password: string) {
  return submitForm(client, '/admin/password/forgot', '/admin/login', { email, password });
}

/** The value of cookie `name` in a response's Set-Cookie headers, with its attributes. */
export function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}
