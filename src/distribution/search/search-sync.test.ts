import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureSection } from '../../articles/taxonomy-store.ts';
import { createUser } from '../../newsroom/accounts.ts';
import { startTestServer, type TestServer } from '../../../test/support/app.ts';
import { TestClock } from '../../../test/support/clock.ts';
import { DIALECTS, POSTGRES_KIND } from '../../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../../test/support/http.ts';
import { signIn, submitForm } from '../../../test/support/newsroom.ts';
import { indexedArticleIds, search } from '../../../test/support/search.ts';

const PASSWORD = 'search sync test password';

/** The editor form fields with defaults. */
function article(fields: Record<string, string> = {}): Record<string, string> {
  return { headline: 'Tram line opens', dek: 'A new line east.', slug: '', body_html: '<p>The first carriage left at six.</p>', dateline: '', section: 'city', tags: 'Transport', authors: '', credits: '', comment_status: 'open', publish_at: '', version: '', ...fields };
}

/** Opens the editor at `path` and submits `fields` with `action`, based on the version shown. */
async function saveVia(client: Client, path: string, action: string, fields: Record<string, string>) {
  const page = parsePage((await client.get(path)).html);
  const version = page.querySelector('input[name="version"]')?.getAttribute('value') ?? '';
  const target = path === '/admin/articles/new' ? '/admin/articles' : path;
  const { response } = await client.postForm(target, { ...fields, _csrf: csrfTokenOf(page), version, action });
  assert.equal(response.status, 303, `${action} ${path}`);
  const id = Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1] ?? path.split('/').pop());
  return { id, path: `/admin/articles/${id}` };
}

for (const dialect of DIALECTS) {
  describe(`search index kept in sync with the newsroom [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    let editor: Client;
    const reader = () => new Client(server.origin);
    const clock = new TestClock('2026-12-01T08:00:00Z');

    before(async () => {
      server = await startTestServer(dialect, { clock });
      await ensureSection(server.database.db, { slug: 'city', name: 'City' });
      await createUser({ db: server.database.db, clock, secret: 's' }, { email: 'editor@example.com', displayName: 'The Editor', role: 'editor', password: PASSWORD });
      editor = new Client(server.origin);
      assert.equal((await signIn(editor, 'editor@example.com', PASSWORD)).response.status, 303);
    });
    after(() => server.close());

    test('published from the editor: found at once; an edited headline loses its old word; a restore brings it back; unpublishing hides it', async () => {
      const { path } = await saveVia(editor, '/admin/articles/new', 'publish', article());
      assert.deepEqual((await search(reader(), 'tram')).slugs, ['tram-line-opens']);

      await saveVia(editor, path, 'save', article({ headline: 'Streetcar line opens' }));
      assert.deepEqual((await search(reader(), 'tram')).slugs, []);
      assert.deepEqual((await search(reader(), 'streetcar')).slugs, ['tram-line-opens']);

      const page = parsePage((await editor.get(path)).html);
      const restoreForm = page.querySelector('form[action$="/restore"]')!;
      const restored = await editor.postForm(restoreForm.getAttribute('action')!, { _csrf: csrfTokenOf(page), version: restoreForm.querySelector('input[name="version"]')!.getAttribute('value')! });
      assert.equal(restored.response.status, 303);
      assert.deepEqual((await search(reader(), 'tram')).slugs, ['tram-line-opens']);
      assert.deepEqual((await search(reader(), 'streetcar')).slugs, []);

      await saveVia(editor, path, 'unpublish', article());
      assert.deepEqual((await search(reader(), 'tram')).slugs, []);
      await saveVia(editor, path, 'publish', article());
      assert.deepEqual((await search(reader(), 'tram')).slugs, ['tram-line-opens']);
    });

    test('a scheduled article is found from its publication time, not before', async () => {
      const { path } = await saveVia(editor, '/admin/articles/new', 'schedule', article({ headline: 'Ferry timetable changes', publish_at: '2026-12-01T10:00' }));
      assert.deepEqual((await search(reader(), 'ferry')).slugs, []);
      clock.advance(2 * 3_600_000 + 1000);
      assert.deepEqual((await search(reader(), 'ferry timetable')).slugs, ['ferry-timetable-changes']);
      assert.ok(path);
    });

    test('renaming or deleting a tag changes what its articles are found by', async () => {
      await saveVia(editor, '/admin/articles/new', 'publish', article({ headline: 'Night buses return', tags: 'Nightlife' }));
      assert.deepEqual((await search(reader(), 'nightlife')).slugs, ['night-buses-return']);
      const tag = await server.database.db.selectFrom('tags').select('id').where('slug', '=', 'nightlife').executeTakeFirstOrThrow();
      const renamed = await submitForm(editor, '/admin/taxonomy', `/admin/tags/${tag.id}`, { name: 'After dark', slug: 'after-dark' });
      assert.equal(renamed.response.status, 303);
      assert.deepEqual((await search(reader(), 'nightlife')).slugs, []);
      assert.deepEqual((await search(reader(), 'after dark')).slugs, ['night-buses-return']);
      const removed = await submitForm(editor, '/admin/taxonomy', `/admin/tags/${tag.id}/delete`, {});
      assert.equal(removed.response.status, 303);
      assert.deepEqual((await search(reader(), 'dark')).slugs, []);
      assert.deepEqual((await search(reader(), 'night buses')).slugs, ['night-buses-return']);
    });

    test('deleting a draft removes its index entry', async () => {
      const { id, path } = await saveVia(editor, '/admin/articles/new', 'save', article({ headline: 'Draft about gondolas' }));
      assert.ok((await indexedArticleIds(server.database)).includes(id));
      assert.deepEqual((await search(reader(), 'gondolas')).slugs, []);
      const deleted = await submitForm(editor, path, `${path}/delete`, {});
      assert.equal(deleted.response.status, 303);
      assert.ok(!(await indexedArticleIds(server.database)).includes(id));
      const articleIds = (await server.database.db.selectFrom('articles').select('id').orderBy('id').execute()).map((r) => r.id);
      assert.deepEqual(await indexedArticleIds(server.database), articleIds);
    });
  });
}
