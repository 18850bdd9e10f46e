import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../test/support/http.ts';
import { signIn, submitForm } from '../../test/support/newsroom.ts';
import { ensureSection } from '../articles/taxonomy-store.ts';
import { createUser } from './accounts.ts';
import { startScheduler } from './scheduler.ts';

const MINUTE = 60_000;
const PASSWORD = 'editorial test password';

/** The editor form fields with sensible defaults. */
function article(fields: Record<string, string> = {}): Record<string, string> {
  return { headline: 'Tram line opens', dek: 'A new line east.', slug: '', body_html: '<p>The first tram left at six.</p>', dateline: 'NORTHBRIDGE', section: 'politics', tags: 'Transport', authors: '', credits: '', comment_status: 'open', publish_at: '', version: '', ...fields };
}

/** Opens the editor page at `path` and submits it with `fields` and `action`. */
async function saveVia(client: Client, path: string, action: string, fields: Record<string, string>, target = path === '/admin/articles/new' ? '/admin/articles' : path) {
  const { html } = await client.get(path);
  const page = parsePage(html);
  const version = page.querySelector('input[name="version"]')?.getAttribute('value') ?? '';
  return client.postForm(target, { ...fields, _csrf: csrfTokenOf(page), version, action });
}

const idFrom = (response: Response): number => Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1]);

