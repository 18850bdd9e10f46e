/** Newsroom handlers of /admin/api-keys (admins): list, create (the secret is shown once, never redirected), revoke. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, ValidationError } from '../../lib/errors.ts';
import { parseId, stringField } from '../../lib/form-input.ts';
import { currentUser } from '../../newsroom/routes.tsx';
import { requireCan } from '../../newsroom/roles.ts';
import type { AdminFrame } from '../../newsroom/views/admin-layout.tsx';
import type { AppContext } from '../../web/context.ts';
import { siteView } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import { formatDateTime } from '../../web/site.ts';
import { createApiToken, revokeApiToken } from './tokens.ts';
import { listTokens } from './tokens-store.ts';
import { ApiKeysPage, type ApiKeysPageProps } from './views/api-keys-page.tsx';

type KeysRequest = FastifyRequest<{ Params: { id?: string }; Querystring: { revoked?: string } }>;

/** The checked values of the repeated `scopes` checkbox. */
function scopesOf(body: unknown): string[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).scopes : undefined;
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
}

/** The /admin/api-keys handlers; `frameOf` is the newsroom frame of the request. */
export function apiKeyHandlers(ctx: AppContext, frameOf: (request: FastifyRequest, reply: FastifyReply) => AdminFrame) {
  async function render(request: KeysRequest, reply: FastifyReply, state: Partial<Pick<ApiKeysPageProps, 'values' | 'errors' | 'created' | 'notice'>> & { status?: number } = {}) {
    const [site, keys] = await Promise.all([siteView(ctx), listTokens(ctx.db)]);
    const page = (
      <ApiKeysPage
        frame={frameOf(request, reply)}
        keys={keys}
        values={state.values ?? { name: '', scopes: ['content:read'] }}
        errors={state.errors ?? {}}
        created={state.created}
        notice={state.notice}
        formatTime={(iso) => formatDateTime(site, iso)}
      />
    );
    return sendPage(reply, page, state.status);
  }

  return {
    /** GET /admin/api-keys */
    async page(request: KeysRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'settings.manage');
      return render(request, reply, { notice: request.query.revoked ? 'Key revoked: it no longer works.' : undefined });
    },

    /** POST /admin/api-keys — answers with the page itself, so the secret never sits in an address or history. */
    async create(request: KeysRequest, reply: FastifyReply) {
      const user = currentUser(request);
      requireCan(user, 'settings.manage');
      const values = { name: stringField(request.body, 'name'), scopes: scopesOf(request.body) };
      try {
        const { secret } = await createApiToken(ctx, user, values);
        return render(request, reply, { created: { name: values.name.trim(), secret } });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return render(request, reply, { values, errors: error.fields, status: 422 });
      }
    },

    /** POST /admin/api-keys/:id/revoke */
    async revoke(request: KeysRequest, reply: FastifyReply) {
      const id = parseId(request.params.id ?? '');
      if (id === undefined) throw new NotFound('No such API key');
      await revokeApiToken(ctx, currentUser(request), id);
      return reply.redirect('/admin/api-keys?revoked=1', 303);
    },
  };
}
