/**
 * Full-page screenshots of the front page and of an article with a threaded discussion at 360, 768 and 1280 CSS px,
 * in the light and dark colour schemes, and of the article as printed, saved to test-artifacts/screenshots/ (not
 * committed) for people to look at. Each page is also checked: no sideways scrolling, nothing wider than the
 * viewport, masthead and headline in the first screen, the scheme applied, and the featured image reserving its
 * space before it loads (width and height attributes) so nothing below it moves. The screen a refused reply lands
 * on is saved too (viewport only).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { updateArticle } from '../../src/articles/store.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { uploadImage } from '../../src/media/service.ts';
import { LocalDiskStorage } from '../../src/media/storage.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { launchBrowser } from '../support/browser.ts';
import { addComment } from '../support/comments.ts';
import { addCommentThread } from '../support/comment-thread.ts';
import { SEED_SLUG } from '../support/seed.ts';

const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const WIDTHS = [360, 768, 1280] as const;
const SCHEMES = ['light', 'dark'] as const;
const ARTICLE_PATH = `/articles/${SEED_SLUG}`;

/** A landscape "photo" (sky, sun, two hills) as a JPEG of `width`×`height` pixels. */
async function landscape(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#4a78b5"/><stop offset="1" stop-color="#f2c38b"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <circle cx="${width * 0.7}" cy="${height * 0.45}" r="${height * 0.08}" fill="#fff4d6"/>
    <path d="M0 ${height * 0.7} Q ${width * 0.3} ${height * 0.45} ${width * 0.6} ${height * 0.72} T ${width} ${height * 0.62} V ${height} H 0 Z" fill="#3d5a3c"/>
    <path d="M0 ${height * 0.85} Q ${width * 0.5} ${height * 0.7} ${width} ${height * 0.9} V ${height} H 0 Z" fill="#24361f"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** The seed article gets a featured image and a long, threaded discussion: replies five deep, a long name, a long address. */
async function dressArticle(server: TestServer): Promise<void> {
  const db = server.database.db;
  const { id } = await db.selectFrom('articles').select('id').where('slug', '=', SEED_SLUG).executeTakeFirstOrThrow();
  const storage = new LocalDiskStorage(server.config.mediaDir);
  const mediaId = await uploadImage({ db, clock: systemClock, storage }, await landscape(1600, 1000), 'summit.jpg', null);
  await updateArticle(db, id, { featured_media_id: mediaId, featured_alt: 'Hills at dusk', featured_caption: 'The road to the summit venue at dusk.', featured_credit: 'Staff photographer' });
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const ids = await addCommentThread(db, id, 14, start);
  let parentId = ids[0]!;
  for (let depth = 2; depth <= 6; depth++) {
    const long = depth === 4 ? ' The full text is at https://example.org/archive/2026/11/30/summit-transcript-complete-and-unabridged-version-with-annexes.html' : '';
    parentId = await addComment(db, id, { status: 'approved', parentId, name: depth === 3 ? 'Maximiliane Alexandrina von Hohenzollern-Sigmaringen' : `Reader at depth ${depth}`, body: `A reply at depth ${depth}, answering the comment above it.${long}`, createdAt: new Date(Date.parse(start) + (20 + depth) * 60_000).toISOString() });
  }
}

interface PageCheck {
  scrollWidth: number;
  innerWidth: number;
  /** Visible elements reaching past the viewport's right edge, outside any box that scrolls or clips them. */
  overflowing: string[];
  /** Element → its box, for the masthead name and the headline. */
  boxes: Record<string, { left: number; right: number; top: number; bottom: number; visible: boolean }>;
  /** Relative luminance (0-1) of the page background. */
  backgroundLuminance: number;
}

/** Measures `page` as laid out now; `selectors` name the elements whose boxes are wanted. */
async function checkPage(page: Page, selectors: string[]): Promise<PageCheck> {
  return page.evaluate((selectors) => {
    // No named helper functions in here: tsx wraps them in a __name() call the page does not have.
    const overflowing: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.right <= innerWidth + 1 || getComputedStyle(el).visibility === 'hidden') continue;
      // Inside a box that scrolls or clips sideways (the section navigation scrolls on phones) and itself fits: fine.
      let up = el.parentElement;
      while (up && up !== document.body && !(getComputedStyle(up).overflowX !== 'visible' && up.getBoundingClientRect().right <= innerWidth + 1)) up = up.parentElement;
      if (!up || up === document.body) overflowing.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
    }
    const boxes: PageCheck['boxes'] = {};
    for (const selector of selectors) {
      const el = document.querySelector(selector);
      const r = el?.getBoundingClientRect();
      boxes[selector] = r ? { left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, visible: r.width > 0 && r.height > 0 && getComputedStyle(el!).visibility !== 'hidden' } : { left: 0, right: 0, top: 0, bottom: 0, visible: false };
    }
    const background = [document.body, document.documentElement].map((el) => getComputedStyle(el).backgroundColor).find((c) => !/rgba\(0, 0, 0, 0\)|transparent/.test(c)) ?? 'rgb(255, 255, 255)';
    const [r, g, b] = (background.match(/[\d.]+/g) ?? ['255', '255', '255']).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, overflowing, boxes, backgroundLuminance: 0.2126 * r! + 0.7152 * g! + 0.0722 * b! };
  }, selectors);
}

