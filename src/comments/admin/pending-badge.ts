/** The newsroom bar's "Comments (N)": the pending count, looked up for moderators on page views only. */
import type { FastifyInstance } from 'fastify';
import type { DB } from '../../db/database.ts';
import { can } from '../../newsroom/roles.ts';
import { countPending } from './queue-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Comments waiting for moderation, set for moderators' GET requests (see installPendingCount). */
    pendingComments?: number;
  }
}

/** Adds a preHandler to the admin scope (after its sign-in guard) counting pending comments for moderators' page views. */
export function installPendingCount(scope: FastifyInstance, deps: { db: DB }): void {
  scope.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' || !request.newsroomUser || !can(request.newsroomUser, 'comments.moderate')) return;
    request.pendingComments = await countPending(deps.db);
  });
}
