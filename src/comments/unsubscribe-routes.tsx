/** Handlers of the reply-mail unsubscribe link: GET shows the button, POST (also RFC 8058 one-click) stops the mails. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringField } from '../lib/form-input.ts';
import { siteView, type AppContext } from '../web/context.ts';
import { sendPage } from '../web/render.ts';
import { ErrorPage } from '../web/views/error-page.tsx';
import { unsubscribeLinkValid, unsubscribeFromReplies } from './unsubscribe.ts';
import { UnsubscribePage } from './views/unsubscribe-page.tsx';

type UnsubscribeRequest = FastifyRequest<{ Querystring: Record<string, unknown> }>;

const BAD_LINK = 'This unsubscribe link is not valid. Open the link from the most recent email about replies, copied whole.';

/** `c` and `t` from the address; a form or mail client that moved them into the body is accepted too. */
function linkOf(request: UnsubscribeRequest): { c: string; t: string } {
  const pick = (key: string) => stringField(request.query, key) || stringField(request.body, key);
  return { c: pick('c').trim(), t: pick('t').trim() };
}

/** The handlers of /comments/unsubscribe; no session or CSRF token needed (see unsubscribe.ts). */
export function unsubscribeHandlers(ctx: AppContext) {
  /** The link is a credential: keep the page out of caches and search engines. */
  function privatePage(reply: FastifyReply): FastifyReply {
    return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
  }

  async function refuse(reply: FastifyReply) {
    return sendPage(privatePage(reply), <ErrorPage site={await siteView(ctx)} status={404} message={BAD_LINK} />, 404);
  }

  return {
    /** GET /comments/unsubscribe?c=&t= — the confirmation button; changes nothing (link scanners fetch it). */
    async form(request: UnsubscribeRequest, reply: FastifyReply) {
      const { c, t } = linkOf(request);
      if (!(await unsubscribeLinkValid(ctx, c, t))) return refuse(reply);
      const action = `/comments/unsubscribe?c=${encodeURIComponent(c)}&t=${encodeURIComponent(t)}`;
      return sendPage(privatePage(reply), <UnsubscribePage site={await siteView(ctx)} action={action} />);
    },

    /** POST /comments/unsubscribe?c=&t= — no CSRF token: the HMAC in the link is the authorisation (RFC 8058). */
    async stop(request: UnsubscribeRequest, reply: FastifyReply) {
      const { c, t } = linkOf(request);
      if (!(await unsubscribeFromReplies(ctx, c, t))) return refuse(reply);
      return sendPage(privatePage(reply), <UnsubscribePage site={await siteView(ctx)} />);
    },
  };
}
