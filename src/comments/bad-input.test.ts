/**
 * Every naughty string and XSS payload of the corpus (test/fixtures) as name, website and comment, through every
 * comment write path over HTTP — reader post, reader edit, moderator edit, report — never a 5xx; the rendered
 * page holds no active content; names are shown exactly as typed; no commenter email appears anywhere public.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { activeContentIn } from '../../test/support/active-content.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { TestClock } from '../../test/support/clock.ts';
import { hiddenCommentFields, useOpenCommentSettings } from '../../test/support/comment-posting.ts';
import { seedArticle, signedInClients } from '../../test/support/comments.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, csrfTokenOf, parsePage } from '../../test/support/http.ts';

const XSS = readFileSync(new URL('../../test/fixtures/xss/IntrudersXSS.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
const NAUGHTY = (JSON.parse(readFileSync(new URL('../../test/fixtures/naughty/blns.json', import.meta.url), 'utf8')) as string[]).filter(Boolean);
const STRINGS = [...new Set([...NAUGHTY, ...XSS])];

/**
 * How a name is shown: a lone surrogate cannot travel in UTF-8 and arrives as U+FFFD (as from a browser); C0 and
 * C1 controls and Unicode noncharacters are dropped (HTML forbids them); whitespace runs become one space, trimmed.
 */
function normalisedName(name: string): string {
  return Buffer.from(name, 'utf8')
    .toString('utf8')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g, '')
    .replace(/[\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/gu, '')
    .trim()
    .replace(/\s+/g, ' ');
}

function assertNoServerError(status: number, what: string): void {
  assert.ok(status >= 200 && status < 500, `${what}: HTTP ${status}`);
}

for (const dialect of DIALECTS) {
  describe(`bad input through every comment write path [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    const clock = new TestClock('2026-12-03T09:00:00.000Z');
    let article: { id: number; path: string };
    const emails: string[] = [];
    const shownNames = new Map<number, string>();

    before(async () => {
      server = await startTestServer(dialect, { clock });
      await useOpenCommentSettings(server.database.db, { holdLinkCount: 0, perPage: 500, maxDepth: 5, editWindowMinutes: 60 });
      article = await seedArticle(server.database.db, clock, 'Naughty strings');
    });
    after(() => server.close());

    test('reader posts: every string as name, website and comment answers 2xx/3xx or a clear 4xx', async () => {
      const client = new Client(server.origin);
      const hidden = hiddenCommentFields(parsePage((await client.get(article.path)).html));
      for (const [i, text] of STRINGS.entries()) {
        const email = `writer${i}@private.example`;
        emails.push(email);
        const fields = { ...hidden, author: text.slice(0, 100), email, url: text, comment: text };
        let { response, html } = await client.postForm(`${article.path}/comments`, fields);
        assertNoServerError(response.status, `string ${i}`);
        if (response.status === 422) {
          const page = parsePage(html);
          assert.ok(page.querySelector('.error-summary li'), `string ${i}: the refusal names the field`);
          // A refused website: without it the string still reaches the page as name and comment.
          ({ response } = await client.postForm(`${article.path}/comments`, { ...fields, url: '' }));
          assertNoServerError(response.status, `string ${i} without website`);
        }
        const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
        if (id) shownNames.set(Number(id), normalisedName(text.slice(0, 100)));
      }
      assert.ok(shownNames.size > STRINGS.length / 2, `most strings were accepted (${shownNames.size} of ${STRINGS.length})`);
    });

    test('a post far over the request limit (256 KB) gets a 413 page that says so, not a generic error', async () => {
      const client = new Client(server.origin);
      const hidden = hiddenCommentFields(parsePage((await client.get(article.path)).html));
      const { response, html } = await client.postForm(`${article.path}/comments`, { ...hidden, author: 'Huge', email: 'huge@example.org', comment: 'x'.repeat(400_000) });
      assert.equal(response.status, 413);
      assert.match(parsePage(html).querySelector('main')?.textContent ?? '', /far larger than any form here accepts/);
      assert.ok(response.headers.get('content-security-policy'), 'with the security headers');
    });

    test('reader edits: every string as the new text of one’s own comment', async () => {
      const client = new Client(server.origin);
      const hidden = hiddenCommentFields(parsePage((await client.get(article.path)).html));
      const { response } = await client.postForm(`${article.path}/comments`, { ...hidden, author: 'Editor of mine', email: 'own-editor@private.example', comment: 'to be edited' });
      emails.push('own-editor@private.example');
      const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')![1];
      const token = csrfTokenOf(parsePage((await client.get(`/comments/${id}/edit`)).html));
      for (const [i, text] of STRINGS.entries()) {
        const { response: edited } = await client.postForm(`/comments/${id}/edit`, { _csrf: token, comment: text });
        assertNoServerError(edited.status, `edit ${i}`);
      }
      await client.postForm(`/comments/${id}/edit`, { _csrf: token, comment: 'settled' });
    });

    test('moderator edits and reader reports: every string as name, website, text and reason', async () => {
      const { editor } = await signedInClients(server.database.db, clock, server.origin, ['editor']);
      const target = [...shownNames.keys()][0]!;
      const token = csrfTokenOf(parsePage((await editor.get(`/admin/comments/${target}/edit`)).html));
      for (const [i, text] of STRINGS.entries()) {
        const { response } = await editor.postForm(`/admin/comments/${target}/edit`, { _csrf: token, author: text.slice(0, 100), email: 'moderated@private.example', url: text, comment: text });
        assertNoServerError(response.status, `moderator edit ${i}`);
      }
      await editor.postForm(`/admin/comments/${target}/edit`, { _csrf: token, author: 'Restored Name', email: 'moderated@private.example', url: '', comment: 'restored' });
      shownNames.set(target, 'Restored Name');
      emails.push('moderated@private.example');
      const reporter = new Client(server.origin);
      const reportToken = csrfTokenOf(parsePage((await reporter.get(`/comments/${target}/report`)).html));
      for (const [i, text] of STRINGS.slice(0, 100).entries()) {
        const { response } = await reporter.postForm(`/comments/${target}/report`, { _csrf: reportToken, reason: text });
        assertNoServerError(response.status, `report ${i}`);
      }
    });

    test('the page: nothing executes, names are shown exactly, no email anywhere', async () => {
      const { response, html } = await new Client(server.origin).get(article.path);
      assert.equal(response.status, 200);
      const page = parsePage(html);
      assert.deepEqual(activeContentIn(page.querySelector('.comment-list')!), []);
      // The only script elements are the page's JSON-LD data blocks (distribution/metadata), which never execute.
      assert.equal(page.querySelectorAll('script:not([type="application/ld+json"])').length, 0);
      for (const [id, name] of shownNames) {
        const shown = page.querySelector(`#comment-${id} .comment-author`)?.textContent;
        if (shown !== undefined) assert.equal(shown, name, `comment ${id}`);
      }
      const lower = html.toLowerCase();
      for (const email of emails) assert.ok(!lower.includes(email), `${email} is published`);
      assert.ok(!lower.includes('private.example'), 'no part of any email');
      assert.ok(!/<!--/.test(html), 'no HTML comments');
      const front = await new Client(server.origin).get('/');
      assert.ok(!front.html.toLowerCase().includes('private.example'));
    });
  });
}
