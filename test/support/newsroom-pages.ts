/**
 * Newsroom content for HTML-validity and accessibility tests: an administrator (every newsroom link in the bar),
 * held comments in the moderation queue (first-time, with links, reported, a long one), and the newsroom pages to
 * check with how to reach them signed in.
 */
import { systemClock } from '../../src/lib/clock.ts';
import { createUser } from '../../src/newsroom/accounts.ts';
import type { TestServer } from './app.ts';
import { addComment } from './comments.ts';
import { Client } from './http.ts';
import { setCookie, signIn } from './newsroom.ts';

export interface NewsroomPages {
  email: string;
  password: string;
  /** Ids of the held comments in the moderation queue. */
  heldCommentIds: number[];
}

/** A newsroom page: `path` from the article to edit (an existing one with authors, tags and a featured image). */
export interface NewsroomPage {
  name: string;
  path: (articleId: number) => string;
  /** False for the pages of the signed-out (sign-in) view. */
  signedIn: boolean;
}

/** The newsroom pages that the HTML and accessibility checks cover. */
export const NEWSROOM_PAGES: readonly NewsroomPage[] = [
  { name: 'admin-login', path: () => '/admin/login', signedIn: false },
  { name: 'admin-article-list', path: () => '/admin', signedIn: true },
  { name: 'admin-editor-new', path: () => '/admin/articles/new', signedIn: true },
  { name: 'admin-editor-existing', path: (id) => `/admin/articles/${id}`, signedIn: true },
  { name: 'admin-moderation-queue', path: () => '/admin/comments', signedIn: true },
];

/** Creates the administrator and holds four comments on article `articleId` for moderation. */
export async function loadNewsroomPages(server: TestServer, articleId: number): Promise<NewsroomPages> {
  const db = server.database.db;
  const email = 'chief.editor@example.com';
  const password = 'a chief editor password';
  await createUser({ db, clock: systemClock, secret: 's' }, { email, displayName: 'Chief Editor', role: 'admin', password });
  const heldCommentIds = [
    await addComment(db, articleId, { name: 'First Timer', body: 'My first comment here.', reason: 'first comment from this email address' }),
    await addComment(db, articleId, { name: 'Link Sharer', url: 'https://example.org/', body: 'See https://example.org/a and https://example.org/b for more.', reason: '2 links' }),
    await addComment(db, articleId, { name: 'Reported Reader', body: 'Something others objected to.', reports: 3, reason: 'reported by readers' }),
    await addComment(db, articleId, { name: 'Long Winded', body: `${'A long paragraph of comment text. '.repeat(40)}\n\nAnd a second one.`, reason: 'held by the moderation words' }),
  ];
  return { email, password, heldCommentIds };
}

/** A client signed in as the administrator, and the value of its session cookie (`bs_session`) for a browser. */
export async function signedInNewsroom(server: TestServer, pages: NewsroomPages): Promise<{ client: Client; sessionCookie: string }> {
  const client = new Client(server.origin);
  const { response } = await signIn(client, pages.email, pages.password);
  const cookie = setCookie(response, 'bs_session');
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return { client, sessionCookie: cookie.slice('bs_session='.length).split(';')[0]! };
}
