/** Reader reports: one per reader per comment; enough of them send an approved comment back to the moderation queue. */
import { NotFound } from '../lib/errors.ts';
import { isoNow } from '../lib/clock.ts';
import { moderateComments } from './moderation.ts';
import type { CommentDeps } from './service.ts';
import { loadCommentSettings } from './settings.ts';
import * as store from './store.ts';

/** Reasons a reader may give when reporting a comment, by form value. */
export const REPORT_REASONS: Readonly<Record<string, string>> = {
  spam: 'Spam or advertising',
  abuse: 'Abusive, hateful or harassing',
  'off-topic': 'Off topic',
  other: 'Something else',
};

/**
 * Records a reader's report of an approved comment (one per reader, identified by `reporterHash`; `reason` one of
 * REPORT_REASONS, anything else counts as 'other'). When the
 * reports reach `settings.reportThreshold` the comment goes back to the moderation queue. Returns whether this
 * report was new. Throws NotFound for a comment readers cannot see.
 */
export async function reportComment(deps: CommentDeps, id: number, reporterHash: string, reason: string): Promise<boolean> {
  const reasonKey = Object.hasOwn(REPORT_REASONS, reason) ? reason : 'other';
  const settings = await loadCommentSettings(deps.db);
  const row = await store.findComment(deps.db, id);
  if (!row || row.status !== 'approved' || row.erased_at !== null) throw new NotFound('No such comment');
  const count = await deps.db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('comment_reports')
      .values({ comment_id: id, reporter_hash: reporterHash, created_at: isoNow(deps.clock), reason: reasonKey })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_hash']).doNothing())
      .returning('comment_id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    const updated = await tx
      .updateTable('comments')
      .set((eb) => ({ report_count: eb('report_count', '+', 1) }))
      .where('id', '=', id)
      .returning('report_count')
      .executeTakeFirstOrThrow();
    return updated.report_count;
  });
  if (count === undefined) return false;
  if (count >= settings.reportThreshold) {
    const reasons = await deps.db
      .selectFrom('comment_reports')
      .select(['reason', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('comment_id', '=', id)
      .groupBy('reason')
      .orderBy('reason')
      .execute();
    const summary = reasons.map((r) => `${(REPORT_REASONS[r.reason] ?? r.reason).toLowerCase()}${Number(r.n) > 1 ? ` ×${r.n}` : ''}`).join('; ');
    await moderateComments(deps, [id], 'unapprove', { userId: null, reason: `reported by ${count} ${count === 1 ? 'reader' : 'readers'}: ${summary}` });
  }
  return true;
}

