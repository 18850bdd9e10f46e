/** Reading the search page in tests: result slugs, count line, excerpts, the query in the box. */
import { Client, parsePage } from './http.ts';

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates become U+FFFD, as a browser would send them). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

export interface SearchAnswer {
  status: number;
  html: string;
  document: Document;
  /** Slugs of the results, in order. */
  slugs: string[];
  /** The result count line, e.g. "3 results". */
  count: string;
}

/** GETs /search for `query` (and `page`) and reads the results. */
export async function search(client: Client, query: string, page?: number | string): Promise<SearchAnswer> {
  const { response, html } = await client.get(`/search?q=${percentEncode(query)}${page === undefined ? '' : `&page=${page}`}`);
  const document = parsePage(html);
  const slugs = [...document.querySelectorAll('.search-results .story-headline a')].map((a) => decodeURIComponent((a.getAttribute('href') ?? '').replace(/^\/articles\//, '')));
  return { status: response.status, html, document, slugs, count: document.querySelector('.search-count')?.textContent ?? '' };
}
