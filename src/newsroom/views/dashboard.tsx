/** The newsroom's article list: every article with its status, section and times. */
import type { NewsroomListRow } from '../../articles/store.ts';
import { paths } from '../../web/site.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

export function DashboardPage({ frame, articles, canCreate, formatTime }: { frame: AdminFrame; articles: NewsroomListRow[]; canCreate: boolean; formatTime: (iso: string) => string }) {
  return (
    <AdminLayout frame={frame} title="Articles">
      <div class="editor-head">
        <h1>Articles</h1>
        {canCreate ? (
          <a class="button-primary" href="/admin/articles/new">
            New article
          </a>
        ) : null}
      </div>
      {articles.length ? (
        <table class="admin-table">
          <caption class="visually-hidden">Articles, most recently updated first</caption>
          <thead>
            <tr>
              <th scope="col">Headline</th>
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
                      <a class="view-link" href={paths.article(a.slug)} aria-label={`View “${a.headline}” on the site`}>
                        view
                      </a>
                    </>
                  ) : null}
                </td>
                <td>
                  <span class={`status status-${a.status}`}>{a.status}</span>
                </td>
                <td>{a.section_name ?? '—'}</td>
                <td>{a.published_at ? <time datetime={a.published_at}>{formatTime(a.published_at)}</time> : '—'}</td>
                <td>
                  <time datetime={a.updated_at}>{formatTime(a.updated_at)}</time>
                </td>
                <td>{a.comment_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No articles yet.</p>
      )}
    </AdminLayout>
  );
}
