/** Newsroom handlers of /admin/webhooks (admins): list and add, edit, test, delete, the delivery log, retry now. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, ValidationError } from '../../lib/errors.ts';
import { parseId, stringField } from '../../lib/form-input.ts';
import { requireCan } from '../../newsroom/roles.ts';
import { currentUser } from '../../newsroom/routes.tsx';
import type { AdminFrame } from '../../newsroom/views/admin-layout.tsx';
import type { AppContext } from '../../web/context.ts';
import { siteView } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import { formatDateTime } from '../../web/site.ts';
import { parseEventList } from './events.ts';
import { changeWebhook, createWebhook, removeWebhook, retryNow, sendTest, type WebhookAdminDeps, type WebhookForm } from './service.ts';
import * as store from './store.ts';
import { DeliveryPage } from './views/delivery-page.tsx';
import { WebhookPage } from './views/webhook-page.tsx';
import { WebhooksPage, type WebhookSummary } from './views/webhooks-page.tsx';

type WebhookRequest = FastifyRequest<{ Params: { id?: string }; Querystring: Record<string, string | undefined>; Body: unknown }>;
type FrameOf = (request: FastifyRequest, reply: FastifyReply) => AdminFrame;

/** Deliveries shown in a log page. */
const LOG_SIZE = 50;

const NOTICES: Record<string, string> = {
  created: 'Webhook added. Give the receiver its signing secret below.',
  saved: 'Webhook saved.',
  deleted: 'Webhook deleted.',
  delivered: 'Delivered: the receiver answered with a 2xx status.',
  pending: 'Not delivered: the receiver did not answer with a 2xx status. It will be retried later.',
  failed: 'Not delivered, and no more retries are left.',
  busy: 'This delivery is being sent at this moment; look again in a few seconds.',
};

function formOf(body: unknown): WebhookForm {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).events : undefined;
  const events = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  return { url: stringField(body, 'url'), events, active: stringField(body, 'active') === '1', newSecret: stringField(body, 'new_secret') === '1' };
}

function idOf(raw: string | undefined, what: string): number {
  const id = parseId(raw ?? '');
  if (id === undefined) throw new NotFound(`No such ${what}`);
  return id;
}

function summaryOf(row: store.WebhookRow): WebhookSummary {
  return { id: row.id, url: row.url, events: parseEventList(row.events), active: row.active === 1 };
}

/** Handlers; `frameOf` is the newsroom frame (newsroom/routes.tsx). */
export function webhookHandlers(ctx: AppContext, frameOf: FrameOf) {
  const deps: WebhookAdminDeps = { db: ctx.db, clock: ctx.clock, allowPrivate: ctx.config.webhooksAllowPrivate };
  const formatTime = async () => {
    const site = await siteView(ctx);
    return (iso: string) => formatDateTime(site, iso);
  };

  async function listPage(request: WebhookRequest, reply: FastifyReply, state: { values?: WebhookForm; errors?: Record<string, string> } = {}) {
    const [webhooks, deliveries, format] = await Promise.all([store.listWebhooks(ctx.db), store.listDeliveries(ctx.db, { limit: LOG_SIZE }), formatTime()]);
    const notice = NOTICES[request.query.done ?? ''];
    const page = <WebhooksPage frame={frameOf(request, reply)} webhooks={webhooks.map(summaryOf)} deliveries={deliveries} values={state.values} errors={state.errors ?? {}} notice={notice} formatTime={format} />;
    return sendPage(reply, page, state.errors ? 422 : 200);
  }

  async function webhookPage(request: WebhookRequest, reply: FastifyReply, id: number, state: { values?: WebhookForm; errors?: Record<string, string> } = {}) {
    const row = await store.findWebhook(ctx.db, id);
    if (!row) throw new NotFound('No such webhook');
    const [deliveries, format] = await Promise.all([store.listDeliveries(ctx.db, { webhookId: id, limit: LOG_SIZE }), formatTime()]);
    const webhook = { ...summaryOf(row), secret: row.secret, createdAt: row.created_at };
    const notice = NOTICES[request.query.done ?? ''];
    const page = <WebhookPage frame={frameOf(request, reply)} webhook={webhook} deliveries={deliveries} values={state.values} errors={state.errors ?? {}} notice={notice} formatTime={format} />;
    return sendPage(reply, page, state.errors ? 422 : 200);
  }

  return {
    /** GET /admin/webhooks */
    async list(request: WebhookRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      return listPage(request, reply);
    },
    /** POST /admin/webhooks */
    async create(request: WebhookRequest, reply: FastifyReply) {
      const form = formOf(request.body);
      try {
        const id = await createWebhook(deps, currentUser(request), form);
        return reply.redirect(`/admin/webhooks/${id}?done=created`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return listPage(request, reply, { values: form, errors: error.fields });
      }
    },
    /** GET /admin/webhooks/:id */
    async show(request: WebhookRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      return webhookPage(request, reply, idOf(request.params.id, 'webhook'));
    },
    /** POST /admin/webhooks/:id */
    async update(request: WebhookRequest, reply: FastifyReply) {
      const id = idOf(request.params.id, 'webhook');
      const form = formOf(request.body);
      try {
        await changeWebhook(deps, currentUser(request), id, form);
        return reply.redirect(`/admin/webhooks/${id}?done=saved`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return webhookPage(request, reply, id, { values: form, errors: error.fields });
      }
    },
    /** POST /admin/webhooks/:id/delete */
    async remove(request: WebhookRequest, reply: FastifyReply) {
      await removeWebhook(deps, currentUser(request), idOf(request.params.id, 'webhook'));
      return reply.redirect('/admin/webhooks?done=deleted', 303);
    },
    /** POST /admin/webhooks/:id/test — sends a ping now and shows its delivery. */
    async test(request: WebhookRequest, reply: FastifyReply) {
      const { deliveryId, status } = await sendTest(deps, currentUser(request), idOf(request.params.id, 'webhook'));
      return reply.redirect(`/admin/webhooks/deliveries/${deliveryId}?done=${status ?? 'busy'}`, 303);
    },
    /** GET /admin/webhooks/deliveries/:id */
    async delivery(request: WebhookRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      const id = idOf(request.params.id, 'delivery');
      const delivery = await store.findDelivery(ctx.db, id);
      if (!delivery) throw new NotFound('No such delivery');
      const [attempts, format] = await Promise.all([store.listAttempts(ctx.db, id), formatTime()]);
      const notice = NOTICES[request.query.done ?? ''];
      return sendPage(reply, <DeliveryPage frame={frameOf(request, reply)} delivery={delivery} attempts={attempts} notice={notice} formatTime={format} />);
    },
    /** POST /admin/webhooks/deliveries/:id/retry */
    async retry(request: WebhookRequest, reply: FastifyReply) {
      const id = idOf(request.params.id, 'delivery');
      const status = await retryNow(deps, currentUser(request), id);
      return reply.redirect(`/admin/webhooks/deliveries/${id}?done=${status ?? 'busy'}`, 303);
    },
  };
}
