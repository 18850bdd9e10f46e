/** Which moderation actions each queue tab offers, their button labels, and the confirmation each one earns. */
import type { CommentStatus } from '../../db/schema.ts';
import { MODERATION_ACTIONS, type ModerationAction } from '../moderation.ts';

/** A moderation action, or deleting for good (offered only for spam and trash). */
export type QueueAction = ModerationAction | 'delete';

export function isQueueAction(value: string): value is QueueAction {
  return value === 'delete' || (MODERATION_ACTIONS as readonly string[]).includes(value);
}

/** Per-row (and bulk) status changes offered in each tab; "Delete permanently" is added for spam and trash. */
export const TAB_ACTIONS: Record<CommentStatus, readonly { action: ModerationAction; label: string }[]> = {
  pending: [
    { action: 'approve', label: 'Approve' },
    { action: 'spam', label: 'Spam' },
    { action: 'reject', label: 'Reject' },
  ],
  approved: [
    { action: 'unapprove', label: 'Unapprove' },
    { action: 'spam', label: 'Spam' },
    { action: 'trash', label: 'Trash' },
  ],
  spam: [
    { action: 'restore', label: 'Not spam' },
    { action: 'trash', label: 'Trash' },
  ],
  trash: [
    { action: 'restore', label: 'Restore' },
    { action: 'spam', label: 'Spam' },
  ],
};

/** Comments in these statuses may be deleted for good. */
export const DELETABLE: readonly CommentStatus[] = ['spam', 'trash'];

const DONE: Record<QueueAction, string> = {
  approve: 'approved',
  unapprove: 'returned to pending',
  reject: 'rejected',
  spam: 'marked as spam',
  trash: 'moved to the trash',
  restore: 'restored',
  delete: 'deleted permanently',
};

/** "2 comments approved", "1 comment marked as spam", "No comments changed". */
export function doneMessage(action: QueueAction, count: number): string {
  if (count === 0) return 'No comments changed.';
  return `${count} ${count === 1 ? 'comment' : 'comments'} ${DONE[action]}.`;
}
