/** Pieces every moderation page shows of a comment: who wrote it (with links to their history), where, and what. */
import type { CommentStatus } from '../../../db/schema.ts';
import { paths } from '../../../web/site.ts';
import type { ModerationRow } from '../queue-store.ts';

/** Hashes are shown by their first 8 hex digits: enough to tell commenters apart on one screen. */
export function shortHash(hash: string): string {
  return hash.slice(0, 8);
}

/** Address of a commenter's history page. */
export function historyHref(kind: 'email' | 'ip' | 'network', value: string): string {
  return `/admin/comments/history?${new URLSearchParams({ [kind]: value }).toString()}`;
}

export const STATUS_LABELS: Record<CommentStatus, string> = { pending: 'Pending', approved: 'Approved', spam: 'Spam', trash: 'Trash' };

export function StatusBadge({ status }: { status: CommentStatus }) {
  return <span class={`status status-comment-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** Name, email, website and network identity of the commenter, each identity linking to their history. */
export function CommentAuthor({ row }: { row: ModerationRow }) {
  if (row.erased_at) return <p class="comment-who">[deleted]</p>;
  const safeUrl = /^https?:\/\//i.test(row.author_url) ? row.author_url : '';
  return (
    <div class="comment-who">
      <p class="comment-who-name">{row.author_name}</p>
      <p>
        <a href={historyHref('email', row.author_email)} aria-label={`All comments from ${row.author_email}`}>
          {row.author_email}
        </a>
      </p>
      {safeUrl ? (
        <p>
          <a href={safeUrl} rel="nofollow ugc noopener">
            {safeUrl}
          </a>
        </p>
      ) : null}
      {row.ip_hash ? (
        <p>
          <a href={historyHref('ip', row.ip_hash)} aria-label={`All comments from IP ${shortHash(row.ip_hash)}`}>
            IP {shortHash(row.ip_hash)}
          </a>
          {row.network_hash ? (
            <>
              {' · '}
              <a href={historyHref('network', row.network_hash)} aria-label={`All comments from network ${shortHash(row.network_hash)}`}>
                net {shortHash(row.network_hash)}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

/** The article (linked to its public page), time, rendered text, reports and the reason for the current status. */
export function CommentContent({ row, formatTime }: { row: ModerationRow; formatTime: (iso: string) => string }) {
  return (
    <div class="comment-what">
      <p class="comment-where">
        On <a href={`${paths.article(row.slug)}#comment-${row.id}`}>{row.headline}</a>
        {' · '}
        <time datetime={row.created_at}>{formatTime(row.created_at)}</time>
        {row.edited_at ? <> · edited</> : null}
        {row.parent_id ? <> · a reply</> : null}
      </p>
      {/* body_html is the sanitiser's output (comments/format.ts), never raw input. */}
      <div class="comment-body" dangerouslySetInnerHTML={{ __html: row.erased_at ? '<p>[deleted]</p>' : row.body_html }} />
      <p class="comment-flags">
        {row.report_count ? (
          <span class="comment-reports">
            {row.report_count} {row.report_count === 1 ? 'report' : 'reports'}
          </span>
        ) : null}
        {row.moderation_reason ? <span class="comment-reason">{row.moderation_reason}</span> : null}
      </p>
    </div>
  );
}
