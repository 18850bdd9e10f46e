/** SQL of the newsroom's comment moderation: the queue by status, one comment for editing, its decision history, a commenter's comments. */
import type { DB } from '../../db/database.ts';
import type { CommentBanKind, CommentRow, CommentStatus } from '../../db/schema.ts';

export const COMMENT_STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'spam', 'trash'];

/** A comment as moderators see it: everything but the user agent, with its article's headline and slug. */
export type ModerationRow = Pick<
  CommentRow,
  'id' | 'article_id' | 'parent_id' | 'author_name' | 'author_email' | 'author_url' | 'body' | 'body_html' | 'status' | 'created_at' | 'edited_at' | 'ip_hash' | 'network_hash' | 'report_count' | 'moderation_reason' | 'erased_at'
> & { headline: string; slug: string };

const MODERATION_COLUMNS = [
  'comments.id',
  'comments.article_id',
  'comments.parent_id',
  'comments.author_name',
  'comments.author_email',
  'comments.author_url',
  'comments.body',
  'comments.body_html',
  'comments.status',
  'comments.created_at',
  'comments.edited_at',
  'comments.ip_hash',
  'comments.network_hash',
  'comments.report_count',
  'comments.moderation_reason',
  'comments.erased_at',
  'articles.headline',
  'articles.slug',
] as const;

function moderationQuery(db: DB) {
  return db.selectFrom('comments').innerJoin('articles', 'articles.id', 'comments.article_id').select(MODERATION_COLUMNS);
}

/** Number of comments in each status (every status present, 0 when none). */
export async function countByStatus(db: DB): Promise<Record<CommentStatus, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<CommentStatus, number> = { pending: 0, approved: 0, spam: 0, trash: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Comments waiting for moderation (the newsroom bar's badge); one indexed count. */
export async function countPending(db: DB): Promise<number> {
  const { count } = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** One page of comments in `status`, newest first (`limit` rows from `offset`). */
export async function listByStatus(db: DB, status: CommentStatus, limit: number, offset: number): Promise<ModerationRow[]> {
  return moderationQuery(db).where('comments.status', '=', status).orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(limit).offset(offset).execute();
}

/** Rows of the given ids (unknown ids are skipped), newest first. */
export async function listByIds(db: DB, ids: readonly number[]): Promise<ModerationRow[]> {
  if (!ids.length) return [];
  return moderationQuery(db).where('comments.id', 'in', [...ids]).orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').execute();
}

export async function findForModeration(db: DB, id: number): Promise<ModerationRow | undefined> {
  return moderationQuery(db).where('comments.id', '=', id).executeTakeFirst();
}

/** Which commenter a history page is about: an email address (lowercased) or an IP or network hash. */
export interface CommenterKey {
  kind: CommentBanKind;
  value: string;
}

const KEY_COLUMN = { email: 'comments.author_email', ip: 'comments.ip_hash', network: 'comments.network_hash' } as const;

/** The commenter's comments, newest first, at most `limit`. An empty value matches nothing (blanked hashes are ''). */
export async function listByCommenter(db: DB, key: CommenterKey, limit: number): Promise<ModerationRow[]> {
  if (!key.value) return [];
  return moderationQuery(db).where(KEY_COLUMN[key.kind], '=', key.value).orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(limit).execute();
}

/** Ids of the commenter's comments still waiting in the queue. */
export async function pendingIdsOf(db: DB, key: CommenterKey): Promise<number[]> {
  if (!key.value) return [];
  const rows = await db.selectFrom('comments').select('comments.id').where(KEY_COLUMN[key.kind], '=', key.value).where('comments.status', '=', 'pending').execute();
  return rows.map((r) => r.id);
}

/** One entry of a comment's decision history, with the moderator's name (null for the pipeline or a deleted user). */
export interface CommentEventView {
  created_at: string;
  action: string;
  status: CommentStatus;
  reason: string;
  user_name: string | null;
}

/** The comment's decisions, oldest first. */
export async function listEvents(db: DB, commentId: number): Promise<CommentEventView[]> {
  return db
    .selectFrom('comment_events')
    .leftJoin('users', 'users.id', 'comment_events.user_id')
    .select(['comment_events.created_at', 'comment_events.action', 'comment_events.status', 'comment_events.reason', 'users.display_name as user_name'])
    .where('comment_events.comment_id', '=', commentId)
    .orderBy('comment_events.id')
    .execute();
}

/** The moderator-editable fields of a comment. */
export interface CommentEdit {
  author_name: string;
  author_email: string;
  author_url: string;
  body: string;
  body_html: string;
  edited_at: string;
}

export async function updateCommentFields(db: DB, id: number, edit: CommentEdit): Promise<void> {
  await db.updateTable('comments').set(edit).where('id', '=', id).execute();
}
