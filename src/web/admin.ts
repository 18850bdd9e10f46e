/** The newsroom's route table (/admin): one line per route; everything needs sign-in unless marked public. */
import type { FastifyInstance } from 'fastify';
import { installNewsroomGuard } from '../newsroom/guard.ts';
import { newsroomHandlers } from '../newsroom/routes.tsx';
import { editorHandlers } from '../newsroom/article-routes.tsx';
import { taxonomyHandlers } from '../newsroom/taxonomy-routes.tsx';
import { commentQueueHandlers } from '../comments/admin/queue-routes.tsx';
import { commenterHandlers } from '../comments/admin/commenter-routes.tsx';
import { commentSettingsHandlers } from '../comments/admin/settings-routes.tsx';
import { privacyHandlers } from '../comments/admin/privacy-routes.tsx';
import { installPendingCount } from '../comments/admin/pending-badge.ts';
import { apiKeyHandlers } from '../distribution/api/admin-routes.tsx';
import { webhookHandlers } from '../distribution/webhooks/routes.tsx';
import type { AppContext } from './context.ts';
import { registerEditorBundle } from './editor-bundle.ts';

const PUBLIC = { config: { public: true } } as const;
/** Article saves carry whole bodies: up to 4 MB of form data (the app's default limit is for comments). */
const EDITOR_BODY = { bodyLimit: 4 * 1024 * 1024 } as const;

export async function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerEditorBundle(app);
  await app.register(async (admin) => {
    const h = newsroomHandlers(ctx);
    installNewsroomGuard(admin, ctx, h.sessionEnded);
    // CSRF on every state-changing newsroom request.
    admin.addHook('preHandler', (request, reply, done) => (request.method === 'POST' ? app.csrfProtection(request, reply, done) : done()));
    const editor = editorHandlers(ctx, h.frame);
    const taxonomy = taxonomyHandlers(ctx, h.frame);
    const comments = commentQueueHandlers(ctx, h.frame);
    const commenters = commenterHandlers(ctx, h.frame);
    const commentSettings = commentSettingsHandlers(ctx, h.frame);
    const privacy = privacyHandlers(ctx, h.frame);
    const webhooks = webhookHandlers(ctx, h.frame);
    const apiKeys = apiKeyHandlers(ctx, h.frame);
    installPendingCount(admin, ctx);

    admin.get('/admin', PUBLIC, h.home);
    admin.get('/admin/setup', PUBLIC, h.setupForm);
    admin.post('/admin/setup', PUBLIC, h.setup);
    admin.get('/admin/login', PUBLIC, h.loginForm);
    admin.post('/admin/login', PUBLIC, h.login);
    admin.post('/admin/logout', PUBLIC, h.logout);
    admin.get('/admin/password/forgot', PUBLIC, h.forgotForm);
    admin.post('/admin/password/forgot', PUBLIC, h.forgot);
    admin.get('/admin/password/reset', PUBLIC, h.setPasswordForm('reset'));
    admin.post('/admin/password/reset', PUBLIC, h.setPassword('reset'));
    admin.get('/admin/invitation', PUBLIC, h.setPasswordForm('invite'));
    admin.post('/admin/invitation', PUBLIC, h.setPassword('invite'));
    admin.get('/admin/articles/new', editor.newArticle);
    admin.post('/admin/articles', EDITOR_BODY, editor.create);
    admin.get('/admin/articles/:id', editor.edit);
    admin.post('/admin/articles/:id', EDITOR_BODY, editor.update);
    admin.get('/admin/articles/:id/preview', editor.preview);
    admin.post('/admin/articles/:id/delete', editor.remove);
    admin.get('/admin/articles/:id/revisions/:revisionId', editor.revision);
    admin.post('/admin/articles/:id/revisions/:revisionId/restore', editor.restore);
    admin.post('/admin/articles/:id/corrections', editor.correct);
    admin.post('/admin/articles/:id/featured-image', { errorHandler: editor.featuredImageRejected }, editor.featuredImage);
    admin.get('/admin/taxonomy', taxonomy.page);
    admin.post('/admin/sections', taxonomy.createSection);
    admin.post('/admin/sections/:id', taxonomy.updateSection);
    admin.post('/admin/sections/:id/delete', taxonomy.deleteSection);
    admin.post('/admin/tags/:id', taxonomy.updateTag);
    admin.post('/admin/tags/:id/delete', taxonomy.deleteTag);
    admin.get('/admin/comments', comments.queue);
    admin.post('/admin/comments/bulk', comments.bulk);
    admin.get('/admin/comments/:id/edit', comments.editForm);
    admin.post('/admin/comments/:id/edit', comments.saveEdit);
    admin.get('/admin/comments/:id/delete', comments.confirmDelete);
    admin.post('/admin/comments/:id/:action', comments.act);
    admin.get('/admin/comments/history', commenters.history);
    admin.post('/admin/comments/bans', commenters.ban);
    admin.post('/admin/comments/bans/:id/delete', commenters.unban);
    admin.get('/admin/comments/settings', commentSettings.page);
    admin.post('/admin/comments/settings', commentSettings.save);
    admin.get('/admin/comments/privacy', privacy.page);
    admin.post('/admin/comments/privacy/export', privacy.export);
    admin.post('/admin/comments/privacy/erase', privacy.erase);
    admin.get('/admin/account', h.account);
    admin.post('/admin/account', h.changePassword);
    admin.get('/admin/users', h.users);
    admin.post('/admin/users/invite', h.invite);
    admin.post('/admin/users/:id', h.changeUser);
    admin.post('/admin/users/:id/invitation', h.resendInvitation);
    admin.get('/admin/webhooks', webhooks.list);
    admin.post('/admin/webhooks', webhooks.create);
    admin.get('/admin/webhooks/:id', webhooks.show);
    admin.post('/admin/webhooks/:id', webhooks.update);
    admin.post('/admin/webhooks/:id/delete', webhooks.remove);
    admin.post('/admin/webhooks/:id/test', webhooks.test);
    admin.get('/admin/webhooks/deliveries/:id', webhooks.delivery);
    admin.post('/admin/webhooks/deliveries/:id/retry', webhooks.retry);
    admin.get('/admin/api-keys', apiKeys.page);
    admin.post('/admin/api-keys', apiKeys.create);
    admin.post('/admin/api-keys/:id/revoke', apiKeys.revoke);
  });
}
