/**
 * Reader journeys in headless Chromium on the demo site (SQLite): reading an article, a refused comment that lands
 * the reader on the error summary with every typed value kept, replying, commenting and replying with the keyboard
 * alone, a moderator approving a held comment, and searching. Most run with JavaScript off: none is needed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createUser } from '../../src/newsroom/accounts.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchBrowser, type Browser } from '../support/browser.ts';
import { TestClock } from '../support/clock.ts';
import { Client, parsePage } from '../support/http.ts';
import { SEED_SLUG } from '../support/seed.ts';

/** The demo articles as the file has them (content/demo/articles.json), read here independently of the loader. */
const DEMO = JSON.parse(readFileSync(new URL('../../content/demo/articles.json', import.meta.url), 'utf8')) as {
  authors: { slug: string; name: string }[];
  articles: { slug: string; headline: string; dek: string; authors: string[]; dateline: string; publishedHoursAgo: number; paragraphs: string[]; credits?: string[] }[];
};
const SEED_PATH = `/articles/${SEED_SLUG}`;

/** The focused element: a description, whether it shows a focus ring (outline or box-shadow), whether it matches `selector`. */
async function focused(page: Page, selector: string): Promise<{ description: string; ring: boolean; matches: boolean }> {
  return page.evaluate((selector) => {
    const el = document.activeElement;
    if (!el || el === document.body) return { description: 'body', ring: false, matches: false };
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    return { description: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name}"`, ring, matches: el.matches(selector) };
  }, selector);
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, asserting at every stop that focus is
 * visible. Returns the elements passed through, in order. Fails after `max` presses.
 */
async function tabTo(page: Page, selector: string, { backwards = false, max = 80 } = {}): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page, selector);
    assert.ok(now.ring, `no visible focus on ${now.description} (after ${stops.join(' → ')})`);
    stops.push(now.description);
    if (now.matches) return stops;
  }
  assert.fail(`${selector} not reached in ${max} presses: ${stops.join(' → ')}`);
}

/** The viewport box of `selector`'s first element, and whether it lies within the viewport. */
async function viewportBox(page: Page, selector: string): Promise<{ top: number; bottom: number; inView: boolean }> {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    // Within a pixel: scroll positions are fractional.
    return { top: r.top, bottom: r.bottom, inView: r.top > -1 && r.bottom < innerHeight + 1 && r.height > 0 };
  });
}

/** Waits (up to 4 s) for `selector` to come to rest within the viewport: the stylesheet scrolls smoothly (~1.5 s through a long article). */
async function waitInView(page: Page, selector: string): Promise<void> {
  const deadline = Date.now() + 4000;
  let box = await viewportBox(page, selector);
  while (!box.inView && Date.now() < deadline) {
    await page.waitForTimeout(50);
    box = await viewportBox(page, selector);
  }
  assert.ok(box.inView, `${selector} is outside the viewport: top ${box.top}, bottom ${box.bottom}`);
}

/** Page errors and console errors of `page`, except the refused form's own status (the document's, not a fault). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/status of 422/.test(message.text()) && errors.push(message.text()));
  return errors;
}

/** The id of the comment the post redirected to (`…#comment-ID`). */
function postedId(page: Page): number {
  const id = /#comment-(\d+)$/.exec(page.url())?.[1];
  assert.ok(id, `not at a posted comment: ${page.url()}`);
  return Number(id);
}

/** The number in the comments heading ("3 Comments"), as a reader without cookies sees it. */
async function publicCount(server: TestServer, path: string): Promise<{ count: number; authors: string[] }> {
  const page = parsePage((await new Client(server.origin).get(path)).html);
  return { count: Number(/^\d+/.exec(page.querySelector('#comments-heading')?.textContent ?? '')?.[0]), authors: [...page.querySelectorAll('.comment-author')].map((a) => a.textContent ?? '') };
}

