/** Newsroom journeys for webhook tests: add a webhook through the admin, read its secret, check signatures. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Client, csrfTokenOf, parsePage } from './http.ts';
import { submitForm } from './newsroom.ts';
import type { ReceivedWebhook } from './webhook-receiver.ts';

/** Adds a webhook at /admin/webhooks as `admin`; returns its id and the secret its page shows. */
export async function addWebhook(admin: Client, url: string, events: readonly string[]): Promise<{ id: number; secret: string }> {
  const { response } = await submitForm(admin, '/admin/webhooks', '/admin/webhooks', [['url', url], ['active', '1'], ...events.map((e): [string, string] => ['events', e])]);
  assert.equal(response.status, 303);
  const location = response.headers.get('location') ?? '';
  const id = Number(/^\/admin\/webhooks\/(\d+)\?done=created$/.exec(location)?.[1]);
  assert.ok(id > 0, location);
  const secret = parsePage((await admin.get(location)).html).querySelector('.webhook-secret')?.textContent ?? '';
  assert.match(secret, /^[0-9a-f]{64}$/);
  return { id, secret };
}

/** Asserts the request's X-Broadsheet-Signature is the HMAC-SHA256 of its raw body with `secret`, computed here. */
export function assertSigned(request: ReceivedWebhook, secret: string): void {
  assert.equal(request.headers['x-broadsheet-signature'], `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
}

/** Opens the editor page at `path` and submits it with `fields` and `action` (a new article posts to /admin/articles). */
export async function saveArticleVia(client: Client, path: string, action: string, fields: Record<string, string>): Promise<{ response: Response; html: string }> {
  const { html } = await client.get(path);
  const page = parsePage(html);
  const version = page.querySelector('input[name="version"]')?.getAttribute('value') ?? '';
  const target = path === '/admin/articles/new' ? '/admin/articles' : path;
  return client.postForm(target, { ...fields, _csrf: csrfTokenOf(page), version, action });
}

/** The editor form fields of an article with sensible defaults. */
export function articleFields(fields: Record<string, string> = {}): Record<string, string> {
  return { headline: 'Tram line opens', dek: 'A new line east.', slug: '', body_html: '<p>The first tram left at six.</p>', dateline: '', section: '', tags: '', authors: '', credits: '', comment_status: 'open', publish_at: '', ...fields };
}

/** The article id in an editor redirect (`/admin/articles/ID?saved=…`). */
export const articleIdFrom = (response: Response): number => Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1]);

/** Polls `check` until it returns a value other than undefined (throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
