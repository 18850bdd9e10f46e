import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiRequest, newsroomUser, tokenFor } from '../../../test/support/api.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { addComment, seedArticle } from '../../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import type { NewsroomUser } from '../../newsroom/accounts.ts';
import { ensureSection } from '../../articles/taxonomy-store.ts';

const ALL = ['content:read', 'articles:write', 'articles:publish', 'comments:moderate'] as const;

for (const dialect of DIALECTS) {
  describe(`content API writes [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-01T09:00:00Z');
    const db = () => server.database.db;
    const call = (method: string, path: string, token: string, body?: unknown) => apiRequest(server.origin, method, path, { token, body });
    let editor: NewsroomUser;
    let editorToken: string;

    before(async () => {
      server = await startTestServer(dialect, { clock });
      editor = await newsroomUser(db(), clock, 'editor', 'Erin Editor');
      editorToken = await tokenFor(db(), clock, editor, ALL);
      await ensureSection(db(), { slug: 'world', name: 'World' });
    });
    after(() => server.close());

    test('create → update (a stale version is a 409) → publish → readable → unpublish → 404', async () => {
      const created = await call('POST', '/api/v1/articles', editorToken, {
        headline: 'Harbour council votes on sea wall',
        dek: 'A first draft',
        body_html: '<p>The council met.</p><script>alert(1)</script>',
        section: 'world',
        tags: ['Harbour', 'Council'],
        credits: ['Fran Field contributed reporting.'],
      });
      assert.equal(created.status, 201);
      const draft = created.body.data;
      assert.equal(draft.status, 'draft');
      assert.equal(draft.version, 1);
      assert.equal(draft.slug, 'harbour-council-votes-on-sea-wall');
      assert.equal(draft.body_html, '<p>The council met.</p>', 'sanitised like the editor');
      assert.deepEqual(draft.authors, ['Erin Editor'], 'the byline defaults to the token’s creator');
      assert.deepEqual(draft.tags, ['Harbour', 'Council']);
      assert.equal(draft.section, 'world');
      const key = await tokenFor(db(), clock, editor, ['content:read']);
      assert.equal((await call('GET', `/api/v1/articles/${draft.slug}`, key)).status, 404, 'a draft is not public');

      const updated = await call('PATCH', `/api/v1/articles/${draft.id}`, editorToken, { version: 1, dek: 'The vote is on Tuesday' });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.data.version, 2);
      assert.equal(updated.body.data.dek, 'The vote is on Tuesday');
      assert.equal(updated.body.data.headline, 'Harbour council votes on sea wall', 'fields not sent are kept');
      assert.deepEqual(updated.body.data.tags, ['Harbour', 'Council']);

      const stale = await call('PATCH', `/api/v1/articles/${draft.id}`, editorToken, { version: 1, dek: 'Overwriting someone else' });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'conflict');
      assert.match(stale.body.error.message, /version 2/);
      const revisions = await db().selectFrom('revisions').select('version').where('article_id', '=', draft.id).execute();
      assert.deepEqual(revisions.map((r) => r.version).sort(), [1, 2], 'every save is a revision; the refused one is not');

      const published = await call('POST', `/api/v1/articles/${draft.id}/publish`, editorToken, { version: 2 });
      assert.equal(published.status, 200);
      assert.equal(published.body.data.status, 'published');
      assert.equal(published.body.data.published_at, clock.now().toISOString());
      const readable = await call('GET', `/api/v1/articles/${draft.slug}`, key);
      assert.equal(readable.status, 200);
      assert.equal(readable.body.data.dek, 'The vote is on Tuesday');
      assert.deepEqual(readable.body.data.credits, ['Fran Field contributed reporting.']);
      assert.equal((await call('GET', '/api/v1/articles?fields=id', key)).body.data[0].id, draft.id);

      const unpublished = await call('POST', `/api/v1/articles/${draft.id}/unpublish`, editorToken);
      assert.equal(unpublished.status, 200, 'no body: based on the current version');
      assert.equal(unpublished.body.data.status, 'unpublished');
      assert.equal((await call('GET', `/api/v1/articles/${draft.slug}`, key)).status, 404);
      assert.ok(!(await call('GET', '/api/v1/articles?fields=id', key)).body.data.some((a: { id: number }) => a.id === draft.id));
    });

    test('publish_at in the future schedules; the article is readable from that time on', async () => {
      const created = await call('POST', '/api/v1/articles', editorToken, { headline: 'Embargoed budget', body_html: '<p>Numbers.</p>' });
      const at = new Date(clock.now().getTime() + 2 * 3_600_000).toISOString();
      const scheduled = await call('POST', `/api/v1/articles/${created.body.data.id}/publish`, editorToken, { publish_at: at });
      assert.equal(scheduled.status, 200);
      assert.equal(scheduled.body.data.status, 'scheduled');
      assert.equal(scheduled.body.data.published_at, at);
      const key = await tokenFor(db(), clock, editor, ['content:read']);
      assert.equal((await call('GET', '/api/v1/articles/embargoed-budget', key)).status, 404);
      clock.advance(2 * 3_600_000);
      assert.equal((await call('GET', '/api/v1/articles/embargoed-budget', key)).status, 200);
    });

    test('role rules apply: a contributor’s token drafts and submits but cannot publish', async () => {
      const contributor = await newsroomUser(db(), clock, 'contributor', 'Cara Contributor');
      const token = await tokenFor(db(), clock, contributor, ALL);
      const created = await call('POST', '/api/v1/articles', token, { headline: 'A contributor’s story', body_html: '<p>Text.</p>', submit_for_review: true });
      assert.equal(created.status, 201);
      assert.equal(created.body.data.status, 'pending');
      const publish = await call('POST', `/api/v1/articles/${created.body.data.id}/publish`, token);
      assert.equal(publish.status, 403);
      assert.equal(publish.body.error.code, 'forbidden');
      assert.equal((await db().selectFrom('articles').select('status').where('id', '=', created.body.data.id).executeTakeFirstOrThrow()).status, 'pending');
      // Nor may they touch someone else's article, or moderate.
      const others = await call('POST', '/api/v1/articles', editorToken, { headline: 'An editor’s story', body_html: '<p>Text.</p>' });
      assert.equal((await call('PATCH', `/api/v1/articles/${others.body.data.id}`, token, { version: 1, headline: 'Hijacked' })).status, 403);
      const article = await seedArticle(db(), clock, 'Comment target for contributor');
      const comment = await addComment(db(), article.id, { status: 'pending' });
      assert.equal((await call('POST', `/api/v1/comments/${comment}/moderate`, token, { action: 'approve' })).status, 403);
      // The role is read at each request: promoted to author, the same token publishes their own article.
      await db().updateTable('users').set({ role: 'author' }).where('id', '=', contributor.id).execute();
      const now = await call('POST', `/api/v1/articles/${created.body.data.id}/publish`, token);
      assert.equal(now.status, 200);
      assert.equal(now.body.data.status, 'published');
    });

    test('moderation through the API changes the article’s public comment_count', async () => {
      const article = await seedArticle(db(), clock, 'Readers weigh in on the harbour');
      const slug = article.path.replace('/articles/', '');
      const comment = await addComment(db(), article.id, { status: 'pending', name: 'Private Person', email: 'private@example.org' });
      const key = await tokenFor(db(), clock, editor, ['content:read']);
      const count = async () => (await call('GET', `/api/v1/articles/${slug}?fields=comment_count`, key)).body.data.comment_count;
      assert.equal(await count(), 0);
      const approved = await call('POST', `/api/v1/comments/${comment}/moderate`, editorToken, { action: 'approve', reason: 'fine' });
      assert.equal(approved.status, 200);
      assert.deepEqual(approved.body.data, { id: comment, status: 'approved', changed: true });
      assert.ok(!JSON.stringify(approved.body).includes('private'), 'no commenter data in the answer');
      assert.equal(await count(), 1);
      const again = await call('POST', `/api/v1/comments/${comment}/moderate`, editorToken, { action: 'approve' });
      assert.equal(again.body.data.changed, false);
      assert.equal((await call('POST', `/api/v1/comments/${comment}/moderate`, editorToken, { action: 'spam' })).body.data.status, 'spam');
      assert.equal(await count(), 0);
      const events = await db().selectFrom('comment_events').select(['action', 'user_id']).where('comment_id', '=', comment).orderBy('id').execute();
      assert.deepEqual(events.map((e) => [e.action, e.user_id]), [['approve', editor.id], ['spam', editor.id]], 'recorded as the token’s creator');
      assert.equal((await call('POST', '/api/v1/comments/99999/moderate', editorToken, { action: 'approve' })).status, 404);
    });

    test('API writes tell site listeners (webhooks) like the newsroom does', async () => {
      await db()
        .insertInto('webhooks')
        .values({ url: 'https://127.0.0.1:9/hook', secret: 'a'.repeat(64), events: JSON.stringify(['article.published', 'article.updated', 'article.unpublished', 'comment.approved']), active: 1, created_at: '2026-12-01T09:00:00Z', updated_at: '2026-12-01T09:00:00Z' })
        .execute();
      const created = await call('POST', '/api/v1/articles', editorToken, { headline: 'Announced story', body_html: '<p>News.</p>' });
      const id = created.body.data.id;
      await call('POST', `/api/v1/articles/${id}/publish`, editorToken);
      await call('PATCH', `/api/v1/articles/${id}`, editorToken, { version: 2, headline: 'Announced story, updated' });
      await call('POST', `/api/v1/articles/${id}/unpublish`, editorToken);
      const article = await seedArticle(db(), clock, 'Announced comment target');
      const comment = await addComment(db(), article.id, { status: 'pending' });
      await call('POST', `/api/v1/comments/${comment}/moderate`, editorToken, { action: 'approve' });
      const expected = ['article.published', 'article.updated', 'article.unpublished', 'comment.approved'];
      let events: string[] = [];
      for (let waited = 0; waited < 5000 && events.length < expected.length; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        events = (await db().selectFrom('webhook_deliveries').select('event').orderBy('id').execute()).map((d) => d.event);
      }
      assert.deepEqual(events.sort(), expected.sort(), 'drafts are not announced; each public change is, once');
    });

    test('validation errors name the field: schema (400) and newsroom rules (422)', async () => {
      const cases: [string, string, unknown, number, string][] = [
        ['POST', '/api/v1/articles', { body_html: '<p>x</p>' }, 400, 'headline'],
        ['POST', '/api/v1/articles', { headline: 'x', tags: { not: 'a list' } }, 400, 'tags'],
        ['POST', '/api/v1/articles', { headline: 'x', tags: ['ok', 'comma, inside'] }, 400, 'tags.1'],
        ['POST', '/api/v1/articles', { headline: 'x', comment_status: 'maybe' }, 400, 'comment_status'],
        ['POST', '/api/v1/articles', { headline: 'x', body: 'typo for body_html' }, 400, 'body'],
        ['POST', '/api/v1/articles', { headline: 'x'.repeat(301), body_html: '<p>x</p>' }, 422, 'headline'],
        ['POST', '/api/v1/articles', { headline: 'No body', submit_for_review: true }, 422, 'body_html'],
        ['POST', '/api/v1/articles', { headline: 'Bad section', section: 'no-such-section' }, 422, 'section'],
        ['PATCH', '/api/v1/articles/1', { dek: 'no version' }, 400, 'version'],
        ['PATCH', '/api/v1/articles/abc', { version: 1 }, 400, 'id'],
        ['POST', '/api/v1/articles/1/publish', { publish_at: 'tomorrow' }, 400, 'publish_at'],
        ['POST', '/api/v1/comments/1/moderate', { action: 'delete' }, 400, 'action'],
        ['POST', '/api/v1/comments/1/moderate', {}, 400, 'action'],
      ];
      for (const [method, path, body, status, field] of cases) {
        const response = await call(method, path, editorToken, body);
        assert.equal(response.status, status, `${method} ${path} ${JSON.stringify(body)}`);
        assert.equal(response.body.error.field, field, `${method} ${path} ${JSON.stringify(body)}`);
        assert.equal(response.body.error.code, status === 400 ? 'bad_request' : 'validation_failed');
      }
      const notJson = await apiRequest(server.origin, 'POST', '/api/v1/articles', { token: editorToken, headers: { 'content-type': 'application/json' }, body: undefined });
      assert.equal(notJson.status, 400);
    });
  });
}
