/**
 * HTML for the cards of Ghost's mobiledoc editor (Ghost 1–4), written here because Ghost's own card set
 * (@tryghost/kg-default-cards) needs Node 22. The output is plain HTML that the article sanitiser then reduces.
 */
import MarkdownIt from 'markdown-it';
import type { MobiledocCard } from '@tryghost/kg-mobiledoc-html-renderer';

const markdown = new MarkdownIt({ html: true, linkify: true });

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function figure(inner: string, caption: unknown): string {
  return str(caption) ? `<figure>${inner}<figcaption>${str(caption)}</figcaption></figure>` : `<figure>${inner}</figure>`;
}
const img = (p: Record<string, unknown>): string => (str(p.src) ? `<img src="${esc(p.src)}" alt="${esc(p.alt)}">` : '');

/** Card name → HTML of its payload. Captions are HTML in Ghost, so they pass as HTML (sanitised later). */
const RENDER: Record<string, (p: Record<string, unknown>) => string> = {
  markdown: (p) => markdown.render(str(p.markdown)),
  'card-markdown': (p) => markdown.render(str(p.markdown)),
  html: (p) => str(p.html),
  image: (p) => (str(p.src) ? figure(img(p), p.caption) : ''),
  hr: () => '<hr>',
  code: (p) => figure(`<pre><code>${esc(p.code)}</code></pre>`, p.caption),
  embed: (p) => figure(str(p.html) || (str(p.url) ? `<a href="${esc(p.url)}">${esc(p.url)}</a>` : ''), p.caption),
  bookmark: (p) => {
    const meta = (typeof p.metadata === 'object' && p.metadata) || {};
    const title = str((meta as Record<string, unknown>).title) || str(p.url);
    return str(p.url) ? figure(`<a href="${esc(p.url)}">${esc(title)}</a>`, p.caption) : '';
  },
  gallery: (p) => {
    const images = Array.isArray(p.images) ? (p.images as Record<string, unknown>[]) : [];
    return images.length ? figure(images.map(img).join(''), p.caption) : '';
  },
  callout: (p) => `<blockquote>${str(p.calloutText)}</blockquote>`,
  toggle: (p) => `<h4>${str(p.heading)}</h4>${str(p.content)}`,
  button: (p) => (str(p.buttonUrl) ? `<p><a href="${esc(p.buttonUrl)}">${esc(p.buttonText)}</a></p>` : ''),
  // The members-only divider: everything after it was for members; Broadsheet shows the whole post (noted in the report).
  paywall: () => '',
};

/** The cards above, for MobiledocHtmlRenderer. */
export const MOBILEDOC_CARDS: MobiledocCard[] = Object.entries(RENDER).map(([name, render]) => ({
  name,
  type: 'dom',
  render: ({ env, payload }) => env.dom.createRawHTMLSection(render(payload)),
}));
