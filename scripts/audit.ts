/**
 * `npm run audit`: Lighthouse 12.2.3 (its default mobile preset: a mid-range phone's screen and CPU, a slow 4G
 * network, simulated) in Debian's Chromium against a local server on a fresh SQLite database with the demo content,
 * the seed article carrying a 50-comment thread. Audits the front page and that article page, prints the four
 * category scores per page (0-100) and the audits that lost points, and exits 1 when any score is under MIN_SCORE.
 * CHROMIUM_PATH names another Chromium (default /usr/bin/chromium). test/e2e/audit.test.ts runs the same code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type RunnerResult } from 'lighthouse';
import { parseHTML } from 'linkedom';
import { buildApp } from '../src/app.ts';
import { findPublishedBySlug } from '../src/articles/store.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { addCommentThread } from '../test/support/comment-thread.ts';
import { SEED_SLUG } from '../test/support/seed.ts';
import { freePort } from '../test/support/server-process.ts';

/** Lighthouse's categories, by their ids in its report. */
export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The lowest acceptable score of each category, 0-100. */
export const MIN_SCORE = 95;

/** Comments on the audited article: the demo thread's three and these, so 50 in all. */
const ADDED_COMMENTS = 47;

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface AuditSite {
  /** `http://127.0.0.1:PORT`, also the site's SITE_URL (canonical links point here). */
  origin: string;
  /** The pages to audit: name and path. */
  pages: { name: string; path: string }[];
  /** Stops the server and deletes its database and media folder. */
  close(): Promise<void>;
}

/** Starts the app on a free loopback port with a fresh SQLite database holding the demo content and the thread. */
export async function startAuditSite(): Promise<AuditSite> {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-audit-'));
  try {
    const origin = `http://127.0.0.1:${await freePort()}`;
    const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'audit.db')}`, DEMO_CONTENT: 'true', SITE_URL: origin, MEDIA_DIR: join(dir, 'media'), LOG_LEVEL: 'silent' });
    const database = openDatabase(config.database);
    const app = await buildApp(config, { database, logger: false });
    // Before the first request, so no page is cached without the thread.
    const seed = await findPublishedBySlug(database.db, SEED_SLUG, new Date().toISOString());
    if (!seed) throw new Error('the demo content has no seed article');
    await addCommentThread(database.db, seed.id, ADDED_COMMENTS, seed.published_at ?? new Date().toISOString());
    await app.listen({ port: Number(new URL(origin).port), host: '127.0.0.1' });
    return {
      origin,
      pages: [
        { name: 'front page', path: '/' },
        { name: 'article, 50 comments', path: `/articles/${SEED_SLUG}` },
      ],
      async close() {
        await app.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface PageAudit {
  name: string;
  /** The address audited, and the one Lighthouse ended on (after any redirect). */
  url: string;
  finalUrl: string;
  /** The <title> of the document Lighthouse loaded. */
  title: string;
  /** Category scores, 0-100. */
  scores: Record<Category, number>;
  /**
   * Audits of the four categories that lost points: id, title, score 0-100, Lighthouse's summary of the finding and
   * the first few elements or addresses it names.
   */
  failing: { id: string; title: string; score: number; detail: string; where: string[] }[];
}

/** Up to three CSS selectors or URLs from an audit's details table. */
function culprits(details: unknown): string[] {
  const items = (details as { items?: { node?: { selector?: string }; url?: string }[] } | undefined)?.items ?? [];
  return items
    .map((item) => item.node?.selector ?? item.url)
    .filter((where): where is string => typeof where === 'string')
    .slice(0, 3);
}

/** Attempts at one page: Lighthouse's trace recording sometimes fails on a busy machine (NO_NAVSTART, NO_FCP). */
const ATTEMPTS = 3;

/** Lighthouse's result for `url` in the Chromium listening on `port`, tried again after a failed trace. */
async function runLighthouse(url: string, port: number): Promise<RunnerResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, { port, logLevel: 'error', output: 'json', onlyCategories: [...CATEGORIES] });
    if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
    const error = result.lhr.runtimeError;
    if (!error) return result;
    if (attempt === ATTEMPTS) throw new Error(`Lighthouse could not audit ${url} (${ATTEMPTS} attempts): ${error.code} ${error.message}`);
  }
}

/** Runs Lighthouse on each page of `site` in one Chromium with a fresh profile, one page after the other. */
export async function auditSite(site: AuditSite, chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<PageAudit[]> {
  const profile = mkdtempSync(join(tmpdir(), 'broadsheet-audit-chromium-'));
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROMIUM_FLAGS, userDataDir: profile, logLevel: 'silent' });
  try {
    const audits: PageAudit[] = [];
    for (const page of site.pages) {
      const url = site.origin + page.path;
      const result = await runLighthouse(url, chrome.port);
      const { lhr } = result;
      const scores = {} as Record<Category, number>;
      const failing: PageAudit['failing'] = [];
      for (const category of CATEGORIES) {
        const report = lhr.categories[category];
        if (!report || report.score === null) throw new Error(`no ${category} score for ${url}`);
        scores[category] = Math.round(report.score * 100);
        for (const ref of report.auditRefs) {
          const audit = lhr.audits[ref.id];
          // Weightless audits too: the performance opportunities (uses-text-compression, render-blocking-resources) are.
          if (!audit || audit.score === null || audit.score >= 1 || audit.scoreDisplayMode === 'informative' || failing.some((f) => f.id === ref.id)) continue;
          failing.push({ id: ref.id, title: audit.title, score: Math.round(audit.score * 100), detail: audit.displayValue ?? '', where: culprits(audit.details) });
        }
      }
      const html = result.artifacts.MainDocumentContent ?? '';
      const title = parseHTML(html).document.title;
      audits.push({ name: page.name, url, finalUrl: lhr.finalDisplayedUrl, title, scores, failing });
    }
    return audits;
  } finally {
    chrome.kill();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/** The audits as a plain-text table of scores, then the audits that lost points, page by page. */
export function formatAudits(audits: PageAudit[]): string {
  const width = Math.max(...audits.map((a) => a.name.length), 4);
  const column = (text: string) => text.padStart(16);
  const lines = [`${'page'.padEnd(width)}${CATEGORIES.map(column).join('')}`];
  for (const audit of audits) lines.push(`${audit.name.padEnd(width)}${CATEGORIES.map((c) => column(String(audit.scores[c]))).join('')}`);
  for (const audit of audits) {
    if (!audit.failing.length) continue;
    lines.push('', `${audit.name} (${audit.url}), audits that lost points:`);
    for (const f of audit.failing) {
      lines.push(`  ${String(f.score).padStart(3)}  ${f.id}: ${f.title}${f.detail ? ` (${f.detail})` : ''}`);
      for (const where of f.where) lines.push(`         ${where}`);
    }
  }
  return lines.join('\n');
}

/** The scores under MIN_SCORE, as "page: category score" lines. */
export function belowMinimum(audits: PageAudit[]): string[] {
  return audits.flatMap((audit) => CATEGORIES.filter((c) => audit.scores[c] < MIN_SCORE).map((c) => `${audit.name}: ${c} ${audit.scores[c]}`));
}

async function main(): Promise<void> {
  const site = await startAuditSite();
  let audits: PageAudit[];
  try {
    audits = await auditSite(site);
  } finally {
    await site.close();
  }
  console.log(formatAudits(audits));
  const low = belowMinimum(audits);
  if (low.length) {
    console.error(`\nBelow ${MIN_SCORE}: ${low.join('; ')}`);
    process.exitCode = 1;
  } else console.log(`\nEvery score is at least ${MIN_SCORE}.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
