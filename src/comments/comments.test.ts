import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../importers/import-capture.ts';
import { systemClock } from '../lib/clock.ts';
import { activeContentIn } from '../../test/support/active-content.ts';
import { startTestServer, type TestServer } from '../../test/support/app.ts';
import { DIALECTS, POSTGRES_KIND } from '../../test/support/databases.ts';
import { Client, parsePage } from '../../test/support/http.ts';
import { readerOn as readerOnPage, useOpenCommentSettings, type HiddenCommentFields } from '../../test/support/comment-posting.ts';
import { SEED_PATH, SEED_SLUG } from '../../test/support/seed.ts';

const ARTICLE = `/articles/${SEED_SLUG}`;
const POST = `${ARTICLE}/comments`;
const XSS_PAYLOADS = readFileSync(new URL('../../test/fixtures/xss/IntrudersXSS.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
const NAUGHTY = JSON.parse(readFileSync(new URL('../../test/fixtures/naughty/blns.json', import.meta.url), 'utf8')) as string[];

/** A client that has loaded the article page, and the form's hidden fields. */
async function readerOn(server: TestServer): Promise<{ client: Client; token: Hidden }> {
  const { client, hidden } = await readerOnPage(server.origin, ARTICLE);
  return { client, token: hidden };
}

type Hidden = HiddenCommentFields;

function form(hidden: Hidden, fields: Partial<Record<'author' | 'email' | 'url' | 'comment' | 'comment_parent', string>>): Record<string, string> {
  return { ...hidden, author: '', email: '', url: '', comment: '', ...fields };
}

for (const dialect of DIALECTS) {
  describe(`reader comments over HTTP [${dialect}${dialect === 'postgres' ? `/${POSTGRES_KIND}` : ''}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(dialect);
      await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName });
      await useOpenCommentSettings(server.database.db, { holdLinkCount: 0 });
    });
    after(() => server.close());

    test('the form has the classic fields, autocomplete attributes and the email note', async () => {
      const { client } = await readerOn(server);
      const page = parsePage((await client.get(ARTICLE)).html);
      const formEl = page.querySelector('form.comment-form')!;
      assert.equal(formEl.getAttribute('method'), 'post');
      for (const [name, autocomplete] of [['author', 'name'], ['email', 'email'], ['url', 'url']]) {
        assert.equal(formEl.querySelector(`[name="${name}"]`)?.getAttribute('autocomplete'), autocomplete, name);
        assert.ok(page.querySelector(`label[for="${name}"]`), `label for ${name}`);
      }
      assert.equal(formEl.querySelector('textarea[name="comment"]')?.id, 'comment');
      assert.match(page.querySelector('.comment-notes')?.textContent ?? '', /Your email address will not be published\. Required fields are marked \*/);
    });

    test('a valid comment is stored, shown with its count, and the email appears nowhere', async () => {
      const { client, token } = await readerOn(server);
      const email = 'private.reader@example.org';
      const { response } = await client.postForm(POST, form(token, { author: 'Ana Reader', email, url: 'ana.example.com/blog', comment: 'First line.\n\nSecond paragraph.' }));
      assert.equal(response.status, 303);
      const location = response.headers.get('location') ?? '';
      const id = /#comment-(\d+)$/.exec(location)?.[1];
      assert.ok(location.startsWith(ARTICLE) && id, location);

      const { html } = await client.get(ARTICLE);
      assert.ok(!html.includes(email), 'email must not be published');
      assert.ok(!html.includes('private.reader'), 'no part of the email');
      const page = parsePage(html);
      const comment = page.getElementById(`comment-${id}`)!;
      assert.equal(comment.querySelector('.comment-author')?.textContent, 'Ana Reader');
      const link = comment.querySelector('.comment-author a')!;
      assert.equal(link.getAttribute('href'), 'https://ana.example.com/blog');
      assert.equal(link.getAttribute('rel'), 'nofollow ugc noopener');
      assert.deepEqual([...comment.querySelectorAll('.comment-text p')].map((p) => p.textContent), ['First line.', 'Second paragraph.']);
      assert.match(page.getElementById('comments-heading')?.textContent ?? '', /^1 Comment$/);
      const front = parsePage((await client.get('/')).html);
      assert.match(front.querySelector(`a[href="${ARTICLE}#comments"]`)?.textContent ?? '', /^1 comment$/);
      assert.ok(!(await client.get('/')).html.includes(email));
    });

    test('a reply is threaded under its parent', async () => {
      const { client, token } = await readerOn(server);
      const parent = await client.postForm(POST, form(token, { author: 'Parent', email: 'p@example.org', comment: 'Parent comment' }));
      const parentId = /#comment-(\d+)$/.exec(parent.response.headers.get('location') ?? '')![1]!;
      const reply = await client.postForm(POST, form(token, { author: 'Child', email: 'c@example.org', comment: 'A reply', comment_parent: parentId }));
      assert.equal(reply.response.status, 303);
      const replyId = /#comment-(\d+)$/.exec(reply.response.headers.get('location') ?? '')![1]!;
      const page = parsePage((await client.get(ARTICLE)).html);
      assert.ok(page.querySelector(`#comment-${parentId} > .comment-replies > #comment-${replyId}`));
      const replyForm = parsePage((await client.get(`${ARTICLE}?replyto=${parentId}`)).html);
      assert.equal(replyForm.querySelector('input[name="comment_parent"]')?.getAttribute('value'), parentId);
      assert.match(replyForm.querySelector('.comment-reply-title')?.textContent ?? '', /Reply to Parent/);
    });

    test('a missing email gives a per-field error and keeps every typed value', async () => {
      const { client, token } = await readerOn(server);
      const { response, html } = await client.postForm(POST, form(token, { author: 'Kept Name', url: 'https://kept.example.com', comment: 'My carefully typed <b>text</b>' }));
      assert.equal(response.status, 422);
      assert.equal(response.headers.get('cache-control'), 'private, no-store');
      const page = parsePage(html);
      assert.ok(page.getElementById('email-error')?.textContent);
      assert.equal(page.getElementById('email')?.getAttribute('aria-invalid'), 'true');
      assert.match(page.getElementById('email')?.getAttribute('aria-describedby') ?? '', /email-error/);
      assert.equal(page.getElementById('author-error'), null);
      assert.equal(page.getElementById('author')?.getAttribute('value'), 'Kept Name');
      assert.equal(page.getElementById('url')?.getAttribute('value'), 'https://kept.example.com');
      // The textarea is RCDATA: the browser shows the decoded text (checked in the browser test).
      assert.match(html, /<textarea[^>]*>My carefully typed &lt;b>text&lt;\/b><\/textarea>/);
      assert.ok(page.querySelector('.error-summary[role="alert"] a[href="#email"]'));
    });

    test('an empty comment and a bad email and website each get their own message', async () => {
      const { client, token } = await readerOn(server);
      const { response, html } = await client.postForm(POST, form(token, { author: 'Name', email: 'not-an-email', url: 'javascript:alert(1)', comment: '   ' }));
      assert.equal(response.status, 422);
      const page = parsePage(html);
      for (const field of ['email', 'url', 'comment']) assert.ok(page.getElementById(`${field}-error`)?.textContent, field);
      assert.equal(page.getElementById('email')?.getAttribute('value'), 'not-an-email');
      assert.equal(page.getElementById('url')?.getAttribute('value'), 'javascript:alert(1)');
    });

    test('a reply to a comment that is not there (even past the integer range) keeps the text and can be posted again', async () => {
      const { client, token } = await readerOn(server);
      for (const parent of ['999999', '2147483648', '99999999999999999999', '-1', '1e0']) {
        const { response, html } = await client.postForm(POST, form(token, { author: 'Replier', email: 'r@example.org', comment: `Reply to ${parent}`, comment_parent: parent }));
        assert.equal(response.status, 422, parent);
        const page = parsePage(html);
        assert.match(page.querySelector('.error-summary')?.textContent ?? '', /no longer there/);
        assert.match(html, new RegExp(`<textarea[^>]*>Reply to ${parent.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}</textarea>`));
        // The form now posts as a new comment, so sending it again succeeds.
        assert.equal(page.querySelector('input[name="comment_parent"]')?.getAttribute('value'), '0');
      }
      const again = await client.postForm(POST, form(token, { author: 'Replier', email: 'r@example.org', comment: 'Posted after all', comment_parent: '0' }));
      assert.equal(again.response.status, 303);
    });

    test('a field sent twice counts once (the first value), and an invisible name is no name', async () => {
      const { client, token } = await readerOn(server);
      const body = new URLSearchParams({ ...token, author: 'First Name', email: 'twice@example.org', comment: 'first text' });
      body.append('author', 'Second Name');
      body.append('comment', 'second text');
      const { response } = await client.postForm(POST, body);
      assert.equal(response.status, 303);
      const page = parsePage((await client.get(ARTICLE)).html);
      const id = /#comment-(\d+)$/.exec(response.headers.get('location') ?? '')![1];
      assert.equal(page.querySelector(`#comment-${id} .comment-author`)?.textContent, 'First Name');
      assert.equal(page.querySelector(`#comment-${id} .comment-text`)?.textContent, 'first text');
      const invisible = await client.postForm(POST, form(token, { author: '\u200b\u200b\u2060', email: 'z@example.org', comment: 'who am I' }));
      assert.equal(invisible.response.status, 422);
      assert.ok(parsePage(invisible.html).getElementById('author-error'));
    });

    test('a comment sent from another site is refused (Sec-Fetch-Site, Origin), nothing is stored and the text comes back', async () => {
      const count = async () => (await server.database.db.selectFrom('comments').select('id').execute()).length;
      const before = await count();
      const { token } = await readerOn(server);
      const forged: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }];
      for (const headers of forged) {
        const { response, html } = await new Client(server.origin, headers).postForm(POST, form(token, { author: 'Someone', email: 's@example.org', comment: 'Do not lose me' }));
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.equal(parsePage(html).getElementById('comment')?.textContent, 'Do not lose me');
        assert.match(parsePage(html).querySelector('.error-summary')?.textContent ?? '', /sent from another website/);
      }
      assert.equal(await count(), before);
      // What browsers send from the site's own page, and clients that are not browsers, go through.
      const own: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }, { origin: new URL(server.origin).origin }, {}];
      for (const [i, headers] of own.entries()) {
        const { response } = await new Client(server.origin, headers).postForm(POST, form(token, { author: 'Own Site', email: `own${i}@example.org`, comment: `From this site ${i}` }));
        assert.equal(response.status, 303, JSON.stringify(headers));
      }
      assert.equal(await count(), before + own.length);
    });

    test('XSS payloads in name, website and comment are shown as text, never as markup', async () => {
      const { client, token } = await readerOn(server);
      for (const [i, payload] of XSS_PAYLOADS.entries()) {
        const { response } = await client.postForm(POST, form(token, { author: payload.slice(0, 100), email: `x${i}@example.org`, url: payload, comment: payload }));
        assert.ok(response.status === 303 || response.status === 422, `payload ${i}: ${response.status}`);
        if (response.status === 422) {
          // A refused website: resubmit without it so the payload still reaches the page as name and comment.
          const retry = await client.postForm(POST, form(token, { author: payload.slice(0, 100), email: `x${i}@example.org`, comment: payload }));
          assert.equal(retry.response.status, 303, `payload ${i} without url`);
        }
      }
      const { html } = await client.get(ARTICLE);
      const page = parsePage(html);
      assert.deepEqual(activeContentIn(page.querySelector('.comment-list')!), []);
      // The only script elements are the page's JSON-LD data blocks (distribution/metadata), which never execute.
      assert.equal(page.querySelectorAll('script:not([type="application/ld+json"])').length, 0);
      assert.ok(!/<script(?! type="application\/ld\+json" nonce="[0-9a-f]{32}">)/i.test(html));
      const shown = [...page.querySelectorAll('.comment-text')].map((el) => el.textContent);
      assert.ok(shown.includes("<script>alert('XSS')</script>"), 'the payload is displayed literally');
    });

    test('naughty strings never cause a server error', async () => {
      const { client, token } = await readerOn(server);
      for (const [i, text] of NAUGHTY.entries()) {
        const { response } = await client.postForm(POST, form(token, { author: text || 'n', email: `n${i}@example.org`, comment: text }));
        assert.ok(response.status === 303 || response.status === 422, `string ${i} ${JSON.stringify(text)}: ${response.status}`);
      }
      const { response, html } = await client.get(ARTICLE);
      assert.equal(response.status, 200);
      assert.deepEqual(activeContentIn(parsePage(html).querySelector('.comment-list')!), []);
    });
  });
}
