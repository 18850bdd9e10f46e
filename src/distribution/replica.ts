/** Which database the distribution surfaces read: the read replica (AppContext.readDb), for their read-only queries. */
import type { AppContext } from '../web/context.ts';

/**
 * `ctx` with `db` set to the read replica (DATABASE_READ_URL; the primary without one). For handlers that only read
 * public content for any caller and may lag the primary by a moment: feeds, sitemaps, search and the API's GET
 * routes. Never for a read that follows a write of the same request, nor for the newsroom.
 */
export function onReplica(ctx: AppContext): AppContext {
  return { ...ctx, db: ctx.readDb };
}
