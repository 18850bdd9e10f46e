/** A moderator's edit of a comment: the readers' validation, the text re-rendered, and an 'edit' event in the history. */
import { isoNow } from '../../lib/clock.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';
import { commentTextFields } from '../form.ts';
import type { ModerationDeps } from '../moderation.ts';
import { recordCommentEvent } from '../moderation.ts';
import { loadCommentSettings } from '../settings.ts';
import { findForModeration, updateCommentFields } from './queue-store.ts';

/** The edit form's fields (the reader form's names, without the reply target). */
export interface CommentEditInput {
  author: string;
  email: string;
  url: string;
  comment: string;
}

/**
 * Saves a moderator's edit of comment `id`: validated exactly as a reader's comment (commentTextFields, with the
 * settings' longest comment), email lowercased, text rendered again, edited_at set, and an 'edit' event recorded,
 * in one transaction, then comment.changed. Throws NotFound for an unknown id, Conflict for an erased comment, ValidationError (fields
 * author, email, url, comment).
 */
export async function editComment(deps: Pick<ModerationDeps, 'db' | 'clock' | 'events'>, id: number, userId: number, input: CommentEditInput): Promise<void> {
  const now = isoNow(deps.clock);
  const { maxLength } = await loadCommentSettings(deps.db);
  const articleId = await deps.db.transaction().execute(async (tx) => {
    const row = await findForModeration(tx, id);
    if (!row) throw new NotFound('No such comment');
    if (row.erased_at) throw new Conflict('This commenter’s data was erased; the comment cannot be edited.');
    const { comment: _valid, ...fields } = commentTextFields({ ...input, comment_parent: '' }, { maxLength });
    await updateCommentFields(tx, id, { ...fields, edited_at: now });
    await recordCommentEvent(tx, { commentId: id, at: now, userId, action: 'edit', status: row.status, reason: 'edited by a moderator' });
    return row.article_id;
  });
  deps.events?.emit({ type: 'comment.changed', articleId });
}
