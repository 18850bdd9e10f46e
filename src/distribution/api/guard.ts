/**
 * Default-deny for the content API: every /api/v1 route needs `Authorization: Bearer <key>` with the scope its
 * route config names, unless the config says `{ public: true }`. Only that header counts: the newsroom's session
 * cookie is never read here, so a signed-in browser cannot be steered into API writes (no CSRF surface).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, Unauthorized } from '../../lib/errors.ts';
import type { ApiScope } from './scopes.ts';
import { authenticateApiToken, type ApiCaller, type TokenDeps } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key or token of a content API request (set by the API guard). */
    apiCaller?: ApiCaller;
  }
  interface FastifyContextConfig {
    /** The scope an API route needs. */
    apiScope?: ApiScope;
  }
}

/** RFC 6750 §2.1: `Bearer <token68>`, scheme case-insensitive. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** Installs the key check on the encapsulated API scope; runs before the body is read or validated. */
export function installApiGuard(scope: FastifyInstance, deps: TokenDeps): void {
  scope.addHook('onRequest', async (request: FastifyRequest, reply) => {
    reply.header('cache-control', 'private, no-store');
    const config = request.routeOptions.config;
    if (config.public) return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw new Unauthorized('Send an API key in the Authorization header: "Bearer <key>".');
    const caller = await authenticateApiToken(deps, match[1]!);
    if (!caller) throw new Unauthorized('The API key is not valid, or it has been revoked.');
    // A route without a scope is a programming error: refuse rather than allow any key.
    if (!config.apiScope || !caller.scopes.includes(config.apiScope)) throw new Forbidden(`This key lacks the "${config.apiScope ?? 'unknown'}" scope.`);
    request.apiCaller = caller;
  });
}

/** The caller of a route behind the guard. */
export function apiCaller(request: FastifyRequest): ApiCaller {
  if (!request.apiCaller) throw new Error('route is missing the API guard');
  return request.apiCaller;
}
