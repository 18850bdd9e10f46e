/**
 * Operations endpoints for load balancers and monitoring: GET /healthz (the process is up), GET /readyz (the
 * database answers and its schema is current), GET /metrics (Prometheus). No session: they reveal nothing sensitive,
 * and /metrics is guarded by METRICS_TOKEN or, without one, served to loopback clients only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { NotFound, Unauthorized } from '../lib/errors.ts';
import type { AppContext } from '../web/context.ts';
import { createMetrics } from './metrics.ts';
import type { CachingReport } from '../caching/setup.ts';
import { createReadiness } from './readiness.ts';

/** True when `ip` is a loopback address (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopback(ip: string): boolean {
  try {
    return ipaddr.process(ip).range() === 'loopback';
  } catch {
    return false;
  }
}

/** Compares digests, so neither the token's length nor its bytes leak through timing. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * With METRICS_TOKEN: `Authorization: Bearer <token>` or 401. Without: loopback clients only, 404 to anyone else
 * (as if there were no such page). request.ip honours TRUST_PROXY, so a proxy on this machine does not make
 * every reader a loopback client once TRUST_PROXY names it.
 */
function authoriseMetrics(request: FastifyRequest, token: string | undefined): void {
  if (token) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!given || !sameToken(given, token)) throw new Unauthorized('A valid metrics token is required.');
    return;
  }
  if (!isLoopback(request.ip)) throw new NotFound('metrics are served to loopback clients only');
}

function operationsHandlers(ctx: AppContext, app: FastifyInstance, pageCache?: () => CachingReport | undefined) {
  const readiness = createReadiness(ctx.db);
  const metrics = createMetrics({ db: ctx.db, readDb: ctx.readDb, clock: ctx.clock, log: app.log, pageCache });
  return {
    observe: metrics.observe,

    /** GET /healthz — the process answers; touches nothing else. */
    async health(_request: FastifyRequest, reply: FastifyReply) {
      return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('ok');
    },

    /** GET /readyz — 200 when the database answers and has every migration, else 503 with a short reason. */
    async ready(request: FastifyRequest, reply: FastifyReply) {
      const result = await readiness.check();
      reply.header('cache-control', 'no-store');
      if (result.ready) return reply.send({ status: 'ready' });
      request.log.warn({ err: result.error, reason: result.reason }, 'not ready');
      return reply.status(503).send({ status: 'unavailable', reason: result.reason });
    },

    /** GET /metrics — Prometheus text format. */
    async metrics(request: FastifyRequest, reply: FastifyReply) {
      authoriseMetrics(request, ctx.config.metricsToken);
      const body = await metrics.registry.metrics();
      return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(body);
    },
  };
}

/** Registers the operations routes and the request-duration hook; call before the other route tables. */
export function registerOperationsRoutes(app: FastifyInstance, ctx: AppContext, pageCache?: () => CachingReport | undefined): void {
  const h = operationsHandlers(ctx, app, pageCache);
  app.addHook('onResponse', h.observe);
  // Probed every few seconds: their request lines would drown the log, so only warnings and errors are logged.
  const quiet = { logLevel: 'warn' } as const;
  app.get('/healthz', quiet, h.health);
  app.get('/readyz', quiet, h.ready);
  app.get('/metrics', quiet, h.metrics);
}
