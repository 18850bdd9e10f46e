/**
 * Commenters' data rights (GDPR articles 15, 17 and 20): export every comment written with an email address, and
 * erase them. Erasing keeps a comment that has replies as a "[deleted]" placeholder (so the thread still reads)
 * and deletes the others for good; either way nothing identifying the commenter remains.
 */
import type { DB } from '../../db/database.ts';
import type { CommentStatus } from '../../db/schema.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { paths } from '../../web/site.ts';
import { isCounted } from '../moderation.ts';
import { adjustCommentCount } from '../store.ts';

/** One comment in an export file. */
export interface ExportedComment {
  id: number;
  /** The comment this one replied to, or null. */
  in_reply_to: number | null;
  article: { headline: string; url: string };
  name: string;
  email: string;
  website: string;
  text: string;
  status: CommentStatus;
  created_at: string;
  edited_at: string | null;
  user_agent: string;
  notify_replies: boolean;
}

export interface CommentExport {
  email: string;
  site: string;
  exported_at: string;
  comments: ExportedComment[];
}

/** Lowercased, trimmed: comments store email addresses lowercased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Every comment written with `email` (any case), oldest first, with its article's headline and absolute URL. */
export async function exportCommentsByEmail(db: DB, clock: Clock, siteUrl: string, email: string): Promise<CommentExport> {
  const address = normaliseEmail(email);
  const rows = await db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .select([
      'comments.id',
      'comments.parent_id',
      'articles.headline',
      'articles.slug',
      'comments.author_name',
      'comments.author_email',
      'comments.author_url',
      'comments.body',
      'comments.status',
      'comments.created_at',
      'comments.edited_at',
      'comments.user_agent',
      'comments.notify_replies',
    ])
    .where('comments.author_email', '=', address)
    .orderBy('comments.created_at')
    .orderBy('comments.id')
    .execute();
  return {
    email: address,
    site: siteUrl,
    exported_at: isoNow(clock),
    comments: rows.map((r) => ({
      id: r.id,
      in_reply_to: r.parent_id,
      article: { headline: r.headline, url: siteUrl + paths.article(r.slug) },
      name: r.author_name,
      email: r.author_email,
      website: r.author_url,
      text: r.body,
      status: r.status,
      created_at: r.created_at,
      edited_at: r.edited_at,
      user_agent: r.user_agent,
      notify_replies: r.notify_replies === 1,
    })),
  };
}

export interface ErasureResult {
  /** Comments kept as "[deleted]" placeholders because replies hang from them. */
  erased: number;
  /** Comments deleted for good. */
  deleted: number;
}

/** Ids among `ids` that at least one comment replies to. */
async function withReplies(db: DB, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('comments').select('parent_id').distinct().where('parent_id', 'in', [...ids]).execute();
  return new Set(rows.map((r) => r.parent_id!));
}

const ERASED_REASON = 'the commenter’s data was erased';

async function eraseInTransaction(tx: DB, clock: Clock, ids: readonly number[]): Promise<ErasureResult> {
  const rows = await tx.selectFrom('comments').select(['id', 'article_id', 'status', 'erased_at']).where('id', 'in', [...ids]).execute();
  const remaining = new Map(rows.map((r) => [r.id, r]));
  let deleted = 0;
  // Leaves first, repeatedly: a commenter's reply to their own comment goes, and then the comment may go too.
  for (;;) {
    const replied = await withReplies(tx, [...remaining.keys()]);
    const leaves = [...remaining.values()].filter((r) => !replied.has(r.id));
    if (!leaves.length) break;
    const leafIds = leaves.map((r) => r.id);
    for (const table of ['comment_events', 'comment_reports', 'comment_notifications'] as const) await tx.deleteFrom(table).where('comment_id', 'in', leafIds).execute();
    await tx.deleteFrom('comments').where('id', 'in', leafIds).execute();
    for (const leaf of leaves) {
      if (isCounted(leaf)) await adjustCommentCount(tx, leaf.article_id, -1);
      remaining.delete(leaf.id);
    }
    deleted += leaves.length;
  }
  const now = isoNow(clock);
  let erased = 0;
  for (const row of remaining.values()) {
    if (row.erased_at !== null) continue;
    await tx
      .updateTable('comments')
      .set({ author_name: '', author_email: '', author_url: '', body: '', body_html: '', ip_hash: '', network_hash: '', user_agent: '', notify_replies: 0, report_count: 0, erased_at: now, moderation_reason: ERASED_REASON })
      .where('id', '=', row.id)
      .execute();
    // Decision reasons may quote the commenter (a matched address, word or a moderator's note): they go too.
    await tx.updateTable('comment_events').set({ reason: '' }).where('comment_id', '=', row.id).execute();
    await tx.insertInto('comment_events').values({ comment_id: row.id, created_at: now, user_id: null, action: 'erase', status: row.status, reason: ERASED_REASON }).execute();
    for (const table of ['comment_reports', 'comment_notifications'] as const) await tx.deleteFrom(table).where('comment_id', '=', row.id).execute();
    if (isCounted(row)) await adjustCommentCount(tx, row.article_id, -1);
    erased += 1;
  }
  return { erased, deleted };
}

/**
 * Erases the comments `ids` (unknown ids are ignored): those with replies become "[deleted]" placeholders (every
 * personal field blanked, erased_at set, no longer counted on the article), the others are deleted with their
 * events, reports and notification records. Runs in one transaction (the caller's, when `db` is one).
 */
export async function eraseComments(db: DB, clock: Clock, ids: readonly number[]): Promise<ErasureResult> {
  if (!ids.length) return { erased: 0, deleted: 0 };
  return db.isTransaction ? eraseInTransaction(db, clock, ids) : db.transaction().execute((tx) => eraseInTransaction(tx, clock, ids));
}

/** Erases every comment written with `email` (see eraseComments). */
export async function eraseCommentsByEmail(db: DB, clock: Clock, email: string): Promise<ErasureResult> {
  const address = normaliseEmail(email);
  if (!address) return { erased: 0, deleted: 0 };
  return db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('comments').select('id').where('author_email', '=', address).execute();
    return eraseComments(tx, clock, rows.map((r) => r.id));
  });
}
