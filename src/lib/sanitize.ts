/** The allowlist sanitiser (sanitize-html) for article body HTML, and plain-text paragraphs rendered to safe HTML. */
import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';
import { cleanText } from './clean-text.ts';
import { LRUCache } from 'lru-cache';
import { parseHTML } from 'linkedom';
import { h, Fragment } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Tags an article body may contain; everything else is unwrapped (text kept) or dropped with its content (script, style). */
const ARTICLE_TAGS = [
  'p', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'b', 'i', 'u', 's', 'sub', 'sup',
  'br', 'hr', 'figure', 'figcaption', 'img', 'pre', 'code', 'q', 'cite', 'abbr', 'time', 'table', 'thead', 'tbody',
  'tr', 'th', 'td', 'caption',
];

// sanitize-html (with postcss and htmlparser2) loads at the first article saved: reader pages never sanitise.
const require = createRequire(import.meta.url);
let sanitizer: typeof SanitizeHtml | undefined;
const sanitizeHtml = (html: string, options: SanitizeHtml.IOptions): string => (sanitizer ??= require('sanitize-html') as typeof SanitizeHtml)(html, options);

const ARTICLE_OPTIONS: SanitizeHtml.IOptions = {
  allowedTags: ARTICLE_TAGS,
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    abbr: ['title'],
    time: ['datetime'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    q: ['cite'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Every image has alternative text (empty: decorative) — HTML requires the attribute.
  transformTags: {
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, alt: attribs.alt ?? '' } }),
    // The headline is the page's h1; imported bodies' h1 and h5/h6 keep their place as the nearest allowed heading.
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
  },
  exclusiveFilter: (frame) =>
    // An image needs an absolute http(s) address or one of our own media files; a relative `src` breaks in feeds and the API.
    frame.tag === 'img' && !/^(https?:\/\/|\/media\/)/i.test(frame.attribs.src ?? ''),
};

/**
 * Paragraphs with nothing in them (whitespace, no-break spaces, line breaks), as unwrapped layout markup leaves
 * behind. Matched on sanitize-html's own output, whose markup is regular; a paragraph holding an element (a linked
 * image) is never empty. (sanitize-html's exclusiveFilter sees only direct children, so it cannot tell.)
 */
const EMPTY_PARAGRAPH = /<p>(?:\s|&nbsp;|&#160;|\u00a0|<br \/>)*<\/p>/g;

/** Returns `html` reduced to the article allowlist (no scripts, event handlers, styles or non-http(s) links). */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(cleanText(html), ARTICLE_OPTIONS).replace(EMPTY_PARAGRAPH, '').trim();
}

/** Renders plain-text paragraphs as `<p>…</p>` HTML, every character escaped. */
export function paragraphsToHtml(paragraphs: readonly string[]): string {
  return renderToString(h(Fragment, null, ...paragraphs.map((text) => h('p', null, text))));
}

/**
 * Ledes by article HTML, kept across requests: building the DOM of a body costs 0.4 ms (2 KB) to 2.6 ms (25 KB), at
 * every view of an article without a dek (its description) and every feed item without one. Bounded by the HTML
 * held: 4 million characters in all, 200,000 at most for one body (longer ones are parsed each time).
 */
const ledes = new LRUCache<string, string>({ maxSize: 4_000_000, maxEntrySize: 200_000, sizeCalculation: (_lede, html) => html.length + 1 });

/** Text of the first paragraph of (sanitised) article HTML: the lede, for summaries. '' when there is none. */
export function ledeOf(html: string): string {
  let lede = ledes.get(html);
  if (lede === undefined) {
    const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
    ledes.set(html, (lede = document.querySelector('p')?.textContent?.trim().replace(/\s+/g, ' ') ?? ''));
  }
  return lede;
}

/** The text an HTML fragment shows (tags dropped, entities decoded, whitespace collapsed): for titles and excerpts written as HTML. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const hidden of [...document.querySelectorAll('script, style, template')]) hidden.remove();
  return (document.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}
