/**
 * WCAG 2.2 AA in headless Chromium, on both databases and in both colour schemes: axe-core finds no violation on the
 * reader pages (the article with a deep comment thread, its comment form in the error state and as a reply form,
 * the form to report a comment) and the newsroom pages (sign-in, article list, editor, moderation queue; sign-in
 * and editor also in their error state), and each page has the structure the issue asks for: one h1 and no skipped
 * heading level, banner / navigation / main / contentinfo landmarks, a skip link to main as the first focusable
 * element, a visible focus indicator at each Tab stop, an accessible name on every form control, and no sideways
 * scrolling at 320 CSS px.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page, Response } from 'playwright-core';
import type { DialectName } from '../../src/db/dialect.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { analyzeWcag, contrastRatio, describeViolations } from '../support/axe.ts';
import { launchBrowser, type Browser } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';
import { loadNewsroomPages, NEWSROOM_PAGES, signedInNewsroom } from '../support/newsroom-pages.ts';
import { loadReaderPages, type ReaderPages } from '../support/reader-pages.ts';

interface Site {
  server: TestServer;
  content: ReaderPages;
  sessionCookie: string;
}

type Landmark = 'banner' | 'navigation' | 'main' | 'contentinfo';

interface PageCase {
  name: string;
  status: number;
  /** Send the newsroom session cookie. */
  signedIn: boolean;
  landmarks: Landmark[];
  /** Brings `page` to the state to check; resolves with the response of the document shown. */
  open: (page: Page, site: Site) => Promise<Response | null>;
}

const READER_LANDMARKS: Landmark[] = ['banner', 'navigation', 'main', 'contentinfo'];
const visit =
  (path: (content: ReaderPages) => string) =>
  (page: Page, site: Site): Promise<Response | null> =>
    page.goto(site.server.origin + path(site.content));

/**
 * A form sent with mistakes: opens `path`, fills `fields` (selector → text), clicks `submit` and waits for the page
 * that answers the POST. Asserts the error state under test: a summary that is announced (role=alert) and focused
 * and lists the problems, and exactly the fields `invalid` marked aria-invalid and described by their message.
 */
function sendWithErrors(path: (content: ReaderPages) => string, fields: Record<string, string>, submit: string, invalid: string[]) {
  return async (page: Page, site: Site): Promise<Response | null> => {
    await page.goto(site.server.origin + path(site.content));
    for (const [selector, text] of Object.entries(fields)) await page.fill(selector, text);
    const [response] = await Promise.all([page.waitForEvent('response', (r) => r.request().method() === 'POST'), page.click(submit)]);
    await page.waitForLoadState();
    const summary = page.locator('.error-summary');
    assert.equal(await summary.count(), 1, 'an error summary');
    assert.equal(await summary.getAttribute('role'), 'alert', 'the summary is announced');
    // Focus starts at the summary (comment form: the action's #fragment; newsroom forms: autofocus), without script.
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'), null, { timeout: 2000 }).catch(() => undefined);
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'focus is on the summary');
    assert.equal(await summary.locator('li a[href^="#"]').count(), invalid.length, 'the summary links to each problem');
    assert.deepEqual(await page.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((el) => el.id)), invalid, 'the fields marked invalid');
    for (const id of invalid) {
      const described = await page.locator(`#${id}`).evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((ref) => document.getElementById(ref)?.textContent ?? '').join(' '));
      assert.match(described, /\w/, `#${id} is described by its message`);
      assert.ok(await page.locator(`#${id}-error`).isVisible(), `#${id}'s message is shown`);
    }
    return response;
  };
}

const CASES: PageCase[] = [
  { name: 'front', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit(() => '/') },
  { name: 'article-with-threaded-comments', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit((c) => c.seed.path) },
  {
    name: 'article-comment-errors',
    status: 422,
    signedIn: false,
    landmarks: READER_LANDMARKS,
    // A blank name (invisible characters only), no email and a bad website.
    open: sendWithErrors((c) => `${c.seed.path}#respond`, { '#comment': 'A comment whose sender left out the rest.', '#author': '\u200b \u200b', '#url': 'not a website' }, 'form.comment-form button[type="submit"]', ['author', 'email', 'url']),
  },
  { name: 'article-reply-form', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit((c) => `${c.seed.path}?replyto=${c.deepestCommentId}#respond`) },
  { name: 'comment-report-form', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit((c) => `/comments/${c.commentIds[0]}/report`) },
  { name: 'section', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit(() => '/section/world') },
  { name: 'author', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit((c) => `/author/${c.authors[0]!.slug}`) },
  { name: 'search-results', status: 200, signedIn: false, landmarks: READER_LANDMARKS, open: visit(() => '/search?q=Putin') },
  { name: 'not-found', status: 404, signedIn: false, landmarks: READER_LANDMARKS, open: visit(() => '/no/such/page') },
  ...NEWSROOM_PAGES.map(
    (p): PageCase => ({
      name: p.name,
      status: 200,
      signedIn: p.signedIn,
      // The sign-in page has no newsroom navigation; the newsroom has no footer.
      landmarks: p.signedIn ? ['banner', 'navigation', 'main'] : ['banner', 'main'],
      open: visit((c) => p.path(c.marked.id)),
    }),
  ),
  {
    name: 'admin-login-errors',
    status: 422,
    signedIn: false,
    landmarks: ['banner', 'main'],
    // Wrong credentials are one error, on the password (which of the two was wrong is not told).
    open: sendWithErrors(() => '/admin/login', { '#email': 'nobody@example.com', '#password': 'not the password' }, 'form.admin-form button[type="submit"]', ['password']),
  },
  {
    name: 'admin-editor-errors',
    status: 422,
    signedIn: true,
    landmarks: ['banner', 'navigation', 'main'],
    open: sendWithErrors(() => '/admin/articles/new', { '#dek': 'A dek without a headline.' }, 'button[value="save"]', ['headline']),
  },
];

