/** Handlers of the comment settings page (with its list of bans). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../lib/errors.ts';
import { stringField } from '../../lib/form-input.ts';
import { can, requireCan } from '../../newsroom/roles.ts';
import { currentUser } from '../../newsroom/routes.tsx';
import type { AppContext } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import { loadCommentSettings, parseCommentSettingsForm, saveCommentSettings } from '../settings.ts';
import { listBans } from './bans-store.ts';
import { timeFormatter, type FrameOf } from './handler-support.ts';
import { SettingsPage, settingsFormValues } from './views/settings-page.tsx';

type SettingsRequest = FastifyRequest<{ Querystring: Record<string, string | undefined>; Body: unknown }>;

/** Every field the settings form sends, as typed, to show back after an error. */
function typedValues(body: unknown): Record<string, string> {
  const keys = body && typeof body === 'object' ? Object.keys(body) : [];
  return Object.fromEntries(keys.filter((k) => k !== '_csrf').map((k) => [k, stringField(body, k)]));
}

export function commentSettingsHandlers(ctx: AppContext, frameOf: FrameOf) {
  async function render(request: SettingsRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, notice?: string) {
    const user = currentUser(request);
    const [bans, formatTime] = await Promise.all([listBans(ctx.db), timeFormatter(ctx)]);
    const page = <SettingsPage frame={frameOf(request, reply)} values={values} errors={errors} bans={bans} notice={notice} canManagePrivacy={can(user, 'settings.manage')} formatTime={formatTime} />;
    return sendPage(reply, page, Object.keys(errors).length ? 422 : 200);
  }

  return {
    /** GET /admin/comments/settings */
    async page(request: SettingsRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      const notice = request.query.saved === '1' ? 'Comment settings saved.' : request.query.unbanned === '1' ? 'Ban removed.' : undefined;
      return render(request, reply, settingsFormValues(await loadCommentSettings(ctx.db)), {}, notice);
    },

    /** POST /admin/comments/settings — every field of CommentSettings (see parseCommentSettingsForm). */
    async save(request: SettingsRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'comments.moderate');
      try {
        await saveCommentSettings(ctx.db, parseCommentSettingsForm(request.body));
        // Every article page shows the comment form and thread these settings shape.
        ctx.events.emit({ type: 'site.changed' });
        return reply.redirect('/admin/comments/settings?saved=1', 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return render(request, reply, typedValues(request.body), error.fields);
      }
    },
  };
}
