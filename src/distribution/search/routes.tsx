/** Handler of the reader's search page, GET /search?q=…&page=N. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../web/context.ts';
import { siteView } from '../../web/context.ts';
import { sendPage } from '../../web/render.ts';
import { cacheKeys, tagResponse } from '../../caching/surrogate-keys.ts';
import { onReplica } from '../replica.ts';
import { searchArticles } from './service.ts';
import { SearchPage } from './views/search-page.tsx';

type SearchRequest = FastifyRequest<{ Querystring: { q?: unknown; page?: unknown } }>;

/** The first value of a query parameter that may be absent or repeated; anything else is ''. */
function firstString(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** `page=N` as a positive integer of at most four digits; anything else is the first page. */
function parsePage(value: unknown): number {
  const raw = firstString(value);
  return /^[1-9]\d{0,3}$/.test(raw) ? Number(raw) : 1;
}

/** Handlers bound to the app context; they read the replica (replica.ts). */
export function searchHandlers(app: AppContext) {
  const ctx = onReplica(app);
  return {
    async page(request: SearchRequest, reply: FastifyReply) {
      const [site, model] = await Promise.all([siteView(ctx), searchArticles(ctx, firstString(request.query.q), parsePage(request.query.page))]);
      tagResponse(reply, [cacheKeys.search]);
      return sendPage(reply, <SearchPage site={site} model={model} />);
    },
  };
}
