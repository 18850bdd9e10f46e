/** What the search index stores for an article: the distinct terms of its headline, dek, tags and body text. */
import { Parser } from 'htmlparser2';
import type { ArticleSearchDocument } from '../../db/schema.ts';
import { termsOf } from './tokens.ts';

/**
 * Most bytes (UTF-8) of distinct terms indexed per article. PostgreSQL refuses a tsvector whose lexemes pass
 * 1 MB; a long article has a few thousand distinct words (~30 kB), so only pathological text is cut, the same on
 * both databases because the cut happens here.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Elements that end a run of text: their content never runs into the next word (names as htmlparser2 gives them). */
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'figure', 'figcaption', 'pre', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'div', 'section']);

/**
 * The reader-visible text of (sanitised) article HTML, entities decoded, whitespace collapsed to single spaces.
 * Read as a stream of tags and text (htmlparser2, which closes the elements a tag implies closed and void elements
 * at once), not parsed into a DOM: a search page takes this of ten bodies, and a document tree of each was most of
 * its CPU time and garbage.
 */
export function htmlText(html: string): string {
  const out: string[] = [];
  const parser = new Parser(
    {
      onopentagname: (name) => void (BLOCKS.has(name) && out.push(' ')),
      onclosetag: (name) => void (BLOCKS.has(name) && out.push(' ')),
      ontext: (text) => void out.push(text),
    },
    { decodeEntities: true },
  );
  parser.end(html);
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
