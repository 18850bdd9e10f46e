/**
 * The reader's performance budget (issue 8): an article page with 50 comments, some threaded, weighs under 100 KB of
 * HTML and CSS as sent compressed (brotli, gzip), decodes to the very page, and in headless Chromium loads nothing
 * from another origin and no script that blocks rendering.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../../src/importers/import-capture.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchBrowser, type Browser } from '../support/browser.ts';
import { addCommentThread } from '../support/comment-thread.ts';
import { parsePage } from '../support/http.ts';
import { rawRequest, type RawAnswer } from '../support/raw-http.ts';
import { SEED_PATH, SEED_SLUG } from '../support/seed.ts';
import { eventually } from '../support/webhooks.ts';

/** HTML plus CSS as sent, compressed, in bytes. */
const BUDGET_BYTES = 100 * 1024;
const COMMENTS = 50;

describe('reader performance budget: an article page with 50 comments', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  const path = `/articles/${SEED_SLUG}`;
  /** The page as stored in the page cache, uncompressed. */
  let page: RawAnswer;

  before(async () => {
    server = await startTestServer('sqlite');
    const seed = await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
    await addCommentThread(server.database.db, seed.id, COMMENTS, new Date(Date.now() - 2 * 3_600_000).toISOString());
    // One render, kept by the page cache: every coding below is of these bytes.
    page = await eventually(async () => {
      const answer = await rawRequest(server.origin, path);
      return answer.headers['x-page-cache'] === 'HIT' ? answer : undefined;
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the page shows the 50 comments, some of them replies', () => {
    const document = parsePage(page.body.toString());
    const comments = [...document.querySelectorAll('li[id^="comment-"]')];
    assert.equal(comments.length, COMMENTS);
    const replies = comments.filter((li) => li.parentElement?.closest('li[id^="comment-"]'));
    assert.ok(replies.length >= 10, `${replies.length} replies`);
  });

  for (const coding of ['br', 'gzip']) {
    test(`HTML and CSS sent with Content-Encoding: ${coding} weigh under 100 KB and decode to the same bytes`, async (t) => {
      const html = await rawRequest(server.origin, path, { 'accept-encoding': coding });
      assert.equal(html.headers['content-encoding'], coding);
      assert.deepEqual(html.decoded, page.body, 'the page, byte for byte');
      const stylesheets = [...parsePage(page.body.toString()).querySelectorAll('link[rel="stylesheet"]')].map((link) => link.getAttribute('href')!);
      assert.ok(stylesheets.length >= 1, 'the page links its stylesheet');
      let css = 0;
      for (const href of stylesheets) {
        const plain = await rawRequest(server.origin, href);
        const sheet = await rawRequest(server.origin, href, { 'accept-encoding': coding });
        assert.equal(sheet.headers['content-encoding'], coding, href);
        assert.deepEqual(sheet.decoded, plain.body, href);
        css += sheet.body.length;
      }
      const total = html.body.length + css;
      t.diagnostic(`${coding}: HTML ${html.body.length} B (of ${page.body.length}), CSS ${css} B, total ${total} B`);
      assert.ok(total < BUDGET_BYTES, `${total} bytes of HTML and CSS`);
    });
  }

  test('in Chromium the page requests only its own origin, and no script in <head> blocks rendering', async () => {
    browser = await launchBrowser({ width: 412, height: 915 });
    const tab = await browser.context.newPage();
    const requested: string[] = [];
    tab.on('request', (request) => requested.push(request.url()));
    const response = await tab.goto(server.origin + path, { waitUntil: 'networkidle' });
    assert.equal(response?.status(), 200);
    assert.ok(requested.length >= 2, `the page and its stylesheet at least: ${requested.join(', ')}`);
    // data: URLs never leave the page.
    const elsewhere = requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== server.origin);
    assert.deepEqual(elsewhere, [], 'no third-party request');
    const blocking = await tab.evaluate(() =>
      [...document.head.querySelectorAll('script')].filter((script) => script.src && !script.defer && !script.async && script.type !== 'module').map((script) => script.src),
    );
    assert.deepEqual(blocking, [], 'no parser-blocking script in <head>');
    const foreignSheets = await tab.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((link) => new URL(link.href).origin).filter((origin) => origin !== location.origin));
    assert.deepEqual(foreignSheets, [], 'stylesheets, which do block rendering, are first-party');
    await tab.close();
  });
});
