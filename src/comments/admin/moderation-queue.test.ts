import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { addComment, publicCommentHeading, seedArticle, signedInClients, tabCounts } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { parsePage, type Client } from '../../../test/support/http.ts';
import type { Role } from '../../db/schema.ts';
import { submitForm } from '../../../test/support/newsroom.ts';

const post = submitForm;

for (const dialect of DIALECTS) {
  describe(`comment moderation queue [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    const clock = new TestClock('2026-12-01T09:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      clients = await signedInClients(server.database.db, clock, server.origin);
    });
    after(() => server.close());

    const db = () => server.database.db;
    const countOf = async (articleId: number) => (await db().selectFrom('articles').select('comment_count').where('id', '=', articleId).executeTakeFirstOrThrow()).comment_count;
    const statusOf = async (id: number) => (await db().selectFrom('comments').select('status').where('id', '=', id).executeTakeFirst())?.status;

    test('only editors and admins reach the queue; the bar links to it with the pending count', async () => {
      for (const role of ['contributor', 'author'] as const) {
        assert.equal((await clients[role].get('/admin/comments')).response.status, 403, role);
        assert.equal((await clients[role].get('/admin/comments/settings')).response.status, 403, role);
        assert.equal(parsePage((await clients[role].get('/admin')).html).querySelector('a[href="/admin/comments"]'), null, role);
      }
      assert.equal((await clients.editor.get('/admin/comments')).response.status, 200);
      assert.equal((await clients.admin.get('/admin/comments')).response.status, 200);
      const article = await seedArticle(db(), clock, 'Badge count story');
      await addComment(db(), article.id, { status: 'pending' });
      const { html } = await clients.editor.get('/admin');
      const link = parsePage(html).querySelector('.admin-bar a[href="/admin/comments"]');
      assert.match(link?.textContent ?? '', /Comments\s*\d+ pending/);
    });

    test('each action moves a comment between tabs and keeps the public comment count', async () => {
      const article = await seedArticle(db(), clock, 'Harbour walls to be raised');
      const id = await addComment(db(), article.id, { status: 'pending', name: 'Queue Reader', email: 'queue.reader@example.org', url: 'https://queue.example.org/', body: 'The *walls* matter.', reason: 'held: first comment from this email address', reports: 2 });
      const before = tabCounts(parsePage((await clients.editor.get('/admin/comments')).html));

      // The pending row shows everything a moderator needs.
      const page = parsePage((await clients.editor.get('/admin/comments')).html);
      const row = page.querySelector(`tr[data-comment="${id}"]`)!;
      assert.ok(row, 'row listed in the pending tab');
      assert.match(row.textContent ?? '', /Queue Reader/);
      assert.match(row.textContent ?? '', /queue\.reader@example\.org/);
      assert.ok(row.querySelector('a[href="https://queue.example.org/"]'));
      assert.equal(row.querySelector('.comment-body em')?.textContent, 'walls');
      assert.match(row.textContent ?? '', /2 reports/);
      assert.match(row.textContent ?? '', /held: first comment/);
      assert.ok(row.querySelector(`a[href="${article.path}#comment-${id}"]`), 'links to the article');
      assert.ok(row.querySelector(`a[href="/admin/comments/history?ip=${'a'.repeat(64)}"]`), 'IP hash links to history');
      assert.ok(row.querySelector(`a[href="/admin/comments/history?email=queue.reader%40example.org"]`), 'email links to history');
      assert.equal(await publicCommentHeading(server.origin, article.path), '0 Comments');

      const act = async (action: string, from: string) => {
        const response = (await post(clients.editor, `/admin/comments?status=${from}`, `/admin/comments/${id}/${action}`, { status: from, page: '1' })).response;
        assert.equal(response.status, 303, action);
        return response.headers.get('location') ?? '';
      };
      const counts = async () => tabCounts(parsePage((await clients.editor.get('/admin/comments')).html));

      // A return address that would leave the site (after dot segments and backslashes) is ignored.
      const escape = await post(clients.editor, '/admin/comments', `/admin/comments/${id}/unapprove`, { return_to: '/admin/comments/../../\\/evil.example' });
      assert.equal(escape.response.headers.get('location'), '/admin/comments?done=unapprove&n=0');
      const location = await act('approve', 'pending');
      assert.equal(location, '/admin/comments?done=approve&n=1');
      assert.equal(parsePage((await clients.editor.get(location)).html).querySelector('.notice')?.textContent, '1 comment approved.');
      assert.deepEqual(await counts(), { ...before, pending: before.pending! - 1, approved: before.approved! + 1 });
      assert.equal(await countOf(article.id), 1);
      assert.equal(await publicCommentHeading(server.origin, article.path), '1 Comment');
      assert.equal((await db().selectFrom('comments').select('report_count').where('id', '=', id).executeTakeFirstOrThrow()).report_count, 0, 'approving clears reports');

      assert.equal(await act('unapprove', 'approved'), '/admin/comments?status=approved&done=unapprove&n=1');
      assert.equal(await statusOf(id), 'pending');
      assert.equal(await countOf(article.id), 0);

      await act('approve', 'pending');
      await act('trash', 'approved');
      assert.equal(await statusOf(id), 'trash');
      assert.equal(await countOf(article.id), 0);
      assert.deepEqual(await counts(), { ...before, pending: before.pending! - 1, trash: before.trash! + 1 });
      assert.equal(await publicCommentHeading(server.origin, article.path), '0 Comments');

      await act('restore', 'trash');
      assert.equal(await statusOf(id), 'approved', 'restore returns the status before the trash');
      assert.equal(await countOf(article.id), 1);

      await act('spam', 'approved');
      assert.equal(await statusOf(id), 'spam');
      assert.equal(await countOf(article.id), 0);
      assert.deepEqual(await counts(), { ...before, pending: before.pending! - 1, spam: before.spam! + 1 });

      // Deleting for good: a confirmation page first, then the deletion.
      const confirm = await clients.editor.get(`/admin/comments/${id}/delete?status=spam&page=1`);
      assert.equal(confirm.response.status, 200);
      const confirmPage = parsePage(confirm.html);
      assert.match(confirmPage.querySelector('h1')?.textContent ?? '', /Delete 1 comment permanently\?/);
      const form = confirmPage.querySelector('form[action="/admin/comments/bulk"]')!;
      const fields = [...form.querySelectorAll('input')].map((i) => [i.getAttribute('name')!, i.getAttribute('value') ?? ''] as [string, string]);
      const deleted = await clients.editor.postForm('/admin/comments/bulk', new URLSearchParams(fields));
      assert.equal(deleted.response.status, 303);
      assert.equal(deleted.response.headers.get('location'), '/admin/comments?status=spam&done=delete&n=1');
      assert.equal(await statusOf(id), undefined);
      assert.deepEqual(await counts(), { ...before, pending: before.pending! - 1 });
    });

    test('an approved comment is never deleted for good, and unknown actions are 404', async () => {
      const article = await seedArticle(db(), clock, 'Approved comments stay');
      const id = await addComment(db(), article.id, { status: 'approved' });
      const refused = await post(clients.editor, '/admin/comments?status=approved', '/admin/comments/bulk', [['action', 'delete'], ['confirm', '1'], ['ids', String(id)], ['status', 'approved']]);
      assert.equal(refused.response.status, 303);
      assert.match(refused.response.headers.get('location') ?? '', /n=0/);
      assert.equal(await statusOf(id), 'approved');
      assert.equal((await post(clients.editor, '/admin/comments', `/admin/comments/${id}/delete`, {})).response.status, 404);
      assert.equal((await post(clients.editor, '/admin/comments', `/admin/comments/${id}/publish`, {})).response.status, 404);
      assert.equal((await post(clients.author, '/admin', `/admin/comments/${id}/trash`, {})).response.status, 403);
      assert.equal(await statusOf(id), 'approved');
    });

    test('bulk approve changes every selected comment and reports how many', async () => {
      const article = await seedArticle(db(), clock, 'Bulk approval story');
      const ids = [await addComment(db(), article.id), await addComment(db(), article.id), await addComment(db(), article.id)];
      const before = tabCounts(parsePage((await clients.editor.get('/admin/comments')).html));
      const page = parsePage((await clients.editor.get('/admin/comments')).html);
      for (const id of ids) assert.ok(page.querySelector(`input[name="ids"][value="${id}"]`), `checkbox for ${id}`);
      const { response } = await post(clients.editor, '/admin/comments', '/admin/comments/bulk', [['action', 'approve'], ['ids', String(ids[0])], ['ids', String(ids[1])], ['status', 'pending'], ['page', '1'], ['reason', 'bulk test']]);
      assert.equal(response.status, 303);
      const location = response.headers.get('location')!;
      assert.equal(parsePage((await clients.editor.get(location)).html).querySelector('.notice')?.textContent, '2 comments approved.');
      assert.deepEqual([await statusOf(ids[0]!), await statusOf(ids[1]!), await statusOf(ids[2]!)], ['approved', 'approved', 'pending']);
      assert.equal(await countOf(article.id), 2);
      assert.equal(await publicCommentHeading(server.origin, article.path), '2 Comments');
      const after = tabCounts(parsePage((await clients.editor.get('/admin/comments')).html));
      assert.deepEqual(after, { ...before, pending: before.pending! - 2, approved: before.approved! + 2 });
      const events = await db().selectFrom('comment_events').select(['reason', 'user_id']).where('comment_id', '=', ids[0]!).execute();
      assert.deepEqual(events.map((e) => e.reason), ['bulk test']);
      // Bulk delete asks for confirmation and lists only spam and trash.
      const confirm = await post(clients.editor, '/admin/comments', '/admin/comments/bulk', [['action', 'delete'], ['ids', String(ids[0])], ['status', 'pending']]);
      assert.equal(confirm.response.status, 200);
      assert.match(parsePage(confirm.html).querySelector('h1')?.textContent ?? '', /Delete 0 comments/);
    });

    test('the queue is paginated, 50 a page, newest first', async () => {
      const article = await seedArticle(db(), clock, 'Busy trash story');
      const ids: number[] = [];
      for (let i = 0; i < 52; i++) ids.push(await addComment(db(), article.id, { status: 'trash', createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() }));
      const first = parsePage((await clients.editor.get('/admin/comments?status=trash')).html);
      const firstIds = [...first.querySelectorAll('tr[data-comment]')].map((r) => Number(r.getAttribute('data-comment')));
      assert.equal(firstIds.length, 50);
      assert.ok(firstIds.indexOf(ids[51]!) < firstIds.indexOf(ids[50]!), 'newest first');
      const next = first.querySelector('a[rel="next"]')?.getAttribute('href');
      assert.equal(next, '/admin/comments?status=trash&page=2');
      const second = parsePage((await clients.editor.get(next!)).html);
      assert.ok([...second.querySelectorAll('tr[data-comment]')].length >= 2);
      assert.ok(second.querySelector('a[rel="prev"]'));
    });
  });
}
