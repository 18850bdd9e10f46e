/**
 * Cross-site request forgery protection without a per-reader token, for forms on pages that shared caches keep
 * (the anonymous comment form): the browser's own Fetch Metadata and Origin headers say where a request comes from.
 * The algorithm of Go's net/http CrossOriginProtection (Go 1.25, after Filippo Valsorda's "CSRF" essay):
 * `Sec-Fetch-Site: same-origin` or `none` is allowed and any other value refused; without Sec-Fetch-Site, an `Origin`
 * must name this site (SITE_URL, or the Host the request was sent to); a request with neither header is not from a
 * browser that could be tricked into sending it (every browser since 2020 sends one of them on a cross-site POST), so
 * it is allowed. Refusals throw CrossOriginRequest (403).
 */
import type { FastifyRequest } from 'fastify';
import { CrossOriginRequest } from '../lib/errors.ts';

/** Throws CrossOriginRequest when `request` is a browser request sent from another origin than `siteUrl`'s. */
export function assertSameOrigin(request: FastifyRequest, siteUrl: string): void {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') {
    if (fetchSite === 'same-origin' || fetchSite === 'none') return;
    throw new CrossOriginRequest();
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin === new URL(siteUrl).origin) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host === undefined || host !== request.host) throw new CrossOriginRequest();
}

/** A Fastify preHandler running assertSameOrigin against `siteUrl`. */
export function sameOriginOnly(siteUrl: string) {
  return async (request: FastifyRequest): Promise<void> => assertSameOrigin(request, siteUrl);
}
