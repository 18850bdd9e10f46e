/** The newsroom's article list: filters (kind, status, section, author, headline search), the table, and pagination. */
import type { NewsroomListRow } from '../../articles/store.ts';
import type { ArticleKind, ArticleStatus, AuthorRow, SectionRow } from '../../db/schema.ts';
import { articlePath } from '../../web/site.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'pending', 'scheduled', 'published', 'unpublished'];
export const ARTICLE_KINDS: readonly ArticleKind[] = ['article', 'page'];

export interface DashboardFilter {
  kind?: ArticleKind;
  status?: ArticleStatus;
  section?: string;
  author?: string;
  q: string;
  /** 1-based. */
  page: number;
}

function pageHref(filter: DashboardFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.status) params.set('status', filter.status);
  if (filter.section) params.set('section', filter.section);
  if (filter.author) params.set('author', filter.author);
  if (filter.q) params.set('q', filter.q);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin?${query}` : '/admin';
}

export interface DashboardProps {
  frame: AdminFrame;
  articles: NewsroomListRow[];
  hasNext: boolean;
  filter: DashboardFilter;
  sections: SectionRow[];
  authors: AuthorRow[];
  canCreate: boolean;
  formatTime: (iso: string) => string;
}

export function DashboardPage({ frame, articles, hasNext, filter, sections, authors, canCreate, formatTime }: DashboardProps) {
  return (
    <AdminLayout frame={frame} title="Articles">
      <div class="editor-head">
        <h1>Articles</h1>
        {canCreate ? (
          <div>
            <a class="button-primary" href="/admin/articles/new">
              New article
            </a>{' '}
            <a class="button-secondary" href="/admin/articles/new?kind=page">
              New page
            </a>
          </div>
        ) : null}
      </div>
      <form method="get" action="/admin" class="admin-filters" role="search" aria-label="Filter articles">
        <div class="field">
          <label for="q">Headline contains</label>
          <input id="q" name="q" type="search" value={filter.q} />
        </div>
        <div class="field">
          <label for="filter-kind">Kind</label>
          <select id="filter-kind" name="kind">
            <option value="">Any</option>
            <option value="article" selected={filter.kind === 'article'}>
              Articles
            </option>
            <option value="page" selected={filter.kind === 'page'}>
              Pages
            </option>
          </select>
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" name="status">
            <option value="">Any</option>
            {ARTICLE_STATUSES.map((s) => (
              <option value={s} selected={filter.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-section">Section</label>
          <select id="filter-section" name="section">
            <option value="">Any</option>
            {sections.map((s) => (
              <option value={s.slug} selected={filter.section === s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-author">Author</label>
          <select id="filter-author" name="author">
            <option value="">Any</option>
            {authors.map((a) => (
              <option value={a.slug} selected={filter.author === a.slug}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button-secondary">
          Filter
        </button>
      </form>
      {articles.length ? (
        <table class="admin-table">
          <caption class="visually-hidden">Articles, most recently updated first</caption>
          <thead>
            <tr>
              <th scope="col">Headline</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Section</th>
              <th scope="col">Published</th>
              <th scope="col">Updated</th>
              <th scope="col">Comments</th>
            </tr>
          </thead>
          <tbody>
            {articles.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/articles/${a.id}`}>{a.headline}</a>
                  {a.status === 'published' ? (
                    <>
                      {' '}
                      <a class="view-link" href={articlePath(a)} aria-label={`View “${a.headline}” on the site`}>
                        view
                      </a>
                    </>
                  ) : null}
                </td>
                <td data-label="Kind">{a.kind}</td>
                <td data-label="Status">
                  <span class={`status status-${a.status}`}>{a.status}</span>
                </td>
                <td data-label="Section">{a.section_name ?? '—'}</td>
                <td data-label="Published">{a.published_at ? <time datetime={a.published_at}>{formatTime(a.published_at)}</time> : '—'}</td>
                <td data-label="Updated">
                  <time datetime={a.updated_at}>{formatTime(a.updated_at)}</time>
                </td>
                <td data-label="Comments">{a.comment_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No articles match.</p>
      )}
      <nav class="pagination" aria-label="Pages">
        {filter.page > 1 ? (
          <a href={pageHref(filter, filter.page - 1)} rel="prev">
            Newer
          </a>
        ) : null}
        {hasNext ? (
          <a href={pageHref(filter, filter.page + 1)} rel="next">
            Older
          </a>
        ) : null}
      </nav>
    </AdminLayout>
  );
}
