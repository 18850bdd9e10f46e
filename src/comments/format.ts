/**
 * Comment formatting: the small safe subset readers may use — paragraphs, line breaks, *emphasis*, > quotes and
 * web addresses turned into links — rendered by markdown-it (raw HTML off, no [text](url) links so a link always
 * shows where it goes; only http(s) addresses are linked) and then passed through the sanitize-html allowlist. Every write path stores its output.
 */
import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type SanitizeHtml from 'sanitize-html';

// markdown-it and sanitize-html load with the first comment rendered: reader pages show the stored HTML.
const require = createRequire(import.meta.url);
type Formatters = { markdown: ReturnType<typeof MarkdownIt>; sanitizeHtml: typeof SanitizeHtml };
let formatters: Formatters | undefined;

function loadFormatters(): Formatters {
  const markdown = (require('markdown-it') as typeof MarkdownIt)('zero', { html: false, linkify: true, breaks: true, typographer: false }).enable([
    'blockquote',
    'emphasis',
    'newline',
    'escape',
    'linkify',
  ]);
  // Only http(s) addresses become links. An email address stays text (no mailto:, fuzzy or not), as do ftp: and
  // protocol-relative addresses; <angle-bracket> autolinks are off, so their brackets and text simply show.
  markdown.linkify.set({ fuzzyEmail: false });
  for (const schema of ['mailto:', 'ftp:', '//']) markdown.linkify.add(schema, null);
  return { markdown, sanitizeHtml: require('sanitize-html') as typeof SanitizeHtml };
}

const COMMENT_OPTIONS: SanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'blockquote', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  // markdown-it (raw HTML off) emits only the tags above; anything else would be dropped with its text kept.
  disallowedTagsMode: 'discard',
  // A link to anything but http(s) is left as its text (the renamed tag is not allowed, so only the text stays).
  transformTags: {
    a: (tagName, attribs): SanitizeHtml.Tag =>
      /^https?:\/\//i.test(attribs.href ?? '') ? { tagName, attribs: { href: attribs.href!, rel: 'nofollow ugc noopener' } } : { tagName: 'unlinked', attribs: {} },
  },
};

/** Renders comment text (as typed; the Markdown subset above) to sanitised HTML. */
export function renderCommentHtml(text: string): string {
  const { markdown, sanitizeHtml } = (formatters ??= loadFormatters());
  return sanitizeHtml(markdown.render(text), COMMENT_OPTIONS).trim();
}

/** Number of links in rendered comment HTML (for the "hold when it has N or more links" rule). */
export function countLinks(html: string): number {
  return (html.match(/<a\s/g) ?? []).length;
}
