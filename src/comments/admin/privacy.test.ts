import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { addComment, publicCommentHeading, seedArticle, signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { parsePage, type Client } from '../../../test/support/http.ts';
import { submitForm } from '../../../test/support/newsroom.ts';
import type { Role } from '../../db/schema.ts';
import { DEFAULT_COMMENT_SETTINGS } from '../settings.ts';
import type { CommentExport } from './privacy.ts';
import { purgeExpiredCommentData } from './retention.ts';

const PAGE = '/admin/comments/privacy';
const DAY = 24 * 60 * 60 * 1000;

/** Posts with a CSRF token from the newsroom's front page (which every signed-in role may open). */
function post(client: Client, action: string, fields: Record<string, string>) {
  return submitForm(client, '/admin', action, fields);
}

for (const dialect of DIALECTS) {
  describe(`commenter privacy and data retention [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    const clock = new TestClock('2026-12-01T09:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      clients = await signedInClients(server.database.db, clock, server.origin, ['editor', 'admin']);
    });
    after(() => server.close());
    const db = () => server.database.db;

    test('export downloads every comment written with the email, and only admins may use the page', async () => {
      const article = await seedArticle(db(), clock, 'Export story');
      const one = await addComment(db(), article.id, { status: 'approved', name: 'Ex Porter', email: 'export.me@example.org', url: 'https://porter.example.org/', body: 'Exported *text*', userAgent: 'ExportBrowser/2' });
      const two = await addComment(db(), article.id, { status: 'spam', email: 'export.me@example.org', parentId: one });
      await addComment(db(), article.id, { status: 'approved', email: 'someone.else@example.org' });

      assert.equal((await clients.editor.get(PAGE)).response.status, 403);
      const page = parsePage((await clients.admin.get(PAGE)).html);
      assert.equal(page.querySelectorAll('h1').length, 1);
      assert.ok(page.querySelector('label[for="export_email"]') && page.querySelector('label[for="erase_email"]') && page.querySelector('label[for="confirm"]'));

      const { response, html } = await post(clients.admin, '/admin/comments/privacy/export', { export_email: ' Export.Me@Example.org ' });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="comments-2026-12-01\.json"$/);
      const data = JSON.parse(html) as CommentExport;
      assert.equal(data.email, 'export.me@example.org');
      assert.deepEqual(data.comments.map((c) => c.id), [one, two]);
      assert.deepEqual(data.comments[0], {
        id: one,
        in_reply_to: null,
        article: { headline: 'Export story', url: `http://news.example.test${article.path}` },
        name: 'Ex Porter',
        email: 'export.me@example.org',
        website: 'https://porter.example.org/',
        text: 'Exported *text*',
        status: 'approved',
        created_at: data.comments[0]!.created_at,
        edited_at: null,
        user_agent: 'ExportBrowser/2',
        notify_replies: false,
      });
      assert.equal(data.comments[1]!.in_reply_to, one);
      assert.ok(!html.includes('someone.else'));

      const bad = await post(clients.admin, '/admin/comments/privacy/export', { export_email: 'nobody' });
      assert.equal(bad.response.status, 422);
      assert.ok(parsePage(bad.html).getElementById('export_email-error'));
      assert.equal((await post(clients.editor, '/admin/comments/privacy/export', { export_email: 'export.me@example.org' })).response.status, 403);
    });

    test('erase keeps "[deleted]" placeholders only where replies exist, deletes the rest, and fixes the count', async () => {
      const article = await seedArticle(db(), clock, 'Erase story');
      const email = 'erase.me@example.org';
      const withReply = await addComment(db(), article.id, { status: 'approved', email, name: 'Eraser', body: 'I have a reply' });
      const reply = await addComment(db(), article.id, { status: 'approved', email: 'replier@example.org', parentId: withReply, body: 'A reply from someone else' });
      const lone = await addComment(db(), article.id, { status: 'approved', email });
      const held = await addComment(db(), article.id, { status: 'pending', email: 'ERASE.ME@example.org' });
      const ownThread = await addComment(db(), article.id, { status: 'approved', email });
      const ownReply = await addComment(db(), article.id, { status: 'approved', email, parentId: ownThread });
      await db().insertInto('comment_reports').values({ comment_id: withReply, reporter_hash: 'r'.repeat(64), created_at: clock.now().toISOString() }).execute();
      await db().insertInto('comment_notifications').values({ comment_id: withReply, recipient: email, kind: 'reply', created_at: clock.now().toISOString() }).execute();
      await db().insertInto('comment_events').values({ comment_id: withReply, created_at: clock.now().toISOString(), user_id: null, action: 'posted', status: 'spam', reason: `the email address matches the disallowed "${email}"` }).execute();
      assert.equal(await publicCommentHeading(server.origin, article.path), '5 Comments');

      const unconfirmed = await post(clients.admin, '/admin/comments/privacy/erase', { erase_email: email });
      assert.equal(unconfirmed.response.status, 422);
      assert.ok(parsePage(unconfirmed.html).getElementById('confirm-error'));
      assert.equal(parsePage(unconfirmed.html).getElementById('erase_email')?.getAttribute('value'), email, 'typed address kept');
      assert.equal((await db().selectFrom('comments').select('id').where('author_email', '=', email).execute()).length, 5, 'nothing erased yet');

      const { response } = await post(clients.admin, '/admin/comments/privacy/erase', { erase_email: email, confirm: '1' });
      assert.equal(response.status, 303);
      const location = response.headers.get('location')!;
      assert.equal(location, `${PAGE}?erased=1&deleted=4`);
      assert.ok(!location.includes('erase.me'), 'the address stays out of URLs');
      assert.match(parsePage((await clients.admin.get(location)).html).querySelector('.notice')?.textContent ?? '', /4 comments deleted, 1 comment kept as “\[deleted\]”/);

      const left = await db().selectFrom('comments').selectAll().where('article_id', '=', article.id).orderBy('id').execute();
      assert.deepEqual(left.map((c) => c.id), [withReply, reply]);
      const placeholder = left[0]!;
      assert.deepEqual(
        { name: placeholder.author_name, email: placeholder.author_email, url: placeholder.author_url, body: placeholder.body, html: placeholder.body_html, ip: placeholder.ip_hash, net: placeholder.network_hash, ua: placeholder.user_agent, notify: placeholder.notify_replies },
        { name: '', email: '', url: '', body: '', html: '', ip: '', net: '', ua: '', notify: 0 },
      );
      assert.equal(placeholder.erased_at, clock.now().toISOString());
      assert.equal(left[1]!.parent_id, withReply, 'the reply still hangs from the placeholder');
      const reasons = await db().selectFrom('comment_events').select('reason').where('comment_id', '=', withReply).execute();
      assert.ok(reasons.length >= 2 && reasons.every((e) => !e.reason.includes('erase.me')), 'no decision reason quotes the erased address');
      assert.equal(placeholder.moderation_reason, 'the commenter’s data was erased');
      assert.equal((await db().selectFrom('comment_reports').select('comment_id').where('comment_id', '=', withReply).execute()).length, 0);
      assert.equal((await db().selectFrom('comment_notifications').select('comment_id').where('comment_id', '=', withReply).execute()).length, 0);
      for (const id of [lone, held, ownThread, ownReply]) assert.equal((await db().selectFrom('comment_events').select('id').where('comment_id', '=', id).execute()).length, 0);
      assert.equal((await db().selectFrom('articles').select('comment_count').where('id', '=', article.id).executeTakeFirstOrThrow()).comment_count, 1);
      assert.equal(await publicCommentHeading(server.origin, article.path), '1 Comment');

      // The queue shows the placeholder as [deleted], with no edit link.
      const queue = parsePage((await clients.editor.get('/admin/comments?status=approved')).html);
      const row = queue.querySelector(`tr[data-comment="${withReply}"]`)!;
      assert.match(row.textContent ?? '', /\[deleted\]/);
      assert.equal(row.querySelector(`a[href="/admin/comments/${withReply}/edit"]`), null);

      const again = await post(clients.admin, '/admin/comments/privacy/erase', { erase_email: email, confirm: '1' });
      assert.equal(again.response.headers.get('location'), `${PAGE}?erased=0&deleted=0`);
      assert.equal((await post(clients.editor, '/admin/comments/privacy/erase', { erase_email: email, confirm: '1' })).response.status, 403);
    });

    test('the retention job blanks old IP hashes and user agents and deletes old spam', async () => {
      const article = await seedArticle(db(), clock, 'Retention story');
      const at = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY).toISOString();
      const old = await addComment(db(), article.id, { status: 'approved', createdAt: at(91), ipHash: '1'.repeat(64), networkHash: '2'.repeat(64) });
      const recent = await addComment(db(), article.id, { status: 'approved', createdAt: at(89), ipHash: '3'.repeat(64) });
      const oldSpam = await addComment(db(), article.id, { status: 'spam', createdAt: at(31) });
      const newSpam = await addComment(db(), article.id, { status: 'spam', createdAt: at(29) });

      const result = await purgeExpiredCommentData(db(), clock.now(), DEFAULT_COMMENT_SETTINGS);
      assert.equal(result.spamDeleted, 1);
      assert.ok(result.blanked >= 1);
      const rows = await db().selectFrom('comments').select(['id', 'ip_hash', 'network_hash', 'user_agent']).where('id', 'in', [old, recent, oldSpam, newSpam]).orderBy('id').execute();
      assert.deepEqual(rows.map((r) => r.id), [old, recent, newSpam]);
      assert.deepEqual(rows[0], { id: old, ip_hash: '', network_hash: '', user_agent: '' });
      assert.equal(rows[1]!.ip_hash, '3'.repeat(64));
      assert.equal(rows[1]!.user_agent, 'TestBrowser/1.0');

      // A shorter retention period takes effect on the next run; a second run finds nothing to do.
      await purgeExpiredCommentData(db(), clock.now(), { ipRetentionDays: 7 });
      assert.equal((await db().selectFrom('comments').select('ip_hash').where('id', '=', recent).executeTakeFirstOrThrow()).ip_hash, '');
      assert.deepEqual(await purgeExpiredCommentData(db(), clock.now(), { ipRetentionDays: 7 }), { blanked: 0, spamDeleted: 0 });
    });
  });
}
