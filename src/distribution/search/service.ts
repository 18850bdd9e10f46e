/**
 * Site search for readers: a query and a page number in, a page of ranked, highlighted visible articles out.
 * Pages ("About us") are found too: a reader looking for the contact address should find the Contact page.
 */
import type { ArticleSummary } from '../../articles/service.ts';
import { authorsByArticle } from '../../articles/store.ts';
import { listSections } from '../../articles/taxonomy-store.ts';
import type { DB } from '../../db/database.ts';
import type { ArticleKind } from '../../db/schema.ts';
import type { DialectName } from '../../db/dialect.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { htmlText } from './document.ts';
import { highlight, snippet, SNIPPET_WORDS, type TextPart } from './snippet.ts';
import * as store from './store.ts';
import { clipQuery, queryTerms, wordsOf } from './tokens.ts';

export interface SearchDeps {
  db: DB;
  dialect: DialectName;
  clock: Clock;
}

/** Results per page. */
export const RESULTS_PER_PAGE = 10;
/** Deepest page served; past it readers are better served by a narrower query. */
export const MAX_PAGE = 100;

export interface SearchResult {
  /** A page's result links to its /pages/ address (web/site.ts articlePath). */
  article: ArticleSummary & { kind: ArticleKind };
  /** The headline with the query's words marked. */
  headline: TextPart[];
  /** An excerpt of the body (or the dek) around the query's words, marked. */
  excerpt: TextPart[];
}

export interface SearchPage {
  /** The query as the reader typed it (clipped, see tokens.ts clipQuery), for the search box. */
  query: string;
  /** The words searched for; empty when the query has none. */
  terms: string[];
  total: number;
  /** 1-based. */
  page: number;
  pageCount: number;
  results: SearchResult[];
}

/** The excerpt of a result: where the body mentions the query, else the dek, else the start of the body. */
function excerptOf(row: store.SearchHitRow, terms: ReadonlySet<string>): TextPart[] {
  const body = htmlText(row.body_html);
  const words = wordsOf(body);
  if (row.dek && !words.some((w) => terms.has(w.term))) return highlight(row.dek, terms);
  return snippet(body, terms, SNIPPET_WORDS, words);
}

/** Page `page` (1-based; clamped to 1…MAX_PAGE) of the visible articles matching every word of `query`. */
export async function searchArticles(deps: SearchDeps, query: string, page: number): Promise<SearchPage> {
  const shown = clipQuery(query);
  const terms = queryTerms(shown);
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), MAX_PAGE);
  if (!terms.length) return { query: shown, terms, total: 0, page: current, pageCount: 0, results: [] };

  const now = isoNow(deps.clock);
  const [total, rows] = await Promise.all([
    store.countMatches(deps.db, deps.dialect, terms, now),
    store.findMatches(deps.db, deps.dialect, terms, now, { limit: RESULTS_PER_PAGE, offset: (current - 1) * RESULTS_PER_PAGE }),
  ]);
  const [authors, sections] = await Promise.all([authorsByArticle(deps.db, rows.map((r) => r.id)), listSections(deps.db)]);
  const sectionById = new Map(sections.map((s) => [s.id, { slug: s.slug, name: s.name }]));
  const wanted = new Set(terms);
  const results = rows.map((row) => ({
    article: {
      id: row.id,
      slug: row.slug,
      kind: row.kind,
      headline: row.headline,
      dek: row.dek,
      publishedAt: row.published_at,
      commentCount: row.comment_count,
      section: row.section_id === null ? undefined : sectionById.get(row.section_id),
      authors: authors.get(row.id) ?? [],
    },
    headline: highlight(row.headline, wanted),
    excerpt: excerptOf(row, wanted),
  }));
  return { query: shown, terms, total, page: current, pageCount: Math.min(Math.ceil(total / RESULTS_PER_PAGE), MAX_PAGE), results };
}
