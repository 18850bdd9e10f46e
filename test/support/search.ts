/** Reading the search page in tests: result slugs, count line, excerpts, the query in the box. */
import { sql } from 'kysely';
import type { OpenDatabase } from '../../src/db/database.ts';
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

/** `text` for a query string: encodeURIComponent, or every byte encoded when it holds lone surrogates. */
function queryValue(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return percentEncode(text);
  }
}

/** GETs /search for `query` (and `page`) and reads the results. */
export async function search(client: Client, query: string, page?: number | string): Promise<SearchAnswer> {
  const { response, html } = await client.get(`/search?q=${queryValue(query)}${page === undefined ? '' : `&page=${page}`}`);
  const document = parsePage(html);
  const slugs = [...document.querySelectorAll('.search-results .story-headline a')].map((a) => decodeURIComponent((a.getAttribute('href') ?? '').replace(/^\/articles\//, '')));
  return { status: response.status, html, document, slugs, count: document.querySelector('.search-count')?.textContent ?? '' };
}

/** Ids of the articles that have an entry in the search index (read directly: the tables differ per dialect). */
export async function indexedArticleIds(database: OpenDatabase): Promise<number[]> {
  const query = database.dialect === 'postgres' ? sql<{ id: number }>`select article_id as id from article_search order by 1` : sql<{ id: number }>`select rowid as id from article_search order by 1`;
  return (await query.execute(database.db)).rows.map((r) => Number(r.id));
}

/** The stored index entry of an article, as text (FTS5 columns joined, or the tsvector), for comparisons. */
export async function indexEntry(database: OpenDatabase, articleId: number): Promise<string | undefined> {
  const query =
    database.dialect === 'postgres'
      ? sql<{ entry: string }>`select document::text as entry from article_search where article_id = ${articleId}`
      : sql<{ entry: string }>`select headline || ' | ' || dek || ' | ' || tags || ' | ' || body as entry from article_search where rowid = ${articleId}`;
  return (await query.execute(database.db)).rows[0]?.entry;
}
