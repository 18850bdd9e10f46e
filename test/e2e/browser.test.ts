/** The newsroom journey in headless Chromium; the reader journeys are in reader-journeys.test.ts. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/lib/clock.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchBrowser, type Browser } from '../support/browser.ts';
import { createUser } from '../../src/newsroom/accounts.ts';
import { ensureSection } from '../../src/articles/taxonomy-store.ts';

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

  test('HTML pasted into the editor keeps its text; its event handlers never run (the CSP refuses them) and are not kept', async () => {
    const page = await browser.context.newPage();
    const messages: string[] = [];
    page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
    page.on('dialog', (dialog) => void dialog.dismiss().then(() => messages.push(`dialog: ${dialog.message()}`)));
    await page.goto(`${server.origin}/admin/articles/new`);
    if (page.url().includes('/admin/login')) {
      await page.fill('#email', 'writer@example.com');
      await page.fill('#password', 'a writer password');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/articles\/new$/);
    }
    await page.click('.rich-text-surface');
    await page.evaluate(() => {
      const pasted = new DataTransfer();
      pasted.setData('text/html', '<p style="color: red" onclick="alert(1)">Pasted <b onmouseover="alert(2)">words</b><img src="x" onerror="alert(3)" alt=""></p>');
      pasted.setData('text/plain', 'Pasted words');
      document.querySelector('.rich-text-surface')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => (document.querySelector<HTMLTextAreaElement>('#body_html')?.value ?? '').includes('Pasted'));
    const body = await page.inputValue('#body_html');
    assert.match(body, /Pasted <strong>words<\/strong>/);
    assert.doesNotMatch(body, /onclick|onmouseover|onerror|style=/);
    await page.waitForTimeout(200);
    // The editor reads pasted HTML in this page: Chromium reports the handlers and the style it refused to run.
    assert.deepEqual(messages.filter((m) => /dialog:/.test(m)), [], 'no handler ran');
    assert.ok(messages.some((m) => /Executing inline event handler violates the following Content Security Policy/.test(m)), messages.join('\n'));
    await page.close();
  });
});
