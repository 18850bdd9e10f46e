import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { addComment, seedArticle, signedInClients } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { parsePage, type Client } from '../../../test/support/http.ts';
import type { Role } from '../../db/schema.ts';
import { submitForm } from '../../../test/support/newsroom.ts';

const post = submitForm;

for (const dialect of DIALECTS) {
  describe(`comment edits, commenter history and bans [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let clients: Record<Role, Client>;
    const clock = new TestClock('2026-12-01T09:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      clients = await signedInClients(server.database.db, clock, server.origin, ['author', 'editor']);
    });
    after(() => server.close());
    const db = () => server.database.db;

    test('a moderator edit is validated like a reader comment, keeps typed text on error, and re-renders the text', async () => {
      const article = await seedArticle(db(), clock, 'Edited comment story');
      const id = await addComment(db(), article.id, { status: 'approved', name: 'Edna', email: 'edna@example.org', body: 'Original text.' });
      const path = `/admin/comments/${id}/edit`;
      const form = parsePage((await clients.editor.get(path)).html);
      assert.equal(form.querySelectorAll('h1').length, 1);
      assert.equal(form.getElementById('author')?.getAttribute('value'), 'Edna');
      assert.equal(form.getElementById('comment')?.textContent, 'Original text.');
      assert.equal(form.querySelector('label[for="email"]')?.textContent?.trim().startsWith('Email'), true);

      const bad = await post(clients.editor, path, path, { author: 'Edna', email: 'not an email', url: '', comment: 'Typed *new* text' });
      assert.equal(bad.response.status, 422);
      const page = parsePage(bad.html);
      assert.ok(page.getElementById('email-error')?.textContent);
      assert.equal(page.getElementById('email')?.getAttribute('aria-invalid'), 'true');
      assert.match(page.getElementById('email')?.getAttribute('aria-describedby') ?? '', /email-error/);
      assert.equal(page.getElementById('email')?.getAttribute('value'), 'not an email');
      assert.equal(page.getElementById('comment')?.textContent, 'Typed *new* text');
      assert.ok(page.querySelector('.error-summary a[href="#email"]'));
      assert.equal((await db().selectFrom('comments').select('body').where('id', '=', id).executeTakeFirstOrThrow()).body, 'Original text.');
      const long = await post(clients.editor, path, path, { author: 'Edna', email: 'edna@example.org', url: '', comment: 'x'.repeat(5001) });
      assert.equal(long.response.status, 422, 'the readers’ length limit applies');
      assert.ok(parsePage(long.html).getElementById('comment-error'));

      const good = await post(clients.editor, path, path, { author: '  Edna  Moderated ', email: 'Edna@Example.ORG', url: 'edna.example.org', comment: 'Typed *new* text\n\n> quoted' });
      assert.equal(good.response.status, 303);
      assert.equal(good.response.headers.get('location'), `${path}?saved=1`);
      assert.equal(parsePage((await clients.editor.get(`${path}?saved=1`)).html).querySelector('.notice')?.textContent?.trim(), 'Comment saved.');
      const row = await db().selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.author_name, 'Edna Moderated');
      assert.equal(row.author_email, 'edna@example.org');
      assert.equal(row.author_url, 'https://edna.example.org/');
      assert.equal(row.body, 'Typed *new* text\n\n> quoted');
      assert.equal(row.body_html, '<p>Typed <em>new</em> text</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>');
      assert.equal(row.edited_at, clock.now().toISOString());

      // The decision history lists the edit with who made it.
      await post(clients.editor, '/admin/comments?status=approved', `/admin/comments/${id}/unapprove`, { reason: 'checking a claim' });
      const history = parsePage((await clients.editor.get(path)).html);
      const rows = [...history.querySelectorAll('.comment-history tbody tr')].map((tr) => tr.textContent ?? '');
      assert.equal(rows.length, 2);
      assert.match(rows[0]!, /The editor.*edit.*edited by a moderator/s);
      assert.match(rows[1]!, /The editor.*unapprove.*Pending.*checking a claim/s);

      assert.equal((await clients.author.get(path)).response.status, 403);
      assert.equal((await clients.editor.get('/admin/comments/999999/edit')).response.status, 404);
    });

    test('the history page lists a commenter by email and by IP hash, with every status', async () => {
      const article = await seedArticle(db(), clock, 'History story');
      const ip = 'c'.repeat(64);
      const network = 'd'.repeat(64);
      const a = await addComment(db(), article.id, { status: 'approved', email: 'Hist@Example.org', ipHash: ip, networkHash: network, body: 'First from hist' });
      const b = await addComment(db(), article.id, { status: 'spam', email: 'hist@example.org', ipHash: 'e'.repeat(64), body: 'Second from hist' });
      const c = await addComment(db(), article.id, { status: 'pending', email: 'other@example.org', ipHash: ip, networkHash: network, body: 'Same IP, other email' });

      const byEmail = parsePage((await clients.editor.get('/admin/comments/history?email=HIST%40example.org')).html);
      assert.deepEqual([...byEmail.querySelectorAll('tr[data-comment]')].map((r) => Number(r.getAttribute('data-comment'))), [b, a]);
      assert.match(byEmail.querySelector('h1')?.textContent ?? '', /hist@example\.org/);
      assert.deepEqual([...byEmail.querySelectorAll('tr[data-comment] .status')].map((s) => s.textContent), ['Spam', 'Approved']);

      const byIp = parsePage((await clients.editor.get(`/admin/comments/history?ip=${ip}`)).html);
      assert.deepEqual([...byIp.querySelectorAll('tr[data-comment]')].map((r) => Number(r.getAttribute('data-comment'))), [c, a]);
      assert.match(byIp.querySelector('h1')?.textContent ?? '', /IP cccccccc/);
      const byNetwork = parsePage((await clients.editor.get(`/admin/comments/history?network=${network}`)).html);
      assert.equal(byNetwork.querySelectorAll('tr[data-comment]').length, 2);

      for (const bad of ['?ip=not-a-hash', '?email=nobody', '']) assert.equal((await clients.editor.get(`/admin/comments/history${bad}`)).response.status, 404, bad);
      assert.equal((await clients.author.get(`/admin/comments/history?ip=${ip}`)).response.status, 403);
    });

    test('banning an email stores the ban, can send pending comments to spam, and is listed and removable on the settings page', async () => {
      const article = await seedArticle(db(), clock, 'Ban story');
      const pending = await addComment(db(), article.id, { status: 'pending', email: 'troll@example.org' });
      const approved = await addComment(db(), article.id, { status: 'approved', email: 'troll@example.org' });
      const history = '/admin/comments/history?email=troll%40example.org';
      const form = parsePage((await clients.editor.get(history)).html);
      assert.match(form.querySelector('label[for="spam_pending"]')?.textContent ?? '', /1 pending comment/);

      const banned = await post(clients.editor, history, '/admin/comments/bans', { kind: 'email', value: 'Troll@Example.org', note: 'abusive', spam_pending: '1' });
      assert.equal(banned.response.status, 303);
      const location = banned.response.headers.get('location')!;
      assert.match(parsePage((await clients.editor.get(location)).html).querySelector('.notice')?.textContent ?? '', /Banned\. 1 pending comment marked as spam/);
      const bans = await db().selectFrom('comment_bans').selectAll().execute();
      assert.equal(bans.length, 1);
      assert.deepEqual({ kind: bans[0]!.kind, value: bans[0]!.value, note: bans[0]!.note }, { kind: 'email', value: 'troll@example.org', note: 'abusive' });
      const statuses = await db().selectFrom('comments').select(['id', 'status']).where('id', 'in', [pending, approved]).orderBy('id').execute();
      assert.deepEqual(statuses.map((s) => s.status), ['spam', 'approved']);

      // Banning again changes nothing; a ban of an IP hash works the same way.
      assert.equal((await post(clients.editor, history, '/admin/comments/bans', { kind: 'email', value: 'troll@example.org', note: '' })).response.status, 303);
      assert.equal((await post(clients.editor, history, '/admin/comments/bans', { kind: 'ip', value: 'f'.repeat(64), note: '' })).response.status, 303);
      assert.equal((await db().selectFrom('comment_bans').select('id').execute()).length, 2);
      assert.equal((await post(clients.editor, history, '/admin/comments/bans', { kind: 'ip', value: '203.0.113.9', note: '' })).response.status, 422);
      const longNote = await post(clients.editor, history, '/admin/comments/bans', { kind: 'network', value: 'f'.repeat(64), note: 'x'.repeat(501) });
      assert.equal(longNote.response.status, 422);
      assert.ok(parsePage(longNote.html).getElementById('note-error'));

      const settings = parsePage((await clients.editor.get('/admin/comments/settings')).html);
      const banRow = settings.querySelector(`tr[data-ban="${bans[0]!.id}"]`)!;
      assert.match(banRow.textContent ?? '', /troll@example\.org.*abusive/s);
      const removed = await post(clients.editor, '/admin/comments/settings', `/admin/comments/bans/${bans[0]!.id}/delete`, {});
      assert.equal(removed.response.status, 303);
      assert.equal(removed.response.headers.get('location'), '/admin/comments/settings?unbanned=1');
      assert.equal((await db().selectFrom('comment_bans').select('id').where('kind', '=', 'email').execute()).length, 0);
      assert.equal((await post(clients.editor, '/admin/comments/settings', `/admin/comments/bans/${bans[0]!.id}/delete`, {})).response.status, 404);
      assert.equal((await post(clients.author, '/admin', '/admin/comments/bans', { kind: 'email', value: 'x@example.org' })).response.status, 403);
    });
  });
}
