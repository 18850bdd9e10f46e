/** What the search index stores for an article: the distinct terms of its headline, dek, tags and body text. */
import { parseHTML } from 'linkedom';
import type { ArticleSearchDocument } from '../../db/schema.ts';
import { termsOf } from './tokens.ts';

/**
 * Most bytes (UTF-8) of distinct terms indexed per article. PostgreSQL refuses a tsvector whose lexemes pass
 * 1 MB; a long article has a few thousand distinct words (~30 kB), so only pathological text is cut, the same on
 * both databases because the cut happens here.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Elements that end a run of text: their content never runs into the next word. */
const BLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'FIGURE', 'FIGCAPTION', 'PRE', 'TABLE', 'CAPTION', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'BR', 'DIV', 'SECTION']);

function collectText(node: Node, out: string[]): void {
  for (const child of node.childNodes) {
    if (child.nodeType === 3) out.push(child.nodeValue ?? '');
    else if (child.nodeType === 1) {
      const block = BLOCKS.has((child as Element).tagName);
      if (block) out.push(' ');
      collectText(child, out);
      if (block) out.push(' ');
    }
  }
}

/** The reader-visible text of (sanitised) article HTML, entities decoded, whitespace collapsed to single spaces. */
export function htmlText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const out: string[] = [];
  collectText(document.body as unknown as Node, out);
  return out.join('').replace(/\s+/g, ' ').trim();
}

/** The text of an article that search reads, as stored (body as sanitised HTML). */
export interface IndexableArticle {
  headline: string;
  dek: string;
  bodyHtml: string;
  tags: readonly string[];
}

/** The index document of an article: each field's distinct terms, in order, within MAX_DOCUMENT_BYTES in all. */
export function searchDocument(article: IndexableArticle): ArticleSearchDocument {
  const seen = new Set<string>();
  let bytes = 0;
  const within = (terms: string[]): string[] =>
    terms.filter((term) => {
      if (seen.has(term)) return true;
      const size = Buffer.byteLength(term);
      if (bytes + size > MAX_DOCUMENT_BYTES) return false;
      bytes += size;
      seen.add(term);
      return true;
    });
  return {
    headline: within(termsOf(article.headline)),
    dek: within(termsOf(article.dek)),
    tags: within(termsOf(article.tags.join(' '))),
    body: within(termsOf(htmlText(article.bodyHtml))),
  };
}