/** Roles of form controls in Chromium's accessibility tree: each needs a name (WCAG 4.1.2). */
const CONTROL_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'checkbox', 'radio', 'button', 'spinbutton', 'slider', 'switch', 'menuitem']);

/** Controls Chromium exposes without an accessible name, as `role (DOM node id)`. */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value?: string }; name?: { value?: string }; backendDOMNodeId?: number }[] };
    return nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value)) && !String(n.name?.value ?? '').trim()).map((n) => `${n.role?.value} (node ${n.backendDOMNodeId})`);
  } finally {
    await cdp.detach();
  }
}

/** Levels of the rendered headings (h1-h6 and role=heading) in document order. */
function headingLevels(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6, [role="heading"]')]
      .filter((h) => h.checkVisibility())
      .map((h) => Number(h.getAttribute('aria-level') ?? h.tagName.slice(1))),
  );
}

/** The focus indicators of a page's Tab stops that fail: none drawn (WCAG 2.4.7), or an outline under 3:1 (1.4.11). */
interface FocusFindings {
  missing: string[];
  faint: string[];
  visited: number;
}

/**
 * Walks the Tab order from the skip link (at most `stops` stops, until focus leaves the page) and checks each
 * stop's focus indicator: an outline or box-shadow on the element or on a wrapper up to two levels out (as the
 * rich-text editor's frame, `:focus-within`); an outline on the element itself must contrast 3:1 with the
 * background it is drawn on (the nearest opaque background outside it, or inside for a negative offset).
 */
async function focusIndicators(page: Page, stops = 150): Promise<FocusFindings> {
  const findings: FocusFindings = { missing: [], faint: [], visited: 0 };
  await page.locator('a.skip-link').focus();
  for (; findings.visited < stops; findings.visited++) {
    if (findings.visited > 0) await page.keyboard.press('Tab');
    const stop = await page.evaluate((first) => {
      const el = document.activeElement;
      if (!el || el === document.body || (!first && el.classList.contains('skip-link'))) return null;
      // (No named helper functions in here: tsx would wrap them in a `__name` call the page does not have.)
      const shown = [el, el.parentElement, el.parentElement?.parentElement].some((node) => {
        const style = node ? getComputedStyle(node) : undefined;
        return !!style && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none');
      });
      const own = getComputedStyle(el);
      let behind: Element | null = parseFloat(own.outlineOffset) < 0 ? el : el.parentElement;
      while (behind && !/^rgb\(|^rgba\(.*, 1\)$/.test(getComputedStyle(behind).backgroundColor)) behind = behind.parentElement;
      const outline = own.outlineStyle !== 'none' && parseFloat(own.outlineWidth) > 0 ? { color: own.outlineColor, on: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)' } : null;
      return { shown, outline, label: `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"` };
    }, findings.visited === 0);
    if (!stop) break;
    if (!stop.shown) findings.missing.push(stop.label);
    const ratio = stop.outline ? contrastRatio(stop.outline.color, stop.outline.on) : Infinity;
    if (ratio < 3) findings.faint.push(`${stop.label}: outline ${stop.outline!.color} on ${stop.outline!.on}, ${ratio.toFixed(2)}:1`);
  }
  return findings;
}

/**
 * Asserts the structural points: headings, landmarks, skip link (checked with the keyboard), a visible focus, named
 * controls, and reflow at 320 CSS px (this last one resizes the page).
 */
async function assertStructure(page: Page, pageCase: PageCase): Promise<void> {
  const levels = await headingLevels(page);
  assert.equal(levels.filter((l) => l === 1).length, 1, `exactly one h1 (levels ${levels.join(' ')})`);
  assert.equal(levels[0], 1, `the first heading is the h1 (levels ${levels.join(' ')})`);
  const skips = levels.flatMap((level, i) => (i > 0 && level > levels[i - 1]! + 1 ? [`h${levels[i - 1]} → h${level}`] : []));
  assert.deepEqual(skips, [], `heading levels never skip downwards (levels ${levels.join(' ')})`);

  for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const) {
    const count = await page.getByRole(role).count();
    if (pageCase.landmarks.includes(role)) assert.ok(count >= 1, `a ${role} landmark`);
    if (role !== 'navigation') assert.ok(count <= 1, `at most one ${role} landmark (${count})`);
  }

  // The first element in the tab order (no positive tabindex reorders it) is the skip link, and it leads to main.
  const firstFocusable = await page.evaluate(() => {
    const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex], [contenteditable="true"]')];
    const positive = focusable.filter((el) => el.tabIndex > 0).length;
    const first = focusable.find((el) => el.tabIndex >= 0 && !el.closest('[inert], [hidden]') && !(el as HTMLInputElement).disabled);
    return { positive, first: first ? { className: first.className, href: first.getAttribute('href') } : null };
  });
  assert.equal(firstFocusable.positive, 0, 'no positive tabindex');
  assert.equal(firstFocusable.first?.className, 'skip-link', 'the skip link is the first focusable element');
  const focus = await focusIndicators(page);
  assert.ok(focus.visited > 3, `Tab moves through the page (${focus.visited} stops)`);
  assert.deepEqual(focus.missing, [], 'focus is visible on every Tab stop');
  assert.deepEqual(focus.faint, [], 'every focus outline contrasts 3:1 with what surrounds it');

  await page.locator('a.skip-link').focus();
  assert.ok(await page.locator('a.skip-link').evaluate((a) => a.getBoundingClientRect().height > 0 && getComputedStyle(a).visibility !== 'hidden'), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN', `the skip link (${firstFocusable.first?.href}) moves focus to main`);

  assert.deepEqual(await unnamedControls(page), [], 'every form control has an accessible name');

  // Reflow (WCAG 1.4.10): at 320 CSS px (1280 px zoomed to 400 %) nothing makes the page scroll sideways.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling at 320 CSS px');
}

