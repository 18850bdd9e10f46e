import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { signIn, submitForm } from '../../test/support/newsroom.ts';
import { systemClock } from '../lib/clock.ts';
import { createUser } from './accounts.ts';

async function publish(client: Client, headline: string): Promise<string> {
  const { response } = await submitForm(client, '/admin/articles/new', '/admin/articles', { headline, body_html: '<p>Text.</p>', action: 'publish', version: '', comment_status: 'open' });
  assert.equal(response.status, 303, headline);
  const page = parsePage((await client.get(new URL(response.headers.get('location')!, 'http://x').pathname)).html);
  return page.getElementById('slug')!.getAttribute('value')!;
}

for (const dialect of DIALECTS) {
  for (const style of ['ascii', 'unicode'] as const) {
    describe(`slugs from headlines in any script, SLUGS=${style} [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
      let server: TestServer;
      let editor: Client;
      before(async () => {
        server = await startTestServer(dialect, { env: { SLUGS: style } });
        await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'ed@example.com', displayName: 'Ed', role: 'editor', password: 'an editor password' });
        editor = new Client(server.origin);
        await signIn(editor, 'ed@example.com', 'an editor password');
      });
      after(() => server.close());

      test('Cyrillic, Korean and emoji-only headlines get non-empty, unique slugs that resolve at their encoded URL', async () => {
        const cyrillic = await publish(editor, 'Москва принимает саммит');
        const korean = await publish(editor, '서울 시장 선거');
        const emoji = await publish(editor, '🎉🎉🎉');
        const emojiAgain = await publish(editor, '🎉🎉🎉');
        if (style === 'unicode') {
          assert.equal(cyrillic, 'москва-принимает-саммит');
          assert.equal(korean, '서울-시장-선거');
        } else {
          assert.equal(cyrillic, 'moskva-prinimaet-sammit');
          assert.match(korean, /^[a-z0-9-]+$/);
        }
        assert.match(emoji, /^article-[0-9a-f]{8}$/);
        assert.equal(emojiAgain, `${emoji}-2`);
        const reader = new Client(server.origin);
        const front = parsePage((await reader.get('/')).html);
        for (const slug of [cyrillic, korean, emoji, emojiAgain]) {
          const href = `/articles/${encodeURIComponent(slug)}`;
          assert.ok(front.querySelector(`a[href="${href}"]`), `front page links ${href}`);
          assert.equal((await reader.get(href)).response.status, 200, href);
        }
        // Editing a published headline keeps its slug.
        const id = (await server.database.db.selectFrom('articles').select('id').where('slug', '=', cyrillic).executeTakeFirstOrThrow()).id;
        const { html } = await editor.get(`/admin/articles/${id}`);
        const version = parsePage(html).querySelector('input[name="version"]')!.getAttribute('value')!;
        await submitForm(editor, `/admin/articles/${id}`, `/admin/articles/${id}`, { headline: 'Москва принимает большой саммит', slug: cyrillic, body_html: '<p>Text.</p>', action: 'publish', version, comment_status: 'open' });
        assert.equal((await server.database.db.selectFrom('articles').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug, cyrillic);
      });
    });
  }
}
