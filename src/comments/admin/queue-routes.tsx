/** Handlers of the moderation queue: the tabs, per-row and bulk actions, the delete confirmation, and editing a comment. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, ValidationError } from '../../lib/errors.ts';
import { parseId, stringField } from '../../lib/form-input.ts';
import { can, requireCan } from '../../newsroom/roles.ts';
import { currentUser } from '../../newsroom/routes.tsx';
import type { AppContext } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import { deleteCommentsPermanently, moderateComments } from '../moderation.ts';
import { editComment } from './comment-edit.ts';
import { idsOf, pageOf, returnPathOf, statusOf, timeFormatter, withParams, type FrameOf } from './handler-support.ts';
import { DELETABLE, doneMessage, isQueueAction, type QueueAction } from './queue-actions.ts';
import { countByStatus, findForModeration, listByIds, listByStatus, listEvents, type ModerationRow } from './queue-store.ts';
import { DeleteConfirmPage } from './views/delete-confirm-page.tsx';
import { EditPage, type CommentEditValues } from './views/edit-page.tsx';
import { QueuePage, queueHref } from './views/queue-page.tsx';

/** Comments per page of the queue. */
export const QUEUE_PAGE_SIZE = 50;

type QueueRequest = FastifyRequest<{ Params: { id?: string; action?: string }; Querystring: Record<string, string | undefined>; Body: unknown }>;

function commentIdOf(request: QueueRequest): number {
  const id = parseId(request.params.id ?? '');
  if (id === undefined) throw new NotFound('No such comment');
  return id;
}

/** The confirmation a redirect carries (`done` action and count `n`), when both are well formed. */
function noticeOf(query: Record<string, string | undefined>): string | undefined {
  const done = stringField(query, 'done');
  const n = stringField(query, 'n');
  return isQueueAction(done) && /^\d{1,4}$/.test(n) ? doneMessage(done, Number(n)) : undefined;
}

const editValuesOf = (row: ModerationRow): CommentEditValues => ({ author: row.author_name, email: row.author_email, url: row.author_url, comment: row.body });

export function commentQueueHandlers(ctx: AppContext, frameOf: FrameOf) {
  /** Applies `action` to `ids` and redirects back (to the form's page, or the tab it was sent from) with the count. */
  async function apply(request: QueueRequest, reply: FastifyReply, ids: number[], action: QueueAction) {
    const user = currentUser(request);
    let count: number;
    if (action === 'delete') {
      const deletable = (await listByIds(ctx.db, ids)).filter((r) => DELETABLE.includes(r.status)).map((r) => r.id);
      count = await deleteCommentsPermanently(ctx, deletable);
    } else {
      const reason = stringField(request.body, 'reason').trim().slice(0, 200);
      count = (await moderateComments(ctx, ids, action, { userId: user.id, reason: reason || undefined })).length;
    }
    const back = returnPathOf(request.body) ?? queueHref(statusOf(stringField(request.body, 'status')), pageOf(stringField(request.body, 'page')));
    return reply.redirect(withParams(back, { done: action, n: String(count) }), 303);
  }

  async function showEdit(request: QueueRequest, reply: FastifyReply, row: ModerationRow, state: { values: CommentEditValues; errors: Record<string, string>; status?: number }) {
    const [events, formatTime] = await Promise.all([listEvents(ctx.db, row.id), timeFormatter(ctx)]);
    const page = <EditPage frame={frameOf(request, reply)} row={row} values={state.values} errors={state.errors} events={events} saved={request.query.saved === '1'} formatTime={formatTime} />;
    return sendPage(reply, page, state.status);
  }

  return {
    /** GET /admin/comments?status=&page= */
    async queue(request: QueueRequest, reply: FastifyReply) {
      const user = currentUser(request);
      requireCan(user, 'comments.moderate');
      const status = statusOf(stringField(request.query, 'status'));
      const page = pageOf(stringField(request.query, 'page'));
      const [counts, rows, formatTime] = await Promise.all([countByStatus(ctx.db), listByStatus(ctx.db, status, QUEUE_PAGE_SIZE + 1, (page - 1) * QUEUE_PAGE_SIZE), timeFormatter(ctx)]);
      const view = (
        <QueuePage
          frame={frameOf(request, reply)}
          status={status}
          counts={counts}
          rows={rows.slice(0, QUEUE_PAGE_SIZE)}
          page={page}
          hasNext={rows.length > QUEUE_PAGE_SIZE}
          notice={noticeOf(request.query)}
          canManagePrivacy={can(user, 'settings.manage')}
          formatTime={formatTime}
        />
      );
      return sendPage(reply, view);
    },

    /** POST /admin/comments/bulk — ids[], action, reason; deleting asks for confirmation first. */
    async bulk(request: QueueRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const action = stringField(request.body, 'action');
      if (!isQueueAction(action)) throw new ValidationError({ action: 'Choose what to do with the selected comments.' });
      const ids = idsOf(request.body);
      if (action === 'delete' && stringField(request.body, 'confirm') !== '1') {
        const [rows, formatTime] = await Promise.all([listByIds(ctx.db, ids), timeFormatter(ctx)]);
        const status = statusOf(stringField(request.body, 'status'));
        const view = <DeleteConfirmPage frame={frameOf(request, reply)} rows={rows.filter((r) => DELETABLE.includes(r.status))} status={status} page={pageOf(stringField(request.body, 'page'))} formatTime={formatTime} />;
        return sendPage(reply, view);
      }
      return apply(request, reply, ids, action);
    },

    /** POST /admin/comments/:id/:action — one row's button (approve, unapprove, reject, spam, trash, restore). */
    async act(request: QueueRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const id = commentIdOf(request);
      const action = request.params.action ?? '';
      // Deleting goes through the confirmation page (GET …/delete), never straight from a row button.
      if (!isQueueAction(action) || action === 'delete') throw new NotFound('No such action');
      return apply(request, reply, [id], action);
    },

    /** GET /admin/comments/:id/delete — the confirmation before deleting one comment for good. */
    async confirmDelete(request: QueueRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const row = await findForModeration(ctx.db, commentIdOf(request));
      if (!row) throw new NotFound('No such comment');
      const formatTime = await timeFormatter(ctx);
      const status = statusOf(stringField(request.query, 'status') || row.status);
      const view = <DeleteConfirmPage frame={frameOf(request, reply)} rows={DELETABLE.includes(row.status) ? [row] : []} status={status} page={pageOf(stringField(request.query, 'page'))} formatTime={formatTime} />;
      return sendPage(reply, view);
    },

    /** GET /admin/comments/:id/edit */
    async editForm(request: QueueRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const row = await findForModeration(ctx.db, commentIdOf(request));
      if (!row) throw new NotFound('No such comment');
      return showEdit(request, reply, row, { values: editValuesOf(row), errors: {} });
    },

    /** POST /admin/comments/:id/edit — author, email, url, comment. */
    async saveEdit(request: QueueRequest, reply: FastifyReply) {
      const user = currentUser(request);
      requireCan(user, 'comments.moderate');
      const id = commentIdOf(request);
      const values: CommentEditValues = { author: stringField(request.body, 'author'), email: stringField(request.body, 'email'), url: stringField(request.body, 'url'), comment: stringField(request.body, 'comment') };
      try {
        await editComment(ctx, id, user.id, values);
        return reply.redirect(`/admin/comments/${id}/edit?saved=1`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const row = await findForModeration(ctx.db, id);
        if (!row) throw new NotFound('No such comment');
        return showEdit(request, reply, row, { values, errors: error.fields, status: 422 });
      }
    },
  };
}
