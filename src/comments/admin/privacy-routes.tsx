/** Handlers of the commenter privacy page (admins): export as a JSON download, erase with an explicit confirmation. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import validator from '../../lib/validator-lite.ts';
import { stringField } from '../../lib/form-input.ts';
import { requireCan } from '../../newsroom/roles.ts';
import { currentUser } from '../../newsroom/routes.tsx';
import type { AppContext } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import type { FrameOf } from './handler-support.ts';
import { eraseCommentsByEmail, exportCommentsByEmail, normaliseEmail } from './privacy.ts';
import { PrivacyPage } from './views/privacy-page.tsx';

type PrivacyRequest = FastifyRequest<{ Querystring: Record<string, string | undefined>; Body: unknown }>;

const BAD_EMAIL = 'Enter the email address the comments were written with, such as name@example.com.';

/** Counts of an erasure carried by the redirect (never the address: it would end up in logs). */
function resultOf(query: Record<string, string | undefined>): { erased: number; deleted: number } | undefined {
  const [erased, deleted] = [query.erased ?? '', query.deleted ?? ''];
  return /^\d{1,6}$/.test(erased) && /^\d{1,6}$/.test(deleted) ? { erased: Number(erased), deleted: Number(deleted) } : undefined;
}

export function privacyHandlers(ctx: AppContext, frameOf: FrameOf) {
  const show = (request: PrivacyRequest, reply: FastifyReply, values: { export_email?: string; erase_email?: string }, errors: Record<string, string>) =>
    sendPage(reply, <PrivacyPage frame={frameOf(request, reply)} values={{ export_email: '', erase_email: '', ...values }} errors={errors} result={Object.keys(errors).length ? undefined : resultOf(request.query)} />, Object.keys(errors).length ? 422 : 200);

  return {
    /** GET /admin/comments/privacy */
    async page(request: PrivacyRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      return show(request, reply, {}, {});
    },

    /** POST /admin/comments/privacy/export — export_email; answers with a JSON attachment. */
    async export(request: PrivacyRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      const email = normaliseEmail(stringField(request.body, 'export_email'));
      if (!validator.isEmail(email)) return show(request, reply, { export_email: stringField(request.body, 'export_email') }, { export_email: BAD_EMAIL });
      const data = await exportCommentsByEmail(ctx.db, ctx.clock, ctx.config.siteUrl, email);
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return reply
        .header('content-disposition', `attachment; filename="comments-${day}.json"`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(data, null, 2));
    },

    /** POST /admin/comments/privacy/erase — erase_email and confirm=1. */
    async erase(request: PrivacyRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      const typed = stringField(request.body, 'erase_email');
      const email = normaliseEmail(typed);
      const errors: Record<string, string> = {};
      if (!validator.isEmail(email)) errors.erase_email = BAD_EMAIL;
      if (stringField(request.body, 'confirm') !== '1') errors.confirm = 'Tick the box to confirm that the comments are to be erased for good.';
      if (Object.keys(errors).length) return show(request, reply, { erase_email: typed }, errors);
      const result = await eraseCommentsByEmail(ctx.db, ctx.clock, email);
      // The erased comments may sit on any number of article pages.
      ctx.events.emit({ type: 'site.changed' });
      return reply.redirect(`/admin/comments/privacy?erased=${result.erased}&deleted=${result.deleted}`, 303);
    },
  };
}
