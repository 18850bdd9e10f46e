/**
 * Comment status changes — the pipeline's decision on arrival, moderators' actions, reader reports — each recorded
 * in comment_events with its reason, with the article's approved-comment count kept in the same transaction.
 */
import type { DB } from '../db/database.ts';
import type { CommentStatus } from '../db/schema.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import type { SiteEvents } from '../lib/site-events.ts';
import { adjustCommentCount } from './store.ts';

/** Told about comments after their status change has committed; implementations never throw (they log). */
export interface CommentNotifier {
  /** New comments held for moderation (status pending). */
  held(commentIds: number[]): void;
  /** Comments that became visible to readers (status approved), newly posted or approved by a moderator. */
  approved(commentIds: number[]): void;
}

export interface ModerationDeps {
  db: DB;
  clock: Clock;
  notifier: CommentNotifier;
  /** Hears comment.approved and comment.changed after commit (ctx.events; tests of other things may leave it out). */
  events?: Pick<SiteEvents, 'emit'>;
}

export type ModerationAction = 'approve' | 'unapprove' | 'reject' | 'spam' | 'trash' | 'restore';

export const MODERATION_ACTIONS: readonly ModerationAction[] = ['approve', 'unapprove', 'reject', 'spam', 'trash', 'restore'];

/** Reason recorded for each moderator action when the moderator gives none. */
const ACTION_REASONS: Record<ModerationAction, string> = {
  approve: 'approved by a moderator',
  unapprove: 'returned to the queue by a moderator',
  reject: 'rejected by a moderator',
  spam: 'marked as spam by a moderator',
  trash: 'moved to the trash by a moderator',
  restore: 'restored by a moderator',
};

/** Approved and not erased: what readers count. */
export function isCounted(row: { status: CommentStatus; erased_at: string | null }): boolean {
  return row.status === 'approved' && row.erased_at === null;
}

/** Status a restored comment returns to: the one it had before it was last trashed or marked spam. */
async function statusBeforeRemoval(db: DB, commentId: number): Promise<CommentStatus> {
  const events = await db.selectFrom('comment_events').select('status').where('comment_id', '=', commentId).orderBy('id', 'desc').limit(20).execute();
  const before = events.find((e, i) => i > 0 && e.status !== 'trash' && e.status !== 'spam' && events.slice(0, i).every((later) => later.status === 'trash' || later.status === 'spam'));
  return before?.status === 'approved' ? 'approved' : 'pending';
}

/**
 * Applies a moderator's `action` to each comment in `ids` (unknown ids are ignored; a comment already in the
 * target status is left alone). Returns the ids that changed. Approving clears the comment's reader reports.
 */
export async function moderateComments(
  deps: ModerationDeps,
  ids: readonly number[],
  action: ModerationAction,
  actor: { userId: number | null; reason?: string },
): Promise<number[]> {
  if (!ids.length) return [];
  const now = isoNow(deps.clock);
  const changed: { id: number; articleId: number; status: CommentStatus }[] = [];
  await deps.db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('comments').select(['id', 'article_id', 'status', 'erased_at']).where('id', 'in', [...ids]).execute();
    for (const row of rows) {
      const target: CommentStatus =
        action === 'approve' ? 'approved' : action === 'unapprove' ? 'pending' : action === 'spam' ? 'spam' : action === 'restore' ? await statusBeforeRemoval(tx, row.id) : 'trash';
      if (action === 'restore' && row.status !== 'trash' && row.status !== 'spam') continue;
      if (row.status === target) continue;
      const reason = actor.reason?.trim() || ACTION_REASONS[action];
      await tx
        .updateTable('comments')
        .set({ status: target, moderation_reason: reason, ...(target === 'approved' ? { report_count: 0 } : {}) })
        .where('id', '=', row.id)
        .execute();
      if (target === 'approved') await tx.deleteFrom('comment_reports').where('comment_id', '=', row.id).execute();
      await tx.insertInto('comment_events').values({ comment_id: row.id, created_at: now, user_id: actor.userId, action, status: target, reason }).execute();
      const delta = Number(isCounted({ status: target, erased_at: row.erased_at })) - Number(isCounted(row));
      if (delta) await adjustCommentCount(tx, row.article_id, delta);
      changed.push({ id: row.id, articleId: row.article_id, status: target });
    }
  });
  const approved = changed.filter((c) => c.status === 'approved').map((c) => c.id);
  if (approved.length) deps.notifier.approved(approved);
  for (const c of changed) {
    if (c.status === 'approved') deps.events?.emit({ type: 'comment.approved', commentId: c.id, articleId: c.articleId });
    else deps.events?.emit({ type: 'comment.changed', articleId: c.articleId });
  }
  return changed.map((c) => c.id);
}

/**
 * Deletes comments for good. Their replies move up to the nearest ancestor that is not deleted with them (or to the
 * top level) so no thread loses its answers; counts are kept. Returns the number deleted. A few statements
 * whatever the number of comments (the retention job deletes spam by the hundred).
 */
export async function deleteCommentsPermanently(deps: Pick<ModerationDeps, 'db'>, ids: readonly number[]): Promise<number> {
  if (!ids.length) return 0;
  return deps.db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('comments').select(['id', 'article_id', 'parent_id', 'status', 'erased_at']).where('id', 'in', [...ids]).execute();
    if (!rows.length) return 0;
    const parentOf = new Map(rows.map((row) => [row.id, row.parent_id]));
    const survivingAncestor = (id: number): number | null => {
      let ancestor = parentOf.get(id) ?? null;
      while (ancestor !== null && parentOf.has(ancestor)) ancestor = parentOf.get(ancestor) ?? null;
      return ancestor;
    };
    const deleted = [...parentOf.keys()];
    // One statement per new parent (usually one: spam is mostly top-level, so its replies move to the top level).
    const byNewParent = new Map<number | null, number[]>();
    for (const id of deleted) {
      const newParent = survivingAncestor(id);
      const group = byNewParent.get(newParent);
      if (group) group.push(id);
      else byNewParent.set(newParent, [id]);
    }
    for (const [newParent, parents] of byNewParent) {
      await tx.updateTable('comments').set({ parent_id: newParent }).where('parent_id', 'in', parents).where('id', 'not in', deleted).execute();
    }
    await tx.deleteFrom('comments').where('id', 'in', deleted).execute();
    const counted = new Map<number, number>();
    for (const row of rows) if (isCounted(row)) counted.set(row.article_id, (counted.get(row.article_id) ?? 0) + 1);
    for (const [articleId, n] of counted) await adjustCommentCount(tx, articleId, -n);
    return rows.length;
  });
}

/** Records one decision about a comment (used inside the caller's transaction). */
export async function recordCommentEvent(
  db: DB,
  event: { commentId: number; at: string; userId: number | null; action: string; status: CommentStatus; reason: string },
): Promise<void> {
  await db
    .insertInto('comment_events')
    .values({ comment_id: event.commentId, created_at: event.at, user_id: event.userId, action: event.action, status: event.status, reason: event.reason })
    .execute();
}