for (const dialect of DIALECTS) {
  describe(`editorial workflow [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-01T08:00:00Z');
    const clients: Record<string, Client> = {};

    before(async () => {
      server = await startTestServer(dialect, { clock, env: { SITE_TIMEZONE: 'Europe/London' } });
      const deps = { db: server.database.db, clock, secret: 's' };
      await ensureSection(server.database.db, { slug: 'politics', name: 'Politics' });
      for (const role of ['contributor', 'author', 'editor', 'admin'] as const) {
        await createUser(deps, { email: `${role}@example.com`, displayName: `The ${role}`, role, password: PASSWORD });
        clients[role] = new Client(server.origin);
        assert.equal((await signIn(clients[role]!, `${role}@example.com`, PASSWORD)).response.status, 303);
      }
      await createUser(deps, { email: 'other@example.com', displayName: 'Other Author', role: 'author', password: PASSWORD });
      clients.other = new Client(server.origin);
      await signIn(clients.other, 'other@example.com', PASSWORD);
    });
    after(() => server.close());

    test('role matrix: who may draft, submit, publish and edit whose articles', async () => {
      // A contributor drafts and submits, but may not publish (403, text kept).
      const draft = await saveVia(clients.contributor!, '/admin/articles/new', 'save', article({ headline: 'Contributor draft' }));
      assert.equal(draft.response.status, 303);
      const draftId = idFrom(draft.response);
      const refused = await saveVia(clients.contributor!, `/admin/articles/${draftId}`, 'publish', article({ headline: 'Contributor draft, publish?' }));
      assert.equal(refused.response.status, 403);
      assert.equal(parsePage(refused.html).getElementById('headline')?.getAttribute('value'), 'Contributor draft, publish?');
      assert.equal((await saveVia(clients.contributor!, `/admin/articles/${draftId}`, 'submit', article({ headline: 'Contributor draft' }))).response.status, 303);
      // The contributor is on the byline although the form named nobody.
      const page = parsePage((await clients.editor!.get(`/admin/articles/${draftId}`)).html);
      assert.match(page.getElementById('authors')?.getAttribute('value') ?? '', /The contributor/);

      // Another author may not even open it; an editor publishes it.
      assert.equal((await clients.other!.get(`/admin/articles/${draftId}`)).response.status, 403);
      assert.equal((await saveVia(clients.editor!, `/admin/articles/${draftId}`, 'publish', article({ headline: 'Contributor draft', authors: 'The contributor' }))).response.status, 303);
      // Once published, the contributor can no longer change it.
      assert.equal((await clients.contributor!.get(`/admin/articles/${draftId}`)).response.status, 403);

      // An author publishes their own article, but not someone else's.
      const own = await saveVia(clients.author!, '/admin/articles/new', 'publish', article({ headline: 'Author story' }));
      assert.equal(own.response.status, 303);
      const ownId = idFrom(own.response);
      assert.equal((await clients.other!.get(`/admin/articles/${ownId}`)).response.status, 403);
      const foreign = await saveVia(clients.editor!, `/admin/articles/${ownId}`, 'save', article({ headline: 'Author story', authors: 'The author' }));
      assert.equal(foreign.response.status, 303);
      assert.equal((await new Client(server.origin).get('/articles/author-story')).response.status, 200);
    });

    test('a second save of the same version is refused with a conflict, keeping the text', async () => {
      const created = await saveVia(clients.editor!, '/admin/articles/new', 'save', article({ headline: 'Conflict story' }));
      const path = `/admin/articles/${idFrom(created.response)}`;
      const pageA = parsePage((await clients.editor!.get(path)).html);
      const pageB = parsePage((await clients.admin!.get(path)).html);
      const base = pageA.querySelector('input[name="version"]')!.getAttribute('value')!;
      const first = await clients.editor!.postForm(path, { _csrf: csrfTokenOf(pageA), ...article({ headline: 'Conflict story (editor)' }), version: base, action: 'save' });
      assert.equal(first.response.status, 303);
      const second = await clients.admin!.postForm(path, { _csrf: csrfTokenOf(pageB), ...article({ headline: 'Conflict story (admin)', body_html: '<p>My own careful text.</p>' }), version: base, action: 'save' });
      assert.equal(second.response.status, 409);
      const page = parsePage(second.html);
      assert.match(page.querySelector('.error-summary')?.textContent ?? '', /Someone else saved this article/);
      assert.equal(page.getElementById('headline')?.getAttribute('value'), 'Conflict story (admin)');
      assert.match(second.html, /My own careful text\./);
      const stored = await server.database.db.selectFrom('articles').select(['headline', 'version']).where('id', '=', idFrom(created.response)).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { headline: 'Conflict story (editor)', version: Number(base) + 1 });
    });

    test('changing the slug of a published article redirects the old address permanently; editing the headline keeps the slug', async () => {
      const created = await saveVia(clients.editor!, '/admin/articles/new', 'publish', article({ headline: 'Bridge closes' }));
      const path = `/admin/articles/${idFrom(created.response)}`;
      assert.equal((await saveVia(clients.editor!, path, 'publish', article({ headline: 'Bridge closes for a week', slug: 'bridge-closes' }))).response.status, 303);
      const reader = new Client(server.origin);
      assert.equal((await reader.get('/articles/bridge-closes')).response.status, 200);
      assert.equal((await saveVia(clients.editor!, path, 'publish', article({ headline: 'Bridge closes for a week', slug: 'bridge-closure' }))).response.status, 303);
      const old = await reader.get('/articles/bridge-closes?utm=x');
      assert.equal(old.response.status, 301);
      assert.equal(old.response.headers.get('location'), '/articles/bridge-closure?utm=x');
      assert.equal((await reader.get('/articles/bridge-closure')).response.status, 200);
      // Another article may not take over the old address.
      const clash = await saveVia(clients.editor!, '/admin/articles/new', 'save', article({ headline: 'Another', slug: 'bridge-closes' }));
      assert.equal(clash.response.status, 422);
      assert.ok(parsePage(clash.html).getElementById('slug-error'));
    });

    test('a scheduled article is invisible everywhere until its time (site time zone), then appears, also after downtime', async () => {
      // 09:30 in London on 1 December is 09:30 UTC; the clock says 08:00 UTC.
      const created = await saveVia(clients.editor!, '/admin/articles/new', 'schedule', article({ headline: 'Embargoed budget', publish_at: '2026-12-01T09:30' }));
      assert.equal(created.response.status, 303);
      const id = idFrom(created.response);
      const row = await server.database.db.selectFrom('articles').select(['status', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'scheduled', published_at: '2026-12-01T09:30:00.000Z' });
      const reader = new Client(server.origin);
      const hidden = async () => {
        assert.equal((await reader.get('/articles/embargoed-budget')).response.status, 404);
        for (const path of ['/', '/section/politics', '/tag/transport', '/author/the-editor']) assert.ok(!(await reader.get(path)).html.includes('Embargoed budget'), path);
      };
      await hidden();
      // The newsroom can preview it; readers still cannot see it.
      const preview = await clients.editor!.get(`/admin/articles/${id}/preview`);
      assert.equal(preview.response.status, 200);
      assert.equal(parsePage(preview.html).querySelector('h1')?.textContent, 'Embargoed budget');
      assert.match(preview.html, /<meta name="robots" content="noindex, nofollow"\/>/);
      assert.equal(preview.response.headers.get('cache-control'), 'no-store');
      assert.equal((await clients.other!.get(`/admin/articles/${id}/preview`)).response.status, 403);
      assert.equal((await reader.get(`/admin/articles/${id}/preview`)).response.status, 303);
      clock.advance(89 * MINUTE);
      await hidden();
      // The server "was down" at 09:30: the scheduler's run at the next start publishes it, once.
      clock.advance(2 * MINUTE);
      assert.equal((await reader.get('/articles/embargoed-budget')).response.status, 200);
      const log = { info() {}, error() {} } as never;
      const [a, b] = [startScheduler({ db: server.database.db, clock, log }), startScheduler({ db: server.database.db, clock, log })];
      const runs = await Promise.all([a.runOnce(), b.runOnce()]);
      a.stop();
      b.stop();
      assert.deepEqual(runs.flat().filter((x) => x === id), [id]);
      assert.equal((await server.database.db.selectFrom('articles').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'published');
      assert.ok((await reader.get('/')).html.includes('Embargoed budget'));
    });

    test('nothing of an embargoed article leaks: not its old address, its tag or its author page', async () => {
      const created = await saveVia(clients.other!, '/admin/articles/new', 'schedule', article({ headline: 'Secret merger', slug: 'sched-9999', tags: 'Merger Special', publish_at: '2030-01-01T09:00' }));
      assert.equal(created.response.status, 303);
      const path = `/admin/articles/${idFrom(created.response)}`;
      assert.equal((await saveVia(clients.other!, path, 'schedule', article({ headline: 'Secret merger', slug: 'secret-merger', tags: 'Merger Special', publish_at: '2030-01-01T09:00' }))).response.status, 303);
      const reader = new Client(server.origin);
      for (const url of ['/articles/sched-9999', '/articles/secret-merger', '/tag/merger-special', '/author/other-author']) {
        assert.equal((await reader.get(url)).response.status, 404, url);
      }
    });

    test('refusals: publishing now with a future time, a correction before publication, a post to an article one may not open', async () => {
      const future = await saveVia(clients.editor!, '/admin/articles/new', 'publish', article({ headline: 'Not yet', publish_at: '2031-01-01T09:00' }));
      assert.equal(future.response.status, 422);
      assert.ok(parsePage(future.html).getElementById('publish_at-error'));
      const draft = await saveVia(clients.editor!, '/admin/articles/new', 'save', article({ headline: 'Draft to correct' }));
      const path = `/admin/articles/${idFrom(draft.response)}`;
      const page = parsePage((await clients.editor!.get(path)).html);
      const correction = await clients.editor!.postForm(`${path}/corrections`, { _csrf: csrfTokenOf(page), correction: 'Too early.' });
      assert.equal(correction.response.status, 422);
      const intruder = await clients.other!.postForm(path, { ...article({ headline: 'Hijack' }), _csrf: csrfTokenOf(parsePage((await clients.other!.get('/admin')).html)), version: '1', action: 'save' });
      assert.equal(intruder.response.status, 403);
      assert.equal(parsePage(intruder.html).getElementById('headline'), null, 'no editor for someone who may not open it');
    });

    test('scheduling in the past is refused; unpublishing takes an article off the site', async () => {
      const past = await saveVia(clients.editor!, '/admin/articles/new', 'schedule', article({ headline: 'Too late', publish_at: '2020-01-01T10:00' }));
      assert.equal(past.response.status, 422);
      assert.ok(parsePage(past.html).getElementById('publish_at-error'));
      const live = await saveVia(clients.editor!, '/admin/articles/new', 'publish', article({ headline: 'Short lived' }));
      assert.equal((await new Client(server.origin).get('/articles/short-lived')).response.status, 200);
      assert.equal((await saveVia(clients.editor!, `/admin/articles/${idFrom(live.response)}`, 'unpublish', article({ headline: 'Short lived' }))).response.status, 303);
      assert.equal((await new Client(server.origin).get('/articles/short-lived')).response.status, 404);
    });

    test('every save is a revision; restoring one brings its text back as a new revision', async () => {
      const created = await saveVia(clients.editor!, '/admin/articles/new', 'save', article({ headline: 'Revision story', body_html: '<p>First text.</p>' }));
      const path = `/admin/articles/${idFrom(created.response)}`;
      await saveVia(clients.editor!, path, 'save', article({ headline: 'Revision story', body_html: '<p>Second text.</p>' }));
      const page = parsePage((await clients.editor!.get(path)).html);
      const items = [...page.querySelectorAll('.revisions li')].map((li) => li.textContent ?? '');
      assert.equal(items.length, 2);
      assert.match(items[0]!, /Version 2.*The editor: body \(current\)$/);
      const compare = await clients.editor!.get(page.querySelector('.revisions li a')!.getAttribute('href')!);
      assert.equal(compare.response.status, 200);
      const diff = parsePage(compare.html).getElementById('diff-body_html')?.parentElement;
      assert.equal(diff?.querySelector('del')?.textContent, 'First');
      assert.equal(diff?.querySelector('ins')?.textContent, 'Second');
      const restoreForm = page.querySelector('form[action$="/restore"]')!;
      const restored = await clients.editor!.postForm(restoreForm.getAttribute('action')!, { _csrf: csrfTokenOf(page), version: restoreForm.querySelector('input[name="version"]')!.getAttribute('value')! });
      assert.equal(restored.response.status, 303);
      const after = parsePage((await clients.editor!.get(path)).html);
      assert.match(after.getElementById('body_html')?.textContent ?? '', /First text\./);
      assert.equal(after.querySelectorAll('.revisions li').length, 3);
    });

    test('a correction is dated at the foot of the article, and substantial edits show "Updated"', async () => {
      const created = await saveVia(clients.editor!, '/admin/articles/new', 'publish', article({ headline: 'Vote date story' }));
      const path = `/admin/articles/${idFrom(created.response)}`;
      const reader = new Client(server.origin);
      let page = parsePage((await reader.get('/articles/vote-date-story')).html);
      assert.equal(page.querySelector('.dateline-updated'), null);
      assert.equal(page.querySelector('.article-corrections'), null);

      clock.advance(60 * MINUTE);
      const editorPage = parsePage((await clients.editor!.get(path)).html);
      const empty = await clients.editor!.postForm(`${path}/corrections`, { _csrf: csrfTokenOf(editorPage), correction: '  ' });
      assert.equal(empty.response.status, 422);
      const added = await clients.editor!.postForm(`${path}/corrections`, { _csrf: csrfTokenOf(editorPage), correction: 'An earlier version misstated the date of the vote.' });
      assert.equal(added.response.status, 303);
      const authorTry = await clients.author!.postForm(`${path}/corrections`, { _csrf: csrfTokenOf(editorPage), correction: 'Not allowed' });
      assert.equal(authorTry.response.status, 403);

      page = parsePage((await reader.get('/articles/vote-date-story')).html);
      const correction = page.querySelector('.article-corrections li');
      assert.match(correction?.textContent ?? '', /: An earlier version misstated the date of the vote\.$/);
      assert.equal(correction?.querySelector('time')?.getAttribute('datetime'), clock.now().toISOString());
      assert.ok(page.querySelector('.article-corrections')!.compareDocumentPosition(page.querySelector('[itemprop="articleBody"]') as Node) & 2 /* PRECEDING */);
      assert.equal(page.querySelector('.dateline-updated time')?.getAttribute('datetime'), clock.now().toISOString());
    });

    test('the newsroom list filters by status, section and author and searches headlines literally', async () => {
      const headlines = async (query: string) => [...parsePage((await clients.editor!.get(`/admin${query}`)).html).querySelectorAll('.admin-table tbody td:first-child > a:first-child')].map((a) => a.textContent);
      assert.ok((await headlines('?q=CONFLICT')).every((h) => /conflict/i.test(h ?? '')));
      assert.ok((await headlines('?q=CONFLICT')).length >= 1);
      assert.deepEqual(await headlines('?q=%25'), []);
      assert.deepEqual(await headlines('?q=_'), []);
      const published = await headlines('?status=published');
      assert.ok(published.includes('Author story') && !published.includes('Conflict story (editor)'));
      assert.deepEqual(await headlines('?author=the-contributor'), ['Contributor draft']);
      assert.ok((await headlines('?section=politics')).length > 0);
      assert.equal((await clients.editor!.get('/admin?status=bogus&page=-3&section[]=x')).response.status, 200);
    });

    test('editors manage sections and tags; authors may not', async () => {
      const editor = clients.editor!;
      assert.equal((await clients.author!.get('/admin/taxonomy')).response.status, 403);
      const created = await submitForm(editor, '/admin/taxonomy', '/admin/sections', { name: 'Opinion', slug: '', description: 'Columns and letters.', position: '9' });
      assert.equal(created.response.status, 303);
      assert.equal((await new Client(server.origin).get('/section/opinion')).response.status, 200);
      const clash = await submitForm(editor, '/admin/taxonomy', '/admin/sections', { name: 'Politics again', slug: 'politics', description: '', position: '1' });
      assert.equal(clash.response.status, 422);
      assert.match(parsePage(clash.html).getElementById('section-new-slug-error')?.textContent ?? '', /Another section already uses/);
      assert.equal(parsePage(clash.html).getElementById('section-new-name')?.getAttribute('value'), 'Politics again');
      const opinion = await server.database.db.selectFrom('sections').select('id').where('slug', '=', 'opinion').executeTakeFirstOrThrow();
      const renamed = await submitForm(editor, '/admin/taxonomy', `/admin/sections/${opinion.id}`, { name: 'Opinion & Letters', slug: 'opinion', description: 'Columns.', position: '2' });
      assert.equal(renamed.response.status, 303);
      assert.match((await new Client(server.origin).get('/')).html, /Opinion &amp; Letters/);
      const forbidden = await submitForm(clients.author!, '/admin', `/admin/sections/${opinion.id}/delete`, {});
      assert.equal(forbidden.response.status, 403);
      assert.equal((await submitForm(editor, '/admin/taxonomy', `/admin/sections/${opinion.id}/delete`, {})).response.status, 303);
      assert.equal((await new Client(server.origin).get('/section/opinion')).response.status, 404);
      const tag = await server.database.db.selectFrom('tags').select('id').where('slug', '=', 'transport').executeTakeFirstOrThrow();
      assert.equal((await submitForm(editor, '/admin/taxonomy', `/admin/tags/${tag.id}`, { name: 'Public transport', slug: 'public-transport' })).response.status, 303);
      assert.equal((await new Client(server.origin).get('/tag/public-transport')).response.status, 200);
    });

    test('drafts can be deleted by those who may edit them; published articles cannot', async () => {
      const draft = await saveVia(clients.contributor!, '/admin/articles/new', 'save', article({ headline: 'Throwaway draft' }));
      const id = idFrom(draft.response);
      const page = parsePage((await clients.contributor!.get(`/admin/articles/${id}`)).html);
      assert.equal((await clients.other!.postForm(`/admin/articles/${id}/delete`, { _csrf: csrfTokenOf(parsePage((await clients.other!.get('/admin')).html)) })).response.status, 403);
      assert.equal((await clients.contributor!.postForm(`/admin/articles/${id}/delete`, { _csrf: csrfTokenOf(page) })).response.status, 303);
      assert.equal(await server.database.db.selectFrom('articles').select('id').where('id', '=', id).executeTakeFirst(), undefined);
      const live = await saveVia(clients.editor!, '/admin/articles/new', 'publish', article({ headline: 'Keep me' }));
      const livePage = parsePage((await clients.editor!.get(`/admin/articles/${idFrom(live.response)}`)).html);
      assert.equal((await clients.editor!.postForm(`/admin/articles/${idFrom(live.response)}/delete`, { _csrf: csrfTokenOf(livePage) })).response.status, 422);
    });

    test('the body is sanitised on save', async () => {
      const created = await saveVia(clients.editor!, '/admin/articles/new', 'publish', article({ headline: 'Sanitised', body_html: '<p onclick="x()">Safe <a href="javascript:alert(1)">link</a></p><script>alert(1)</script>' }));
      assert.equal(created.response.status, 303);
      const { html } = await new Client(server.origin).get('/articles/sanitised');
      const body = parsePage(html).querySelector('[itemprop="articleBody"]')!.innerHTML;
      assert.doesNotMatch(body, /onclick|javascript:|<script/);
      assert.match(body, /Safe/);
    });

    // Last: it moves the shared clock on.
    test('control characters and noncharacters never reach a page; "Publish now" on a scheduled article publishes it now and keeps the seconds of a published time', async () => {
      const dirty = article({ headline: 'Clean\u0000 head\u0008line\ufffe', dek: 'Dek\u001b here', tags: 'Tag\u000b one', authors: 'Ann\u0007 Writer', credits: 'Credit\u0085 line', body_html: '<p>Body\u0000 text\uffff</p>' });
      const saved = await saveVia(clients.editor!, '/admin/articles/new', 'publish', dirty);
      assert.equal(saved.response.status, 303);
      const row = await server.database.db.selectFrom('articles').select(['slug', 'headline', 'dek', 'body_html', 'published_at']).where('id', '=', idFrom(saved.response)).executeTakeFirstOrThrow();
      assert.deepEqual([row.headline, row.dek, row.body_html], ['Clean headline', 'Dek here', '<p>Body text</p>']);
      const { html } = await new Client(server.origin).get(`/articles/${row.slug}`);
      assert.doesNotMatch(html, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/);
      assert.match(html, /Tag one/);

      // Saving the published article again keeps its publication instant although the form shows only minutes.
      clock.advance(90_000);
      const editor = parsePage((await clients.editor!.get(`/admin/articles/${idFrom(saved.response)}`)).html);
      const publishedShown = editor.querySelector('input[name="publish_at"]')?.getAttribute('value') ?? '';
      assert.match(publishedShown, /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
      assert.equal((await saveVia(clients.editor!, `/admin/articles/${idFrom(saved.response)}`, 'publish', article({ headline: 'Clean headline', tags: 'Tag one', authors: 'Ann Writer', publish_at: publishedShown }))).response.status, 303);
      const again = await server.database.db.selectFrom('articles').select('published_at').where('slug', '=', row.slug).executeTakeFirstOrThrow();
      assert.equal(again.published_at, row.published_at);

      // A scheduled article whose form still shows its time is published now by "Publish now".
      const scheduled = await saveVia(clients.editor!, '/admin/articles/new', 'schedule', article({ headline: 'Scheduled then rushed', publish_at: '2026-12-02T09:00' }));
      const scheduledId = idFrom(scheduled.response);
      const form = parsePage((await clients.editor!.get(`/admin/articles/${scheduledId}`)).html);
      const shown = form.querySelector('input[name="publish_at"]')?.getAttribute('value') ?? '';
      assert.equal(shown, '2026-12-02T09:00');
      assert.equal((await saveVia(clients.editor!, `/admin/articles/${scheduledId}`, 'publish', article({ headline: 'Scheduled then rushed', publish_at: shown }))).response.status, 303);
      const rushed = await server.database.db.selectFrom('articles').select(['status', 'published_at']).where('id', '=', scheduledId).executeTakeFirstOrThrow();
      assert.deepEqual(rushed, { status: 'published', published_at: clock.now().toISOString() });
    });
  });
}
