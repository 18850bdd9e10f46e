/**
 * Parser for HTML captures (saved article pages): @mozilla/readability finds the article in a linkedom DOM;
 * page metadata (OpenGraph, `article:*`, `<time>`) gives dek, date, section, tags and byline.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { ledeOf, sanitizeArticleHtml } from '../lib/sanitize.ts';
import { CaptureError, type CapturedArticle } from './capture.ts';
import { headlineFromTitle, isBoilerplate, isCreditLine } from './capture-rules.ts';

type Doc = ReturnType<typeof parseHTML>['document'];

function meta(doc: Doc, ...names: string[]): string | undefined {
  for (const name of names) {
    const el = doc.querySelector(`meta[property="${name}"], meta[name="${name}"]`);
    const content = el?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return undefined;
}

function metaAll(doc: Doc, name: string): string[] {
  return [...doc.querySelectorAll(`meta[property="${name}"], meta[name="${name}"]`)].map((el) => el.getAttribute('content')?.trim() ?? '').filter(Boolean);
}

function isoDate(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Byline names from "By Jane Doe and John Roe" / "Jane Doe, John Roe". */
function bylineNames(byline: string | undefined | null): string[] {
  if (!byline) return [];
  return byline
    .replace(/^\s*by\s+/i, '')
    .split(/\s*(?:,|\band\b|&)\s*/i)
    .map((n) => n.trim())
    .filter((n) => n.length > 1 && n.length < 80);
}

/** Drops boilerplate blocks and moves trailing credit paragraphs out of the body HTML. */
function splitCredits(bodyHtml: string, headline: string): { bodyHtml: string; credits: string[] } {
  const { document } = parseHTML(`<!doctype html><html><body>${bodyHtml}</body></html>`);
  const blocks = [...document.body.children];
  for (const el of blocks) {
    const text = el.textContent ?? '';
    const isTitle = /^H[1-3]$/.test(el.tagName) && text.trim().toLowerCase() === headline.toLowerCase();
    if (isTitle || isBoilerplate(text)) el.remove();
  }
  const credits: string[] = [];
  for (let el = document.body.lastElementChild; el && el.tagName === 'P' && isCreditLine(el.textContent ?? ''); el = document.body.lastElementChild) {
    credits.unshift((el.textContent ?? '').trim().replace(/\s+/g, ' '));
    el.remove();
  }
  return { bodyHtml: document.body.innerHTML.trim(), credits };
}

/** Parses a saved article page. Throws CaptureError when no article text can be found. */
export function parseHtmlCapture(html: string, opts: { siteName?: string } = {}): CapturedArticle {
  const { document } = parseHTML(html);
  const h1 = document.querySelector('h1')?.textContent?.trim().replace(/\s+/g, ' ');
  const siteName = meta(document, 'og:site_name') ?? opts.siteName;
  const title = meta(document, 'og:title') ?? document.querySelector('title')?.textContent ?? h1 ?? '';
  const publishedAt = isoDate(meta(document, 'article:published_time', 'datePublished')) ?? isoDate(document.querySelector('time[datetime]')?.getAttribute('datetime'));
  const dek = meta(document, 'og:description', 'description') ?? '';
  const section = meta(document, 'article:section');
  const tags = metaAll(document, 'article:tag');
  const metaAuthor = meta(document, 'author');

  const parsed = new Readability(document as unknown as Document, { keepClasses: false }).parse();
  if (!parsed?.content || !(parsed.textContent ?? '').trim()) throw new CaptureError('no article text found in the HTML');
  const headline = headlineFromTitle(h1 ?? title ?? parsed.title ?? '', { siteName, headlineHint: h1 });
  if (!headline) throw new CaptureError('no headline found (no <h1>, og:title or <title>)');
  const { bodyHtml, credits } = splitCredits(sanitizeArticleHtml(parsed.content), headline);
  // An article has paragraphs; a page of navigation links or a bare title does not.
  if (!bodyHtml || !ledeOf(bodyHtml)) throw new CaptureError('no article text found in the HTML (no paragraph of body text)');
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta(document, 'og:url');
  return {
    headline,
    dek,
    bodyHtml,
    credits,
    authors: bylineNames(metaAuthor ?? parsed.byline),
    publishedAt,
    section,
    tags,
    canonicalUrl: canonical && /^https?:\/\//i.test(canonical) ? canonical : undefined,
  };
}
