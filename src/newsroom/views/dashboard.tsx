/** The newsroom's article list: every article with its status, section and times. */
import type { NewsroomListRow } from '../../articles/store.ts';
import { paths } from '../../web/site.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

export function DashboardPage({ frame, articles, formatTime }: { frame: AdminFrame; articles: NewsroomListRow[]; formatTime: (iso: string) => string }) {
  return (
    <AdminLayout frame={frame} title="Articles">
      <h1>Articles</h1>
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
                <td>{a.status === 'published' ? <a href={paths.article(a.slug)}>{a.headline}</a> : a.headline}</td>
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
