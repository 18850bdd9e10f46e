/**
 * Default-deny for the newsroom: every /admin route needs a signed-in user unless its route config says
 * `{ public: true }` (sign-in, setup, password pages). Also marks every newsroom response private.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionUser, type AccountDeps, type NewsroomUser } from './accounts.ts';
import { readSessionToken } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in newsroom user, set by the admin scope's guard. */
    newsroomUser?: NewsroomUser;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

/** Answers a form post that arrived after the session ended (status 401, with a way to sign in again). */
export type SessionEndedResponder = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** Installs the session lookup and sign-in guard on an encapsulated /admin scope. */
export function installNewsroomGuard(scope: FastifyInstance, deps: AccountDeps, sessionEnded: SessionEndedResponder): void {
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.newsroomUser = await sessionUser(deps, readSessionToken(request));
    reply.header('cache-control', 'no-store');
    if (request.newsroomUser || request.routeOptions.config.public) return;
    if (request.method === 'GET' || request.method === 'HEAD') {
      const hadSession = readSessionToken(request) !== undefined;
      return reply.redirect(`/admin/login?next=${encodeURIComponent(request.url)}${hadSession ? '&expired=1' : ''}`, 303);
    }
    return sessionEnded(request, reply);
  });
}
