/** Handlers of a commenter's history page and of bans (adding one from the history, removing one). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, ValidationError } from '../../lib/errors.ts';
import { parseId, stringField } from '../../lib/form-input.ts';
import { can, requireCan } from '../../newsroom/roles.ts';
import { currentUser } from '../../newsroom/routes.tsx';
import type { AppContext } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import { banCommenter, parseCommenterKey } from './bans.ts';
import { deleteBan, findBan } from './bans-store.ts';
import { returnPathOf, timeFormatter, withParams, type FrameOf } from './handler-support.ts';
import { listByCommenter, pendingIdsOf, type CommenterKey } from './queue-store.ts';
import { historyHref } from './views/comment-parts.tsx';
import { CommenterPage } from './views/commenter-page.tsx';

/** Most comments a history page lists. */
export const HISTORY_LIMIT = 200;

type CommenterRequest = FastifyRequest<{ Params: { id?: string }; Querystring: Record<string, string | undefined>; Body: unknown }>;

/** The commenter a history query names: ?email=, ?ip= or ?network= (the first present). */
function commenterOf(query: unknown): CommenterKey | undefined {
  for (const kind of ['email', 'ip', 'network'] as const) {
    const value = stringField(query, kind);
    if (value) return parseCommenterKey(kind, value);
  }
  return undefined;
}

function noticeOf(query: Record<string, string | undefined>): string | undefined {
  if (query.banned === '1') {
    const n = Number(/^\d{1,4}$/.test(query.spammed ?? '') ? query.spammed : 0);
    return n ? `Banned. ${n} pending ${n === 1 ? 'comment' : 'comments'} marked as spam.` : 'Banned.';
  }
  return query.unbanned === '1' ? 'Ban removed.' : undefined;
}

export function commenterHandlers(ctx: AppContext, frameOf: FrameOf) {
  async function render(request: CommenterRequest, reply: FastifyReply, commenter: CommenterKey, state: { note?: string; errors?: Record<string, string>; status?: number } = {}) {
    const user = currentUser(request);
    const [rows, ban, pending, formatTime] = await Promise.all([
      listByCommenter(ctx.db, commenter, HISTORY_LIMIT),
      findBan(ctx.db, commenter.kind, commenter.value),
      pendingIdsOf(ctx.db, commenter),
      timeFormatter(ctx),
    ]);
    const page = (
      <CommenterPage
        frame={frameOf(request, reply)}
        commenter={commenter}
        rows={rows}
        limit={HISTORY_LIMIT}
        ban={ban}
        pendingCount={pending.length}
        notice={state.errors ? undefined : noticeOf(request.query)}
        values={{ note: state.note ?? '' }}
        errors={state.errors ?? {}}
        canManagePrivacy={can(user, 'settings.manage')}
        formatTime={formatTime}
      />
    );
    return sendPage(reply, page, state.status);
  }

  return {
    /** GET /admin/comments/history?email=|ip=|network= */
    async history(request: CommenterRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const commenter = commenterOf(request.query);
      if (!commenter) throw new NotFound('No such commenter');
      return render(request, reply, commenter);
    },

    /** POST /admin/comments/bans — kind, value, note, spam_pending. */
    async ban(request: CommenterRequest, reply: FastifyReply) {
      const user = currentUser(request);
      requireCan(user, 'comments.moderate');
      const body = request.body;
      const note = stringField(body, 'note');
      try {
        const { key, spammed } = await banCommenter(ctx, user.id, { kind: stringField(body, 'kind'), value: stringField(body, 'value'), note, spamPending: stringField(body, 'spam_pending') !== '' });
        return reply.redirect(withParams(historyHref(key.kind, key.value), { banned: '1', spammed: String(spammed) }), 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const commenter = parseCommenterKey(stringField(body, 'kind'), stringField(body, 'value'));
        if (!commenter) throw error;
        return render(request, reply, commenter, { note, errors: error.fields, status: 422 });
      }
    },

    /** POST /admin/comments/bans/:id/delete — back to the form's page (a history page) or the settings page. */
    async unban(request: CommenterRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const id = parseId(request.params.id ?? '');
      if (id === undefined || !(await deleteBan(ctx.db, id))) throw new NotFound('No such ban');
      return reply.redirect(withParams(returnPathOf(request.body) ?? '/admin/comments/settings', { unbanned: '1' }), 303);
    },
  };
}
