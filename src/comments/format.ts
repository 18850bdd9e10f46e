/**
 * Comment formatting: the small safe subset readers may use — paragraphs, line breaks, *emphasis*, > quotes and
 * web addresses turned into links — rendered by markdown-it (raw HTML off, no [text](url) links so a link always
 * shows where it goes) and then passed through the sanitize-html allowlist. Every write path stores its output.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false }).enable([
  'blockquote',
  'emphasis',
  'newline',
  'escape',
  'linkify',
  'autolink',
]);
// An email address in a comment stays text: no mailto: links, and nothing that looks like a contact is promoted.
markdown.linkify.set({ fuzzyEmail: false });

const COMMENT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'blockquote', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: { a: (tagName, attribs) => ({ tagName, attribs: { href: attribs.href ?? '', rel: 'nofollow ugc noopener' } }) },
  // A link whose address was refused is left as its text.
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href,
};

/** Renders comment text (as typed; the Markdown subset above) to sanitised HTML. */
export function renderCommentHtml(text: string): string {
  return sanitizeHtml(markdown.render(text), COMMENT_OPTIONS).trim();
}

/** Number of links in rendered comment HTML (for the "hold when it has N or more links" rule). */
export function countLinks(html: string): number {
  return (html.match(/<a\s/g) ?? []).length;
}
