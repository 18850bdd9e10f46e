/** A commenter's history (by email address, IP hash or network hash) with every status, and the form to ban them. */
import type { Selectable } from 'kysely';
import type { CommentBanTable } from '../../../db/schema.ts';
import { AdminLayout, type AdminFrame } from '../../../newsroom/views/admin-layout.tsx';
import { ErrorSummary, FieldMessage, PostForm, type FieldErrors } from '../../../web/views/form.tsx';
import type { CommenterKey, ModerationRow } from '../queue-store.ts';
import { CommentContent, StatusBadge, historyHref, shortHash } from './comment-parts.tsx';
import { CommentPagesNav } from './queue-page.tsx';

export interface CommenterPageProps {
  frame: AdminFrame;
  commenter: CommenterKey;
  rows: ModerationRow[];
  /** The most rows shown; `rows.length === limit` means older ones are not listed. */
  limit: number;
  ban?: Selectable<CommentBanTable>;
  pendingCount: number;
  notice?: string;
  values: { note: string };
  errors: FieldErrors;
  canManagePrivacy: boolean;
  formatTime: (iso: string) => string;
}

/** "email reader@example.org", "IP 1a2b3c4d", "network 5e6f7a8b". */
export function describeCommenter(key: CommenterKey): string {
  return key.kind === 'email' ? key.value : `${key.kind === 'ip' ? 'IP' : 'network'} ${shortHash(key.value)}`;
}

const BAN_LABEL = { email: 'Ban this email address', ip: 'Ban this IP address', network: 'Ban this network' } as const;

export function CommenterPage({ frame, commenter, rows, limit, ban, pendingCount, notice, values, errors, canManagePrivacy, formatTime }: CommenterPageProps) {
  const who = describeCommenter(commenter);
  return (
    <AdminLayout frame={frame} title={`Comments from ${who}`}>
      <h1>Comments from {who}</h1>
      <CommentPagesNav canManagePrivacy={canManagePrivacy} />
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={{ note: 'Note', value: 'Commenter' }} />
      <section aria-labelledby="ban-heading" class="admin-panel ban-panel">
        <h2 id="ban-heading">Ban</h2>
        {ban ? (
          <PostForm action={`/admin/comments/bans/${ban.id}/delete`} csrfToken={frame.csrfToken} className="row-form">
            <input type="hidden" name="return_to" value={historyHref(commenter.kind, commenter.value)} />
            <p>
              Banned since <time datetime={ban.created_at}>{formatTime(ban.created_at)}</time>
              {ban.note ? `: ${ban.note}` : '.'} New comments from them go straight to spam (they are not told).
            </p>
            <button type="submit" class="button-secondary">
              Remove ban
            </button>
          </PostForm>
        ) : (
          <PostForm action="/admin/comments/bans" csrfToken={frame.csrfToken}>
            <input type="hidden" name="kind" value={commenter.kind} />
            <input type="hidden" name="value" value={commenter.value} />
            <FieldMessage name="value" errors={errors} />
            <div class="field">
              <label for="note">Note (optional, for other moderators)</label>
              <input id="note" name="note" type="text" value={values.note} maxLength={500} aria-invalid={errors.note ? 'true' : undefined} aria-describedby={errors.note ? 'note-error' : undefined} />
              <FieldMessage name="note" errors={errors} />
            </div>
            {pendingCount ? (
              <div class="field checkbox">
                <input id="spam_pending" name="spam_pending" type="checkbox" value="1" checked />
                <label for="spam_pending">
                  Also mark their {pendingCount} pending {pendingCount === 1 ? 'comment' : 'comments'} as spam
                </label>
              </div>
            ) : null}
            <button type="submit" class="button-primary">
              {BAN_LABEL[commenter.kind]}
            </button>
          </PostForm>
        )}
      </section>
      {rows.length ? (
        <table class="admin-table comment-table">
          <caption>{rows.length === limit ? `The latest ${limit} comments` : `${rows.length} ${rows.length === 1 ? 'comment' : 'comments'}`}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Author</th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-comment={String(row.id)}>
                <td data-label="Status">
                  <StatusBadge status={row.status} />
                </td>
                <td data-label="Author">
                  {row.erased_at ? (
                    '[deleted]'
                  ) : (
                    <>
                      <p class="comment-who-name">{row.author_name}</p>
                      {commenter.kind !== 'email' ? <a href={historyHref('email', row.author_email)}>{row.author_email}</a> : null}
                      {commenter.kind !== 'ip' && row.ip_hash ? <p><a href={historyHref('ip', row.ip_hash)}>IP {shortHash(row.ip_hash)}</a></p> : null}
                      {commenter.kind !== 'network' && row.network_hash ? <p><a href={historyHref('network', row.network_hash)}>net {shortHash(row.network_hash)}</a></p> : null}
                      <p>
                        <a href={`/admin/comments/${row.id}/edit`} aria-label={`Edit comment ${row.id}`}>
                          Edit
                        </a>
                      </p>
                    </>
                  )}
                </td>
                <td data-label="Comment">
                  <CommentContent row={row} formatTime={formatTime} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">No comments from {who}.</p>
      )}
    </AdminLayout>
  );
}