describe('reader journeys in headless Chromium', () => {
  // The server runs on a clock the test moves: each post is sent "20 s" after its form was served, past the
  // minimum fill time (3 s) and the flood interval (15 s), without the test waiting for them.
  const clock = new TestClock();
  const takeTimeToWrite = () => clock.advance(20_000);
  let server: TestServer;
  let reader: Browser;
  let heldId = 0;
  before(async () => {
    server = await startTestServer('sqlite', { clock, env: { DEMO_CONTENT: 'true' } });
    reader = await launchBrowser({ width: 1280, javaScript: false });
  });
  after(async () => {
    await reader?.close();
    await server?.close();
  });

  test('reads an article: headline, dek, byline with author links, dateline, body, credits, comment count', async () => {
    const page = await reader.context.newPage();
    const errors = collectErrors(page);
    const story = DEMO.articles.find((a) => a.credits?.length && a.authors.length > 1)!;
    await page.goto(`${server.origin}/articles/${story.slug}`);
    assert.equal(await page.locator('h1').textContent(), story.headline);
    assert.equal(await page.locator('.dek').textContent(), story.dek);
    const names = story.authors.map((slug) => DEMO.authors.find((a) => a.slug === slug)!.name);
    assert.deepEqual(await page.locator('.byline a[rel="author"]').allTextContents(), names);
    assert.equal(await page.locator('.dateline-place').textContent(), story.dateline);
    const published = await page.locator('.dateline time').getAttribute('datetime');
    assert.equal(Date.parse(published!), clock.now().getTime() - story.publishedHoursAgo * 3_600_000, 'published the given hours before the site loaded');
    assert.deepEqual(await page.locator('[itemprop="articleBody"] > p').allTextContents(), story.paragraphs);
    assert.deepEqual(await page.locator('.article-credits .credit').allTextContents(), story.credits);
    // The stylesheet is applied: the body text is set in a serif face at a readable measure.
    const body = page.locator('[itemprop="articleBody"] > p').first();
    assert.match(await body.evaluate((el) => getComputedStyle(el).fontFamily), /serif/i);
    const widthInChars = await body.evaluate((el) => el.getBoundingClientRect().width / (parseFloat(getComputedStyle(el).fontSize) * 0.5));
    assert.ok(widthInChars >= 55 && widthInChars <= 85, `measure ~${Math.round(widthInChars)} characters`);

    // The first author link leads to the author's page, which lists this article.
    await page.locator('.byline a[rel="author"]').first().click();
    assert.equal(await page.locator('h1').textContent(), names[0]);
    assert.equal(await page.locator(`a[href="/articles/${story.slug}"]`).count() > 0, true);

    // The seed article's count link says how many comments it has, and leads to them.
    await page.goto(`${server.origin}${SEED_PATH}`);
    const shown = await page.locator('li.comment').count();
    assert.ok(shown >= 2, 'the demo thread has comments');
    assert.equal(await page.locator('.article-meta .comment-count').textContent(), `${shown} Comments`);
    assert.equal(await page.locator('#comments-heading').textContent(), `${shown} Comments`);
    await page.locator('.article-meta .comment-count').click();
    await waitInView(page, '#comments-heading');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a refused comment lands on the error summary, its link leads to the field, and nothing typed is lost', async () => {
    const page = await reader.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.origin}${SEED_PATH}`);
    const typed = { comment: 'I typed this <b>carefully</b>\nover two lines & kept “quotes”.', author: 'Browser Reader', url: 'https://example.org/browser-reader' };
    await page.fill('#comment', typed.comment);
    await page.fill('#author', typed.author);
    await page.fill('#email', 'browser.reader(at)example.org');
    await page.fill('#url', typed.url);
    await page.check('#remember');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('form.comment-form button[type="submit"]')]);
    await page.waitForLoadState();
    assert.equal(refused.status(), 422);

    // Landed on the error summary, not at the top of the page: at once (no scroll through the article first), with
    // the form's heading above it, and focused (so it is read out).
    const landing = await viewportBox(page, '#comment-errors');
    assert.ok(landing.inView, `the error summary is outside the viewport on arrival: top ${landing.top}`);
    assert.equal((await viewportBox(page, '.comment-reply-title')).inView, true, 'the form heading is in view too');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment-errors');
    assert.ok(await page.evaluate(() => scrollY > 500), 'scrolled past the article to the form');
    assert.equal(await page.locator('#comment-errors').getAttribute('role'), 'alert');
    assert.match((await page.locator('#comment-errors').textContent()) ?? '', /not posted.*Email/);
    // The field says it is wrong and which message explains why.
    assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
    assert.deepEqual((await page.getAttribute('#email', 'aria-describedby'))?.split(' ').includes('email-error'), true);
    assert.ok(((await page.locator('#email-error').textContent()) ?? '').length > 0);
    assert.equal(await page.getAttribute('#author', 'aria-invalid'), null, 'only the wrong field is marked');
    // Everything typed is back.
    assert.equal(await page.inputValue('#comment'), typed.comment);
    assert.equal(await page.inputValue('#author'), typed.author);
    assert.equal(await page.inputValue('#url'), typed.url);
    assert.equal(await page.isChecked('#remember'), true);

    // The summary's link moves focus to the email field; the reader retypes it there.
    await page.click('#comment-errors a[href="#email"]');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
    await waitInView(page, '#email');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('browser.reader@example.org');
    takeTimeToWrite();
    await page.click('form.comment-form button[type="submit"]');
    await page.waitForURL(/#comment-\d+$/);
    heldId = postedId(page);
    const posted = page.locator(`#comment-${heldId}`);
    assert.equal(await posted.locator('.comment-author').textContent(), typed.author);
    assert.equal(await posted.locator('.comment-author a').getAttribute('href'), typed.url);
    assert.deepEqual(await posted.locator('.comment-text p').allInnerTexts(), [typed.comment]);
    // A first-time commenter waits for a moderator; only they see their comment meanwhile.
    assert.match((await posted.locator('.comment-awaiting').textContent()) ?? '', /awaiting moderation/);
    assert.equal((await publicCount(server, SEED_PATH)).authors.includes(typed.author), false, 'not shown to others before approval');
    // The email is only in the reader's own form ("remember me"), never beside the comment nor on the public page.
    assert.equal((await page.content()).split('browser.reader@example.org').length - 1, 1);
    assert.equal(await page.inputValue('#email'), 'browser.reader@example.org');
    assert.equal((await new Client(server.origin).get(SEED_PATH)).html.includes('browser.reader'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the Reply link opens a reply form without JavaScript; the reply appears nested under its parent', async () => {
    const page = await reader.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.origin}${SEED_PATH}`);
    const parent = page.locator('li.comment.depth-1', { has: page.locator('.comment-reply-link') }).first();
    const parentId = Number((await parent.getAttribute('id'))!.replace('comment-', ''));
    const parentName = (await parent.locator(':scope > article .comment-author').textContent())!;
    const repliesBefore = await page.locator(`#comment-${parentId} > ol.comment-replies > li`).count();
    await parent.locator(':scope > article .comment-reply-link').click();
    await page.waitForLoadState();
    assert.match(page.url(), new RegExp(`\\?replyto=${parentId}#respond$`));
    await waitInView(page, '#respond');
    assert.match((await page.locator('.comment-reply-title').textContent()) ?? '', new RegExp(`^Reply to ${parentName}`));
    assert.equal(await page.locator('input[name="comment_parent"]').getAttribute('value'), String(parentId));
    // Saved by "remember me" on the last post.
    assert.equal(await page.inputValue('#author'), 'Browser Reader');
    assert.equal(await page.inputValue('#email'), 'browser.reader@example.org');

    await page.fill('#comment', `Answering ${parentName}: agreed.`);
    takeTimeToWrite();
    await page.click('form.comment-form button[type="submit"]');
    await page.waitForURL(/#comment-\d+$/);
    const replyId = postedId(page);
    // Nested: a child of the parent's reply list, one level deeper, after the replies already there.
    const nested = page.locator(`#comment-${parentId} > ol.comment-replies > li`);
    assert.equal(await nested.count(), repliesBefore + 1);
    assert.equal(await nested.last().getAttribute('id'), `comment-${replyId}`);
    assert.match((await nested.last().getAttribute('class')) ?? '', /\bdepth-2\b/);
    assert.equal(await nested.last().locator('.comment-text p').textContent(), `Answering ${parentName}: agreed.`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('keyboard only: skip link, comment form, a refusal and its summary link, post; then a Reply link, reply form, post; focus always visible', async () => {
    const keyboard = await launchBrowser({ width: 1280 });
    try {
      const page = await keyboard.context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${server.origin}${SEED_PATH}`);
      // The first Tab reaches the skip link; Enter moves to the main content.
      assert.deepEqual(await tabTo(page, '.skip-link', { max: 1 }), ['a "Skip to content"']);
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'content');
      const toForm = await tabTo(page, '#comment');
      const text = ['Written without a mouse.', '', 'Second paragraph, still by keyboard.'];
      await page.keyboard.type(text.join('\n'));
      // The fields follow in reading order; the honeypot is never reached. The email is forgotten at first.
      const order: string[] = [];
      for (const [selector, value] of [['#author', 'Kay Board'], ['#email', ''], ['#url', ''], ['#remember', ''], ['#notify_replies', '']] as const) {
        await tabTo(page, selector, { max: 1 });
        order.push(selector);
        if (value) await page.keyboard.type(value);
      }
      // Space ticks "remember me": the reply form below comes pre-filled.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Space');
      assert.equal(await page.isChecked('#remember'), true);
      await tabTo(page, 'form.comment-form button[type="submit"]', { max: 2 });
      await page.keyboard.press('Enter');
      await page.waitForURL(/#comment-errors$/);

      // Refused: focus is on the summary; its link takes the keyboard to the field, then on to the button.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment-errors');
      await tabTo(page, '#comment-errors a[href="#email"]', { max: 1 });
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
      await page.keyboard.type('kay.board@example.net');
      assert.equal(await page.inputValue('#comment'), text.join('\n'), 'the text was kept');
      await tabTo(page, 'form.comment-form button[type="submit"]', { max: 5 });
      takeTimeToWrite();
      await page.keyboard.press('Enter');
      await page.waitForURL(/#comment-\d+$/);
      const commentId = postedId(page);
      assert.equal(await page.locator(`#comment-${commentId} .comment-author`).textContent(), 'Kay Board');
      assert.deepEqual(await page.locator(`#comment-${commentId} .comment-text p`).allTextContents(), [text[0], text[2]]);

      // Back up from the new comment to the nearest Reply link (the new comment, held, has none), and reply.
      const replyLink = await tabTo(page, '.comment-reply-link', { backwards: true, max: 20 });
      const parentName = /^a "Reply to (.+)"$/.exec(replyLink.at(-1)!)?.[1];
      assert.ok(parentName, replyLink.at(-1));
      const parentId = await page.evaluate(() => Number(document.activeElement!.closest('li.comment')!.id.replace('comment-', '')));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\?replyto=\d+#respond$/);
      assert.match((await page.locator('.comment-reply-title').textContent()) ?? '', new RegExp(`^Reply to ${parentName}`));
      // Landing at #respond puts the form next in the tab order: Cancel reply, then the text.
      assert.deepEqual(await tabTo(page, '#comment', { max: 2 }), ['a "Cancel reply"', 'textarea#comment ""']);
      await page.keyboard.type('A reply typed at the keyboard.');
      assert.equal(await page.inputValue('#author'), 'Kay Board', 'remembered');
      await tabTo(page, 'form.comment-form button[type="submit"]', { max: 8 });
      takeTimeToWrite();
      await page.keyboard.press('Space');
      await page.waitForURL(/#comment-\d+$/);
      const replyId = postedId(page);
      assert.equal(await page.locator(`#comment-${parentId} > ol.comment-replies > li#comment-${replyId}`).count(), 1, 'nested under the comment replied to');
      assert.equal(await page.locator(`#comment-${replyId} .comment-text p`).textContent(), 'A reply typed at the keyboard.');
      assert.deepEqual(order, ['#author', '#email', '#url', '#remember', '#notify_replies']);
      assert.ok(toForm.length <= 40, `the form is ${toForm.length} Tab presses after the skip link`);
      assert.deepEqual(errors, []);
    } finally {
      await keyboard.close();
    }
  });

  test('a moderator approves the held comment from the queue, and readers then see it published', async () => {
    const before = await publicCount(server, SEED_PATH);
    await createUser({ db: server.database.db, clock, secret: 's' }, { email: 'moderator@example.com', displayName: 'Mo Derator', role: 'editor', password: 'a moderator password' });
    const moderator = await launchBrowser({ width: 1280 });
    try {
      const queue = await moderator.context.newPage();
      await queue.goto(`${server.origin}/admin/comments`);
      await queue.fill('#email', 'moderator@example.com');
      await queue.fill('#password', 'a moderator password');
      await queue.keyboard.press('Enter');
      await queue.waitForURL(/\/admin\/comments$/);
      const row = queue.locator(`tr[data-comment="${heldId}"]`);
      assert.match((await row.textContent()) ?? '', /first comment from this email address/);
      await row.locator('button', { hasText: 'Approve' }).click();
      await queue.waitForLoadState();
      assert.match((await queue.locator('.notice').textContent()) ?? '', /approved/i);
      assert.equal(await queue.locator(`tr[data-comment="${heldId}"]`).count(), 0);
    } finally {
      await moderator.close();
    }
    // The commenter: the note is gone from their comment; everyone: it is counted and shown.
    const page = await reader.context.newPage();
    await page.goto(`${server.origin}${SEED_PATH}`);
    assert.equal(await page.locator(`#comment-${heldId} .comment-awaiting`).count(), 0);
    assert.equal(await page.locator(`#comment-${heldId} .comment-reply-link`).count(), 1, 'an approved comment can be replied to');
    await page.close();
    const afterApproval = await publicCount(server, SEED_PATH);
    assert.equal(afterApproval.count, before.count + 1);
    assert.equal(afterApproval.authors.filter((a) => a === 'Browser Reader').length, 1, 'the approved comment only; the held reply stays hidden');
  });

  test('the masthead search form finds an article without JavaScript', async () => {
    const page = await reader.context.newPage();
    const story = DEMO.articles.find((a) => a.headline.includes('comet'))!;
    await page.goto(`${server.origin}/`);
    await page.fill('#masthead-search-q', 'comet Hollowmere');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=comet\+Hollowmere$/);
    assert.equal(await page.inputValue('#search-page-q'), 'comet Hollowmere', 'the query stays in the box');
    const results = page.locator('.search-results .story-headline a');
    assert.ok((await results.count()) >= 1);
    assert.equal(await results.first().textContent(), story.headline);
    assert.ok((await page.locator('.search-results mark').count()) > 0, 'the words found are marked');
    await results.first().click();
    assert.equal(await page.locator('h1').textContent(), story.headline);
    await page.close();
  });
});