/** The checks every page passes at every width and scheme. */
function assertLayout(check: PageCheck, label: string, scheme: 'light' | 'dark', viewportHeight: number): void {
  assert.ok(check.scrollWidth <= check.innerWidth, `${label}: scrolls sideways (${check.scrollWidth} > ${check.innerWidth})`);
  assert.deepEqual(check.overflowing, [], `${label}: elements wider than the viewport`);
  for (const [selector, box] of Object.entries(check.boxes)) {
    assert.ok(box.visible, `${label}: ${selector} is not shown`);
    assert.ok(box.left >= 0 && box.right <= check.innerWidth, `${label}: ${selector} is cut off (${Math.round(box.left)}-${Math.round(box.right)})`);
    assert.ok(box.top < viewportHeight, `${label}: ${selector} is below the first screen (top ${Math.round(box.top)})`);
  }
  if (scheme === 'dark') assert.ok(check.backgroundLuminance < 0.1, `${label}: dark scheme background luminance ${check.backgroundLuminance}`);
  else assert.ok(check.backgroundLuminance > 0.8, `${label}: light scheme background luminance ${check.backgroundLuminance}`);
}

/** Vertical positions (document px) of the featured image's bottom and of the comments heading. */
async function belowImage(page: Page): Promise<{ image: number; comments: number }> {
  return page.evaluate(() => ({
    image: Math.round(document.querySelector('.featured-image img')!.getBoundingClientRect().bottom + scrollY),
    comments: Math.round(document.getElementById('comments-heading')!.getBoundingClientRect().top + scrollY),
  }));
}

describe('screenshots of the reader pages at three widths and two colour schemes', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { env: { DEMO_CONTENT: 'true' } });
    await dressArticle(server);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => {
    await server?.close();
  });

  for (const scheme of SCHEMES) {
    test(`front page and article, ${scheme}`, async () => {
      const browser = await launchBrowser({ colorScheme: scheme });
      try {
        const page = await browser.context.newPage();
        // Images are held back until the page has been measured without them: it must not move when they arrive.
        let releaseImages = () => {};
        let imagesReleased = Promise.resolve();
        await page.route('**/media/**', async (route) => {
          await imagesReleased;
          await route.continue();
        });
        for (const width of WIDTHS) {
          const height = width === 360 ? 740 : 900;
          await page.setViewportSize({ width, height });

          await page.goto(`${server.origin}/`);
          assertLayout(await checkPage(page, ['.masthead-name', '.story-lead .story-headline']), `front ${width} ${scheme}`, scheme, height);
          await page.screenshot({ path: `${SCREENSHOT_DIR}front-${width}-${scheme}.png`, fullPage: true });

          imagesReleased = new Promise((resolve) => (releaseImages = resolve));
          await page.goto(`${server.origin}${ARTICLE_PATH}`, { waitUntil: 'domcontentloaded' });
          // The stylesheet is in (it does not hold back DOMContentLoaded); the image is not.
          await page.waitForFunction(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].every((link) => link.sheet));
          const early = await belowImage(page);
          assert.equal(await page.locator('.featured-image img').evaluate((img: HTMLImageElement) => img.complete), false, 'measured before the image arrived');
          releaseImages();
          await page.waitForLoadState('load');
          assert.equal(await page.locator('.featured-image img').evaluate((img: HTMLImageElement) => img.naturalWidth > 0), true, 'the image loaded');
          assert.deepEqual(await belowImage(page), early, `article ${width} ${scheme}: the image's space was kept before it loaded`);
          for (const img of await page.locator('main img').all()) {
            assert.ok((await img.getAttribute('width')) && (await img.getAttribute('height')), `an image without width and height: ${await img.getAttribute('src')}`);
          }
          assertLayout(await checkPage(page, ['.masthead-name', 'h1.headline']), `article ${width} ${scheme}`, scheme, height);
          assert.ok((await page.locator('.comment.depth-5').count()) > 0, 'the deepest replies are shown');
          await page.screenshot({ path: `${SCREENSHOT_DIR}article-${width}-${scheme}.png`, fullPage: true });

          // A refused reply: the screen the reader arrives at (the viewport only).
          await page.locator('.comment-reply-link').first().click();
          await page.fill('#comment', 'A reply with a mistyped address.');
          await page.fill('#author', 'Screenshot Reader');
          await page.fill('#email', 'reader-at-example.org');
          await page.click('form.comment-form button[type="submit"]');
          await page.waitForLoadState();
          const summary = await page.locator('#comment-errors').evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
          assert.ok(summary.top >= 0 && summary.bottom <= height, `error ${width} ${scheme}: the summary is not in view on arrival (top ${summary.top})`);
          await page.screenshot({ path: `${SCREENSHOT_DIR}article-error-${width}-${scheme}.png` });
        }
      } finally {
        await browser.close();
      }
    });
  }

  test('article printed: the story alone, black on white', async () => {
    const browser = await launchBrowser({ width: 800, height: 1100 });
    try {
      const page = await browser.context.newPage();
      await page.emulateMedia({ media: 'print' });
      await page.goto(`${server.origin}${ARTICLE_PATH}`);
      for (const hidden of ['.section-nav', '.masthead-search', '.comments', '.skip-link']) {
        assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
      }
      const check = await checkPage(page, ['.masthead-name', 'h1.headline', '[itemprop="articleBody"] > p', '.article-credits']);
      assert.ok(check.scrollWidth <= check.innerWidth, `print scrolls sideways (${check.scrollWidth})`);
      for (const [selector, box] of Object.entries(check.boxes)) assert.ok(box.visible, `${selector} is printed`);
      assert.equal(await page.locator('[itemprop="articleBody"] > p').first().evaluate((p) => getComputedStyle(p).color), 'rgb(0, 0, 0)');
      await page.screenshot({ path: `${SCREENSHOT_DIR}article-print.png`, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
