/** A tiny cookie-keeping HTTP client over fetch for form journeys (CSRF cookie + token), and HTML parsing via linkedom. */
import { parseHTML } from 'linkedom';

export class Client {
  private cookies = new Map<string, string>();
  /** `headers` go with every request, e.g. `x-forwarded-for` to play a reader at another address behind a trusted proxy. */
  constructor(
    readonly origin: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  private cookieHeader(): Record<string, string> {
    return { ...this.headers, ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) };
  }

  async get(path: string): Promise<{ response: Response; html: string }> {
    const response = await fetch(this.origin + path, { headers: this.cookieHeader(), redirect: 'manual' });
    this.remember(response);
    return { response, html: await response.text() };
  }

  /** POSTs a multipart/form-data body (file uploads); redirects are not followed. */
  async postMultipart(path: string, body: FormData): Promise<{ response: Response; html: string }> {
    const response = await fetch(this.origin + path, { method: 'POST', headers: this.cookieHeader(), body, redirect: 'manual' });
    this.remember(response);
    return { response, html: await response.text() };
  }

  /** POSTs an application/x-www-form-urlencoded body (URLSearchParams may repeat a field); redirects are not followed. */
  async postForm(path: string, fields: Record<string, string> | URLSearchParams): Promise<{ response: Response; html: string }> {
    const response = await fetch(this.origin + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader() },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return { response, html: await response.text() };
  }
}

export function parsePage(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

/** The value of the `_csrf` hidden input of the comment form. */
export function csrfTokenOf(document: Document): string {
  const token = document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.getAttribute('value');
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}
