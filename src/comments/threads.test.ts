/**
 * What readers see of a thread, over real HTTP: depth cap, order, pages and stable permalinks, accurate counts,
 * the commenter's own held comment (and that nobody else or any cache gets it), saved details, edits and
 * deletes within the window, and reports sending a comment back to the queue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { moderateComments } from './moderation.ts';
import type { CommentSettings } from './settings.ts';
import { activeContentIn } from '../../test/support/active-content.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { addComment, seedArticle } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../test/support/http.ts';

let readerNumber = 0;

/** A reader (own cookies, own address behind the trusted proxy). */
function reader(server: TestServer): Client {
  readerNumber += 1;
  return new Client(server.origin, { 'x-forwarded-for': `198.51.100.${readerNumber % 250}` });
}

/** Loads `path` with `client` and posts the comment form; returns the new comment's id (from the redirect) and the response. */
async function postAs(client: Client, path: string, fields: Record<string, string>) {
  const page = parsePage((await client.get(path)).html);
  const { response, html } = await client.postForm(`${path.split('?')[0]}/comments`, { ...hiddenCommentFields(page), author: 'Reader', email: `r${readerNumber}-${Math.random()}@example.org`, comment: 'A comment', ...fields });
  const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
  return { response, html, id: id ? Number(id) : undefined };
}

