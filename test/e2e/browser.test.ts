import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importCaptureFile } from '../../src/importers/import-capture.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchBrowser, type Browser } from '../support/browser.ts';
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
    await page.click('button[type="submit"]');
    await page.waitForLoadState();
    assert.equal(await page.locator('#email-error').isVisible(), true);
    assert.equal(await page.inputValue('#comment'), typed);
    assert.equal(await page.inputValue('#author'), 'Browser Reader');

    await page.fill('#email', 'browser.reader@example.org');
    await page.click('button[type="submit"]');
    await page.waitForURL(/#comment-\d+$/);
    const id = new URL(page.url()).hash;
    assert.equal(await page.locator(`${id} .comment-author`).textContent(), 'Browser Reader');
    assert.deepEqual(await page.locator(`${id} .comment-text p`).allInnerTexts(), ['I typed this <b>carefully</b>\nover two lines.']);
    assert.equal((await page.content()).includes('browser.reader@example.org'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