describe('WCAG 2.2 AA in headless Chromium (axe-core and page structure)', () => {
  const sites = new Map<DialectName, Site>();
  const servers: TestServer[] = [];
  before(async () => {
    for (const dialect of DIALECTS) {
      const server = await startTestServer(dialect);
      servers.push(server);
      const content = await loadReaderPages(server);
      const newsroom = await loadNewsroomPages(server, content.seed.id);
      sites.set(dialect, { server, content, sessionCookie: (await signedInNewsroom(server, newsroom)).sessionCookie });
    }
  });
  after(async () => {
    for (const server of servers) await server.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    describe(`${colorScheme} colour scheme`, () => {
      let browser: Browser;
      before(async () => {
        browser = await launchBrowser({ colorScheme });
      });
      after(async () => {
        await browser?.close();
      });

      test('control: axe reports the violations of a page built to have them', async () => {
        const page = await browser.context.newPage();
        try {
          await page.setContent('<!doctype html><html lang="en"><title>Control</title><main><h1>Control</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb;background:#fff">Faint text</p><input type="text"></main></html>');
          const { violations, version } = await analyzeWcag(page);
          assert.match(version, /^4\.\d+/);
          assert.deepEqual(violations.map((v) => v.id).sort(), ['color-contrast', 'image-alt', 'label'], describeViolations(violations));
        } finally {
          await page.close();
        }
      });

      test('control: the structure checks see a skipped heading level, a hidden or faint focus and an unnamed control', async () => {
        const page = await browser.context.newPage();
        try {
          await page.setContent('<!doctype html><html lang="en"><title>Control</title><style>a:focus{outline:none}</style><main><h1>Control</h1><h3>Too deep</h3><a href="#x">Link</a><button></button></main></html>');
          assert.deepEqual(await headingLevels(page), [1, 3]);
          // The walk starts at the skip link; this page has none, so it starts from the top.
          await page.evaluate(() => document.body.insertAdjacentHTML('afterbegin', '<a class="skip-link" href="#x" style="outline:3px solid #ddd">Skip</a>'));
          const focus = await focusIndicators(page, 3);
          assert.deepEqual(focus.missing, ['a "Link"']);
          assert.deepEqual(focus.faint, ['a.skip-link "Skip": outline rgb(221, 221, 221) on rgb(255, 255, 255), 1.36:1']);
          assert.equal((await unnamedControls(page)).length, 1);
        } finally {
          await page.close();
        }
      });

      for (const dialect of DIALECTS) {
        for (const pageCase of CASES) {
          test(`${pageCase.name} [${dialect}, ${colorScheme}]: no WCAG 2.2 AA violations, sound structure`, async () => {
            const site = sites.get(dialect)!;
            await browser.context.clearCookies();
            if (pageCase.signedIn) await browser.context.addCookies([{ name: 'bs_session', value: site.sessionCookie, url: site.server.origin }]);
            const page = await browser.context.newPage();
            try {
              const response = await pageCase.open(page, site);
              assert.equal(response?.status(), pageCase.status, `${pageCase.name} answers ${pageCase.status}`);
              assert.equal(response?.request().redirectedFrom()?.url(), undefined, `${pageCase.name} is shown without a redirect (to the sign-in page)`);
              const { violations, passed } = await analyzeWcag(page);
              assert.equal(describeViolations(violations), '', `axe violations on ${pageCase.name}`);
              assert.ok(passed.has('color-contrast'), 'axe checked the contrast of some text');
              await assertStructure(page, pageCase);
            } finally {
              await page.close();
            }
          });
        }
      }
    });
  }
});