for (const dialect of DIALECTS) {
  describe(`comment threads as readers see them [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    const settings = (overrides: Partial<CommentSettings> = {}) => useOpenCommentSettings(server.database.db, overrides);
    const moderation = () => ({ db: server.database.db, clock, notifier: { held() {}, approved() {} } });

    before(async () => {
      // No page cache: these tests moderate through the service directly, without the site events that invalidate it.
      server = await startTestServer(dialect, { clock, env: { TRUST_PROXY: 'loopback', PAGE_CACHE_MB: '0' } });
    });
    after(() => server.close());

    test('replies nest to the maximum depth; deeper replies attach at the deepest level; reply works without JavaScript', async () => {
      await settings({ maxDepth: 3 });
      const { path } = await seedArticle(server.database.db, clock, 'Deep thread');
      const client = reader(server);
      const ids = [(await postAs(client, path, { comment: 'Level 1' })).id!];
      for (let level = 2; level <= 5; level++) {
        // The reply link is a plain link that brings the form back set to reply.
        const page = parsePage((await client.get(`${path}?replyto=${ids.at(-1)}`)).html);
        assert.equal(page.querySelector('input[name="comment_parent"]')?.getAttribute('value'), String(ids.at(-1)));
        ids.push((await postAs(client, `${path}?replyto=${ids.at(-1)}`, { comment: `Level ${level}`, comment_parent: String(ids.at(-1)) })).id!);
      }
      const page = parsePage((await reader(server).get(path)).html);
      assert.equal(page.querySelectorAll('.depth-4').length, 0);
      assert.equal(page.querySelectorAll('.depth-3').length, 3);
      // Levels 4 and 5 sit beside level 3, under level 2.
      assert.deepEqual([...page.querySelectorAll(`#comment-${ids[1]} > .comment-replies > li`)].map((li) => li.id), [ids[2], ids[3], ids[4]].map((id) => `comment-${id}`));
      // The stored parent stays the comment that was replied to.
      const stored = await server.database.db.selectFrom('comments').select('parent_id').where('id', '=', ids[4]!).executeTakeFirstOrThrow();
      assert.equal(stored.parent_id, ids[3]);
    });

    test('pages of top-level threads, oldest or newest first, and permalinks that find a comment on any page', async () => {
      await settings({ perPage: 5 });
      const { id: articleId, path } = await seedArticle(server.database.db, clock, 'Many comments');
      const ids: number[] = [];
      for (let i = 1; i <= 7; i++) ids.push(await addComment(server.database.db, articleId, { status: 'approved', body: `Top ${i}`, createdAt: new Date(Date.UTC(2026, 11, 2, 10, i)).toISOString() }));
      const reply = await addComment(server.database.db, articleId, { status: 'approved', body: 'Reply to 7', parentId: ids[6], createdAt: new Date(Date.UTC(2026, 11, 2, 11)).toISOString() });
      const first = parsePage((await reader(server).get(path)).html);
      assert.equal(first.querySelectorAll('.comment-list > li').length, 5);
      assert.match(first.getElementById('comments-heading')?.textContent ?? '', /^8 Comments$/);
      assert.ok(first.querySelector(`.comment-pages a[href="${path}?cpage=2#comments"]`));
      const second = parsePage((await reader(server).get(`${path}?cpage=2`)).html);
      assert.deepEqual([...second.querySelectorAll('.comment-list > li')].map((li) => li.id), [`comment-${ids[5]}`, `comment-${ids[6]}`]);
      assert.ok(second.querySelector(`#comment-${reply}`));
      for (const [id, expected] of [[ids[0], `${path}#comment-${ids[0]}`], [reply, `${path}?cpage=2#comment-${reply}`]] as const) {
        const { response } = await reader(server).get(`/comments/${id}`);
        assert.equal(response.status, 302);
        assert.equal(response.headers.get('location'), expected);
      }
      const newest = parsePage((await reader(server).get(`${path}?corder=newest`)).html);
      assert.equal(newest.querySelector('.comment-list > li')?.id, `comment-${ids[6]}`);
      assert.equal(newest.querySelector('.comment-order a[aria-current]')?.textContent, 'Newest first');
      // Reply links keep the reader on their page.
      assert.ok(second.querySelector(`a.comment-reply-link[href="${path}?replyto=${ids[6]}&cpage=2#respond"]`));
      for (const missing of ['999999', 'abc', '0']) assert.equal((await reader(server).get(`/comments/${missing}`)).response.status, 404);
    });

    test('a reply to a comment readers cannot see hangs from a placeholder, not loose at the top', async () => {
      await settings();
      const { id: articleId, path } = await seedArticle(server.database.db, clock, 'Trashed parent');
      const parent = await addComment(server.database.db, articleId, { status: 'approved', body: 'Soon trashed' });
      const reply = await addComment(server.database.db, articleId, { status: 'approved', body: 'A reply that stays', parentId: parent });
      await moderateComments(moderation(), [parent], 'trash', { userId: null });
      const page = parsePage((await reader(server).get(path)).html);
      assert.equal(page.querySelector(`#comment-${parent} .comment-deleted`)?.textContent, '[This comment is not available]');
      assert.ok(page.querySelector(`#comment-${parent} > .comment-replies > #comment-${reply}`));
      assert.ok(!page.body.textContent?.includes('Soon trashed'));
      assert.equal((await reader(server).get(`/comments/${parent}`)).response.status, 404);
    });

    test('a held comment is shown only to its author, marked as awaiting moderation, in a private response', async () => {
      await settings({ holdAll: true });
      const { path } = await seedArticle(server.database.db, clock, 'Held for its author');
      const author = reader(server);
      const posted = await postAs(author, path, { comment: 'Only I can see this for now' });
      assert.equal(posted.response.status, 303);
      const cookie = posted.response.headers.getSetCookie().find((c) => c.startsWith('bs_comments='));
      assert.match(cookie ?? '', /HttpOnly/i);
      const own = await author.get(path);
      assert.equal(own.response.headers.get('cache-control'), 'private, no-store');
      const item = parsePage(own.html).getElementById(`comment-${posted.id}`);
      assert.match(item?.querySelector('.comment-awaiting')?.textContent ?? '', /Your comment is awaiting moderation/);
      assert.equal(item?.querySelector('.comment-reply-link'), null, 'no replies to a held comment');
      assert.match(parsePage(own.html).getElementById('comments-heading')?.textContent ?? '', /^0 Comments$/);
      const stranger = await reader(server).get(path);
      assert.ok(!stranger.html.includes('Only I can see this'));
      assert.notEqual(stranger.response.headers.get('cache-control'), 'private, no-store');
      // A forged cookie naming the comment shows nothing.
      const forger = new Client(server.origin, { cookie: `bs_comments=${posted.id}` });
      assert.ok(!(await forger.get(path)).html.includes('Only I can see this'));
      // Once approved, everyone sees it and the count follows.
      await moderateComments(moderation(), [posted.id!], 'approve', { userId: null });
      const after = parsePage((await reader(server).get(path)).html);
      assert.ok(after.getElementById(`comment-${posted.id}`));
      assert.match(after.getElementById('comments-heading')?.textContent ?? '', /^1 Comment$/);
    });

    test('"save my details" fills the form next time only when ticked', async () => {
      await settings();
      const { path } = await seedArticle(server.database.db, clock, 'Remember me');
      const client = reader(server);
      await postAs(client, path, { author: 'Ada Remembered', email: 'ada@example.org', url: 'https://ada.example', remember: 'yes' });
      const page = parsePage((await client.get(path)).html);
      assert.equal(page.getElementById('author')?.getAttribute('value'), 'Ada Remembered');
      assert.equal(page.getElementById('email')?.getAttribute('value'), 'ada@example.org');
      assert.ok(page.getElementById('remember')?.hasAttribute('checked'));
      await postAs(client, path, { author: 'Ada Remembered', email: 'ada@example.org', comment: 'Forget me now' });
      const forgotten = parsePage((await client.get(path)).html);
      assert.equal(forgotten.getElementById('email')?.getAttribute('value'), '');
      const other = parsePage((await reader(server).get(path)).html);
      assert.equal(other.getElementById('email')?.getAttribute('value'), '');
    });

    test('the author may edit or delete within the window; nobody else may; edits pass the same checks', async () => {
      await settings({ editWindowMinutes: 10, disallowedWords: ['casino'] });
      const { path } = await seedArticle(server.database.db, clock, 'Edits');
      const author = reader(server);
      const posted = await postAs(author, path, { comment: 'Tpyo here' });
      const editPage = await author.get(`/comments/${posted.id}/edit`);
      assert.equal(editPage.response.status, 200);
      const token = csrfTokenOf(parsePage(editPage.html));
      const saved = await author.postForm(`/comments/${posted.id}/edit`, { _csrf: token, comment: 'Typo *fixed*' });
      assert.equal(saved.response.status, 303);
      const page = parsePage((await reader(server).get(path)).html);
      assert.equal(page.querySelector(`#comment-${posted.id} .comment-text em`)?.textContent, 'fixed');
      assert.ok(page.querySelector(`#comment-${posted.id} .comment-edited`));
      // Too long: refused with the text kept.
      await settings({ editWindowMinutes: 10, disallowedWords: ['casino'], maxLength: 100 });
      const long = await author.postForm(`/comments/${posted.id}/edit`, { _csrf: token, comment: 'y'.repeat(101) });
      assert.equal(long.response.status, 422);
      assert.equal(parsePage(long.html).querySelector('textarea#comment')?.textContent, 'y'.repeat(101));
      // Another reader cannot edit it; a forged cookie neither.
      const stranger = reader(server);
      assert.equal((await stranger.get(`/comments/${posted.id}/edit`)).response.status, 404);
      // Editing in a disallowed word sends it to spam.
      await author.postForm(`/comments/${posted.id}/edit`, { _csrf: token, comment: 'Visit my casino' });
      const row = await server.database.db.selectFrom('comments').select(['status', 'moderation_reason']).where('id', '=', posted.id!).executeTakeFirstOrThrow();
      assert.equal(row.status, 'spam');
      assert.match(row.moderation_reason, /edited to contain the disallowed word "casino"/);
      assert.match(parsePage((await reader(server).get(path)).html).getElementById('comments-heading')?.textContent ?? '', /^0 Comments$/);
      // After the window, no more changes.
      const late = await postAs(author, path, { comment: 'Written in haste' });
      clock.advance(11 * 60_000);
      const refused = await author.postForm(`/comments/${late.id}/edit`, { _csrf: token, comment: 'Too late to change' });
      assert.equal(refused.response.status, 403);
      assert.match(refused.html, /can be changed for 10 minutes/);
    });

    test('the author may delete their comment; with replies it stays as [deleted]; counts follow', async () => {
      await settings();
      const { path } = await seedArticle(server.database.db, clock, 'Deletes');
      const author = reader(server);
      const lonely = await postAs(author, path, { comment: 'Nobody answers this' });
      const answered = await postAs(author, path, { comment: 'Somebody answers this' });
      await postAs(reader(server), path, { comment: 'An answer', comment_parent: String(answered.id) });
      const token = csrfTokenOf(parsePage((await author.get(`/comments/${lonely.id}/edit`)).html));
      assert.equal((await reader(server).postForm(`/comments/${lonely.id}/delete`, { _csrf: token })).response.status, 403, 'CSRF and ownership required');
      const unconfirmed = await author.postForm(`/comments/${lonely.id}/delete`, { _csrf: token });
      assert.equal(unconfirmed.response.status, 422);
      assert.ok(parsePage(unconfirmed.html).getElementById('confirm-error'));
      for (const id of [lonely.id, answered.id]) assert.equal((await author.postForm(`/comments/${id}/delete`, { _csrf: token, confirm: 'yes' })).response.status, 303);
      const page = parsePage((await reader(server).get(path)).html);
      assert.equal(page.getElementById(`comment-${lonely.id}`), null);
      assert.equal(page.querySelector(`#comment-${answered.id} .comment-deleted`)?.textContent, '[deleted]');
      assert.ok(!page.body.textContent?.includes('Somebody answers this'));
      assert.match(page.getElementById('comments-heading')?.textContent ?? '', /^1 Comment$/);
      const toDeleted = await postAs(reader(server), path, { comment: 'Replying to a ghost', comment_parent: String(answered.id) });
      assert.equal(toDeleted.response.status, 422, 'no new replies to a [deleted] comment');
    });

    test('a deleted comment’s cookie gives no power over a later comment that gets the same id', async () => {
      await settings({ holdAll: true });
      const { path } = await seedArticle(server.database.db, clock, 'Reused ids');
      const mallory = reader(server);
      const gone = await postAs(mallory, path, { comment: 'Here and gone' });
      const token = csrfTokenOf(parsePage((await mallory.get(`/comments/${gone.id}/edit`)).html));
      assert.equal((await mallory.postForm(`/comments/${gone.id}/delete`, { _csrf: token, confirm: 'yes' })).response.status, 303);
      clock.advance(1000);
      const alice = reader(server);
      const later = await postAs(alice, path, { comment: 'Alice is waiting for a moderator' });
      // SQLite hands the deleted newest row's id out again; PostgreSQL never does. Either way Mallory gets nothing.
      if (dialect === 'sqlite') assert.equal(later.id, gone.id);
      assert.equal((await mallory.get(`/comments/${later.id}/edit`)).response.status, 404);
      assert.equal((await mallory.postForm(`/comments/${later.id}/edit`, { _csrf: token, comment: 'hijacked' })).response.status, 404);
      assert.ok(!(await mallory.get(path)).html.includes('Alice is waiting'));
      assert.ok((await alice.get(path)).html.includes('Alice is waiting'));
    });

    test('readers report a comment once each; at the threshold it returns to the queue', async () => {
      await settings({ reportThreshold: 2 });
      const { path } = await seedArticle(server.database.db, clock, 'Reports');
      const target = await postAs(reader(server), path, { comment: 'Something rude' });
      const first = reader(server);
      const form = parsePage((await first.get(`/comments/${target.id}/report`)).html);
      assert.ok(form.querySelector('input[name="reason"][value="abuse"]'));
      for (let i = 0; i < 2; i++) {
        const reported = await first.postForm(`/comments/${target.id}/report`, { _csrf: csrfTokenOf(form), reason: 'abuse' });
        assert.equal(reported.response.status, 303);
      }
      const thanked = parsePage((await first.get(`${path}?reported=${target.id}`)).html);
      assert.match(thanked.querySelector(`#comment-${target.id} .comment-reported`)?.textContent ?? '', /A moderator will look/);
      let row = await server.database.db.selectFrom('comments').select(['status', 'report_count']).where('id', '=', target.id!).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'approved', report_count: 1 }, 'one reader counts once');
      const second = reader(server);
      const token = csrfTokenOf(parsePage((await second.get(`/comments/${target.id}/report`)).html));
      await second.postForm(`/comments/${target.id}/report`, { _csrf: token, reason: 'spam' });
      // The reader who hid the comment is thanked too, though the comment is no longer shown.
      const hidden = parsePage((await second.get(`${path}?reported=${target.id}`)).html);
      assert.match(hidden.querySelector('.comments-notice')?.textContent ?? '', /Thank you for your report/);
      row = await server.database.db.selectFrom('comments').select(['status', 'report_count']).where('id', '=', target.id!).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      const event = await server.database.db.selectFrom('comment_events').select('reason').where('comment_id', '=', target.id!).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(event.reason, 'reported by 2 readers: abusive, hateful or harassing; spam or advertising');
      assert.match(parsePage((await reader(server).get(path)).html).getElementById('comments-heading')?.textContent ?? '', /^0 Comments$/);
      // Approving clears the reports.
      await moderateComments(moderation(), [target.id!], 'approve', { userId: null });
      row = await server.database.db.selectFrom('comments').select(['status', 'report_count']).where('id', '=', target.id!).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'approved', report_count: 0 });
    });

    test('formatting: the small safe subset renders, links get rel="nofollow ugc", raw HTML stays text', async () => {
      await settings({ holdLinkCount: 0 });
      const { path } = await seedArticle(server.database.db, clock, 'Formatting');
      const text = '> quoted line\n\n*emphasis* and **strong**\nnext line https://example.org/x?a=1&b=2\n\n<img src=x onerror=alert(1)> [link](javascript:alert(1)) me@example.org <you@example.org> ftp://files.example';
      const posted = await postAs(reader(server), path, { comment: text });
      const page = parsePage((await reader(server).get(path)).html);
      const body = page.querySelector(`#comment-${posted.id} .comment-text`)!;
      assert.equal(body.querySelector('blockquote p')?.textContent, 'quoted line');
      assert.equal(body.querySelector('em')?.textContent, 'emphasis');
      assert.equal(body.querySelector('strong')?.textContent, 'strong');
      assert.ok(body.querySelector('br'));
      const link = body.querySelector('a')!;
      assert.equal(link.getAttribute('href'), 'https://example.org/x?a=1&b=2');
      assert.equal(link.getAttribute('rel'), 'nofollow ugc noopener');
      assert.equal(body.querySelectorAll('a').length, 1, 'no javascript: link, no mailto: link');
      assert.match(body.textContent ?? '', /<img src=x onerror=alert\(1\)>/);
      assert.match(body.textContent ?? '', /me@example\.org <you@example\.org> ftp:\/\/files\.example$/, 'addresses that are not web links stay as typed');
      assert.deepEqual(activeContentIn(body), []);
    });
  });
}
