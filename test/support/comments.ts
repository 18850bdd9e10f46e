/** Comment moderation tests: a published article, comments inserted directly (any status), signed-in newsroom users. */
import assert from 'node:assert/strict';
import { saveArticle } from '../../src/articles/service.ts';
import { renderCommentHtml } from '../../src/comments/format.ts';
import { adjustCommentCount, insertComment } from '../../src/comments/store.ts';
import type { DB } from '../../src/db/database.ts';
import type { CommentStatus, Role } from '../../src/db/schema.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createUser } from '../../src/newsroom/accounts.ts';
import { Client, parsePage } from './http.ts';
import { signIn } from './newsroom.ts';

export const PASSWORD = 'moderation test password';

/** Publishes an article; returns its id and public path. */
export async function seedArticle(db: DB, clock: Clock, headline: string): Promise<{ id: number; path: string }> {
  const saved = await saveArticle({ db, clock }, { headline, bodyHtml: `<p>${headline}: the story.</p>`, status: 'published', publishedAt: new Date(clock.now().getTime() - 60_000).toISOString() });
  return { id: saved.id, path: `/articles/${saved.slug}` };
}

export interface TestComment {
  status?: CommentStatus;
  body?: string;
  name?: string;
  email?: string;
  url?: string;
  ipHash?: string;
  networkHash?: string;
  userAgent?: string;
  parentId?: number;
  createdAt?: string;
  reason?: string;
  reports?: number;
}

let sequence = 0;

/** Inserts a comment as the pipeline would have stored it (counted on the article when approved); returns its id. */
export async function addComment(db: DB, articleId: number, c: TestComment = {}): Promise<number> {
  sequence += 1;
  const status = c.status ?? 'pending';
  const body = c.body ?? `Comment number ${sequence}.`;
  const id = await insertComment(db, {
    article_id: articleId,
    parent_id: c.parentId ?? null,
    author_name: c.name ?? `Reader ${sequence}`,
    author_email: (c.email ?? `reader${sequence}@example.org`).toLowerCase(),
    author_url: c.url ?? '',
    body,
    body_html: renderCommentHtml(body),
    status,
    created_at: c.createdAt ?? new Date(Date.UTC(2026, 11, 1, 8, 0, sequence)).toISOString(),
    ip_hash: c.ipHash ?? 'a'.repeat(64),
    network_hash: c.networkHash ?? 'b'.repeat(64),
    user_agent: c.userAgent ?? 'TestBrowser/1.0',
    moderation_reason: c.reason ?? '',
    report_count: c.reports ?? 0,
  });
  if (status === 'approved') await adjustCommentCount(db, articleId, 1);
  return id;
}

/** Creates one user per role and a signed-in client for each. */
export async function signedInClients(db: DB, clock: Clock, origin: string, roles: readonly Role[] = ['contributor', 'author', 'editor', 'admin']): Promise<Record<Role, Client>> {
  const clients = {} as Record<Role, Client>;
  for (const role of roles) {
    await createUser({ db, clock, secret: 's' }, { email: `${role}@example.com`, displayName: `The ${role}`, role, password: PASSWORD });
    clients[role] = new Client(origin);
    assert.equal((await signIn(clients[role], `${role}@example.com`, PASSWORD)).response.status, 303);
  }
  return clients;
}

/** The "N Comments" heading of a public article page. */
export async function publicCommentHeading(origin: string, path: string): Promise<string> {
  const { html } = await new Client(origin).get(path);
  return parsePage(html).getElementById('comments-heading')?.textContent?.trim() ?? '';
}

/** The count shown on each queue tab, by status. */
export function tabCounts(document: Document): Record<string, number> {
  return Object.fromEntries([...document.querySelectorAll('.comment-tabs a')].map((a) => [a.getAttribute('data-status') ?? '', Number(a.querySelector('.tab-count')?.textContent)]));
}
