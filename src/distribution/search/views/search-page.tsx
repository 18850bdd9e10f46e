/** The search results page: the form with the query, the result count, ranked results with marked words, pages. */
import type { NamedRef } from '../../../articles/store.ts';
import { ListingTime } from '../../../articles/views/byline.tsx';
import { Layout } from '../../../web/views/layout.tsx';
import { articlePath, paths, type SiteView } from '../../../web/site.ts';
import { distributionPaths } from '../../paths.ts';
import { RESULTS_PER_PAGE, type SearchPage as SearchPageModel, type SearchResult } from '../service.ts';
import type { TextPart } from '../snippet.ts';
import { SearchForm } from './search-form.tsx';

/** Text with the query's words in <mark>; every part is text, escaped by the renderer. */
function Marked({ parts }: { parts: TextPart[] }) {
  return <>{parts.map((p) => (p.match ? <mark>{p.text}</mark> : p.text))}</>;
}

function names(authors: NamedRef[]): string {
  const list = authors.map((a) => a.name);
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

function pagePath(query: string, page: number): string {
  return page > 1 ? `${distributionPaths.search(query)}&page=${page}` : distributionPaths.search(query);
}

function ResultCard({ site, result }: { site: SiteView; result: SearchResult }) {
  const { article } = result;
  const byline = names(article.authors);
  return (
    <article class="story search-result">
      {article.section ? (
        <p class="kicker">
          <a href={paths.section(article.section.slug)}>{article.section.name}</a>
        </p>
      ) : null}
      <h2 class="story-headline">
        <a href={articlePath(article)}>
          <Marked parts={result.headline} />
        </a>
      </h2>
      {result.excerpt.length ? (
        <p class="search-excerpt">
          <Marked parts={result.excerpt} />
        </p>
      ) : null}
      <p class="story-meta">
        {byline ? <span class="story-byline">By {byline}</span> : null}
        <ListingTime site={site} iso={article.publishedAt} />
      </p>
    </article>
  );
}

function countText(model: SearchPageModel): string {
  const shown = model.total === 1 ? '1 result' : `${model.total.toLocaleString('en')} results`;
  return model.pageCount > 1 ? `${shown} · page ${model.page} of ${model.pageCount}` : shown;
}

export function SearchPage({ site, model }: { site: SiteView; model: SearchPageModel }) {
  const { query, results } = model;
  const asked = query.trim() !== '';
  const title = asked ? `Search: ${query.trim().slice(0, 80)}${model.page > 1 ? ` (page ${model.page})` : ''} - ${site.name}` : `Search - ${site.name}`;
  return (
    <Layout site={site} title={title} noindex>
      <header class="listing-header">
        <p class="listing-kind">Search</p>
        <h1>{asked ? 'Search results' : 'Search'}</h1>
      </header>
      <SearchForm id="search-page-q" label="Search articles" query={query} class="search-form search-page-form" />
      {!asked ? (
        <p class="empty">Type a word or two to find articles by headline, summary, topic or text.</p>
      ) : results.length ? (
        <>
          <p class="search-count">{countText(model)}</p>
          <ol class="story-list search-results" start={(model.page - 1) * RESULTS_PER_PAGE + 1}>
            {results.map((result) => (
              <li>
                <ResultCard site={site} result={result} />
              </li>
            ))}
          </ol>
        </>
      ) : model.total > 0 ? (
        <p class="empty">
          No more results. <a href={pagePath(query, 1)}>Back to the first page</a>.
        </p>
      ) : (
        <p class="empty search-none">
          No articles match “{query.trim().slice(0, 200)}”. Check the spelling, or try fewer or other words.
        </p>
      )}
      <nav class="pagination" aria-label="Result pages">
        {results.length && model.page > 1 ? (
          <a href={pagePath(query, model.page - 1)} rel="prev">
            Previous results
          </a>
        ) : null}
        {results.length && model.page < model.pageCount ? (
          <a href={pagePath(query, model.page + 1)} rel="next">
            More results
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}
