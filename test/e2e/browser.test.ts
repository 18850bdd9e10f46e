import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../../src/importers/import-capture.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchBrowser, type Browser } from '../support/browser.ts';
import { createUser } from '../../src/newsroom/accounts.ts';
import { ensureSection } from '../../src/articles/taxonomy-store.ts';
import { SEED_CREDIT, SEED_HEADLINE, SEED_PARAGRAPHS, SEED_PATH, SEED_SLUG } from '../support/seed.ts';

describe('reader journey in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer('sqlite');
    await importCaptureFile({ db: server.database.db, clock: systemClock }, SEED_PATH, { siteName: server.config.siteName, section: 'World' });
    browser = await launchBrowser({ width: 1280 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('reads the article, gets a field error with the text kept, then posts a comment', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The 422 of the refused form is the document's own status, not a page error.
    page.on('console', (message) => message.type() === 'error' && !message.text().includes('status of 422') && errors.push(message.text()));

    await page.goto(`${server.origin}/articles/${SEED_SLUG}`);
    assert.equal(await page.title(), `${SEED_HEADLINE} - The World News`);
    assert.deepEqual(await page.locator('[itemprop="articleBody"] > p').allTextContents(), SEED_PARAGRAPHS);
    assert.equal(await page.locator('.article-credits').textContent(), SEED_CREDIT);
    // The stylesheet is applied: the body text is set in a serif face at a readable measure.
    const body = page.locator('[itemprop="articleBody"] > p').first();
    assert.match(await body.evaluate((el) => getComputedStyle(el).fontFamily), /serif/i);
    const widthInChars = await body.evaluate((el) => el.getBoundingClientRect().width / (parseFloat(getComputedStyle(el).fontSize) * 0.5));
    assert.ok(widthInChars >= 55 && widthInChars <= 85, `measure ~${Math.round(widthInChars)} characters`);

    const typed = 'I typed this <b>carefully</b>\nover two lines.';
    await page.fill('#comment', typed);
    await page.fill('#author', 'Browser Reader');
    await page.click('form.comment-form button[type="submit"]');
    await page.waitForLoadState();
    assert.equal(await page.locator('#email-error').isVisible(), true);
    assert.equal(await page.inputValue('#comment'), typed);
    assert.equal(await page.inputValue('#author'), 'Browser Reader');

    await page.fill('#email', 'browser.reader@example.org');
    // A person takes a few seconds; a form sent back faster than the minimum fill time (3 s) is taken for a bot.
    await page.waitForTimeout(3100);
    await page.click('form.comment-form button[type="submit"]');
    await page.waitForURL(/#comment-\d+$/);
    const id = new URL(page.url()).hash;
    assert.equal(await page.locator(`${id} .comment-author`).textContent(), 'Browser Reader');
    assert.deepEqual(await page.locator(`${id} .comment-text p`).allInnerTexts(), ['I typed this <b>carefully</b>\nover two lines.']);
    // A first-time commenter waits for a moderator; only they see their comment meanwhile.
    assert.match((await page.locator(`${id} .comment-awaiting`).textContent()) ?? '', /awaiting moderation/);
    assert.equal((await page.content()).includes('browser.reader@example.org'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a moderator approves the held comment from the queue, and the reader then sees it published', async () => {
    await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'moderator@example.com', displayName: 'Mo Derator', role: 'editor', password: 'a moderator password' });
    const moderator = await launchBrowser({ width: 1280 });
    try {
      const queue = await moderator.context.newPage();
      await queue.goto(`${server.origin}/admin/comments`);
      await queue.fill('#email', 'moderator@example.com');
      await queue.fill('#password', 'a moderator password');
      await queue.keyboard.press('Enter');
      await queue.waitForURL(/\/admin\/comments$/);
      const row = queue.locator('tr[data-comment]', { hasText: 'Browser Reader' });
      assert.match((await row.textContent()) ?? '', /first comment from this email address/);
      await row.locator('button', { hasText: 'Approve' }).click();
      await queue.waitForLoadState();
      assert.match((await queue.locator('.notice').textContent()) ?? '', /approved/i);
      assert.equal(await queue.locator('tr[data-comment]', { hasText: 'Browser Reader' }).count(), 0);
    } finally {
      await moderator.close();
    }
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/articles/${SEED_SLUG}`);
    assert.equal(await page.locator('.comment-awaiting').count(), 0);
    assert.equal(await page.locator('.comment-author', { hasText: 'Browser Reader' }).count(), 1);
    assert.equal(await page.locator('#comments-heading').textContent(), '1 Comment');
    await page.close();
  });
});

describe('newsroom journey in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startTestServer('sqlite');
    await ensureSection(server.database.db, { slug: 'science', name: 'Science' });
    await createUser({ db: server.database.db, clock: systemClock, secret: 's' }, { email: 'writer@example.com', displayName: 'Wren Writer', role: 'author', password: 'a writer password' });
    browser = await launchBrowser({ width: 1280 });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('signs in, writes in the rich-text editor, keeps the text through an expired session, publishes, finds it on the front page', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The 401 of the post after the session ended is the document's own status, not a page error.
    page.on('console', (message) => message.type() === 'error' && !message.text().includes('status of 401') && errors.push(message.text()));

    await page.goto(`${server.origin}/admin/articles/new`);
    assert.match(page.url(), /\/admin\/login\?next=%2Fadmin%2Farticles%2Fnew/);
    await page.fill('#email', 'writer@example.com');
    await page.fill('#password', 'a writer password');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/articles\/new$/);

    // Keyboard only: headline, dek, then the body in the rich-text editor with a bold word.
    await page.focus('#headline');
    await page.keyboard.type('Comet brightens over the hills');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Observers expect it to be visible for a week.');
    assert.equal(await page.locator('#body_html').isHidden(), true, 'the textarea gives way to the rich-text editor');
    await page.click('.rich-text-surface');
    await page.keyboard.type('The comet rose at ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('dusk');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Binoculars help.');
    await page.selectOption('#section', 'science');

    // The session ends while writing: publishing is refused, nothing is lost.
    await browser.context.clearCookies({ name: 'bs_session' });
    await page.click('button[value="publish"]');
    await page.waitForLoadState();
    assert.match((await page.locator('h1').textContent()) ?? '', /Your session has ended/);
    await page.click('a:has-text("Sign in again")');
    await page.fill('#email', 'writer@example.com');
    await page.fill('#password', 'a writer password');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/articles\/new$/);
    assert.equal(await page.inputValue('#headline'), '');
    await page.click('.draft-offer button');
    assert.equal(await page.inputValue('#headline'), 'Comet brightens over the hills');
    assert.equal(await page.inputValue('#body_html'), '<p>The comet rose at <strong>dusk</strong>.</p><p>Binoculars help.</p>');

    await page.click('button[value="publish"]');
    await page.waitForURL(/\/admin\/articles\/\d+\?saved=publish$/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Published/);
    assert.equal(await page.locator('.draft-offer').count(), 0);

    await page.goto(`${server.origin}/`);
    assert.equal(await page.locator('.story-lead .story-headline a').textContent(), 'Comet brightens over the hills');
    await page.click('.story-lead .story-headline a');
    assert.deepEqual(await page.locator('[itemprop="articleBody"] > p').allTextContents(), ['The comet rose at dusk.', 'Binoculars help.']);
    assert.equal(await page.locator('[itemprop="articleBody"] strong').textContent(), 'dusk');
    assert.equal(await page.locator('.byline a').textContent(), 'Wren Writer');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
