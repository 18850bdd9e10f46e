/**
 * Security headers of every response (OWASP Secure Headers Project; CSP Level 3), set with @fastify/helmet:
 * - Content-Security-Policy with a fresh nonce per rendered response (`'nonce-…' 'strict-dynamic'`, no
 *   `'unsafe-inline'`): a script runs only if the page itself carries it with that nonce (pages take it from
 *   `reply.cspNonce`, see web/render.ts). A page kept by the page cache or a CDN is replayed with the header it was
 *   rendered with, so its nonce stays paired with its body; any change to what a page shows (a new comment, an edit)
 *   renders it anew with a new nonce, so a nonce read from a cached copy is useless for injecting into the next one.
 * - `frame-ancestors 'none'` and `X-Frame-Options: DENY` (no page may be framed: clickjacking on the newsroom and the
 *   comment form), `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin`, and a
 *   `Permissions-Policy` turning off the powerful browser features the site never uses.
 * - `Strict-Transport-Security` (one year, subdomains) only on responses served over HTTPS: `SITE_URL` is `https:`,
 *   or the request came over TLS or through a trusted proxy (`TRUST_PROXY`) that says `X-Forwarded-Proto: https`.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import helmet from 'helmet';
import type { Config } from '../config.ts';

/** Browser features no Broadsheet page uses, all turned off (W3C Permissions Policy, structured header syntax). */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

/** HSTS: one year, subdomains included (RFC 6797). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The `secure` option for cookies: `true` when `SITE_URL` is HTTPS, else `'auto'`, which @fastify/cookie resolves per
 * request to whether the request came over HTTPS (directly or through a trusted proxy's `X-Forwarded-Proto`).
 */
export type CookieSecure = true | 'auto';

export function cookieSecure(config: Config): CookieSecure {
  return config.siteUrl.startsWith('https:') ? true : 'auto';
}

/**
 * Whether HSTS differs between requests: SITE_URL is http and a trusted proxy may say `X-Forwarded-Proto: https`. A
 * cached page is then stored without the header, which each answer gets afresh (caching/http-caching.ts); with an
 * https SITE_URL every answer carries it, cached or not.
 */
export function hstsPerRequest(config: Config): boolean {
  return config.trustProxy !== false && !config.siteUrl.startsWith('https:');
}

/** Whether `request` is served over HTTPS as far as the site can tell (see the module comment). */
export function servedOverHttps(request: FastifyRequest, config: Config): boolean {
  return config.siteUrl.startsWith('https:') || request.protocol === 'https';
}

/** helmet's options (the CSP's nonces are added per response, by @fastify/helmet or secureBareReply). */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // The response's nonce is appended; 'self' only counts for browsers without CSP 3 'strict-dynamic'.
      scriptSrc: ["'self'", "'strict-dynamic'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'https:', 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  frameguard: { action: 'deny' as const },
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
};

/** The headers helmet does not set: Permissions-Policy always, HSTS over HTTPS. */
function addOwnHeaders(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  reply.header('permissions-policy', PERMISSIONS_POLICY);
  if (servedOverHttps(request, config)) reply.header('strict-transport-security', HSTS);
}

/** Registers helmet and the headers it does not set; call before any route so every answer carries them. */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(fastifyHelmet, { enableCSPNonces: true, ...HELMET_OPTIONS });
  app.addHook('onRequest', async (request, reply) => addOwnHeaders(request, reply, config));
}

/**
 * The same headers, with a fresh nonce, on a reply made before any hook ran: Fastify's `frameworkErrors` (a
 * malformed or over-long address), which skips onRequest and so helmet. Call before sending it.
 */
export function secureBareReply(request: FastifyRequest, reply: FastifyReply, config: Config): void {
  const nonce = { script: randomBytes(16).toString('hex'), style: randomBytes(16).toString('hex') };
  reply.cspNonce = nonce;
  const { directives } = HELMET_OPTIONS.contentSecurityPolicy;
  const contentSecurityPolicy = { useDefaults: false, directives: { ...directives, scriptSrc: [...directives.scriptSrc, `'nonce-${nonce.script}'`], styleSrc: [...directives.styleSrc, `'nonce-${nonce.style}'`] } };
  // helmet sets the headers on the raw response; Fastify's own headers are added to them when the reply is sent.
  helmet({ ...HELMET_OPTIONS, contentSecurityPolicy })(request.raw, reply.raw, () => {});
  addOwnHeaders(request, reply, config);
}
