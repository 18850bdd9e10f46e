/**
 * Compressed responses (RFC 9110 §8.4.1 content codings, §12.5.3 Accept-Encoding): brotli or gzip, whichever the
 * request prefers, for every text response Fastify sends (pages, stylesheets, scripts, JSON, feeds, sitemaps)
 * through @fastify/compress; cached pages keep compressed copies of their own (caching/page-encodings.ts) chosen by
 * the same rules. A compressed body carries its ETag marked weak, as nginx does (RFC 9110 §8.8.1: a strong tag names
 * one exact byte sequence, and the identity and the compressed bytes are two); If-None-Match compares weakly, so
 * either form of the tag revalidates. HEAD answers, 304s, bodies under COMPRESSION_THRESHOLD_BYTES and types that
 * are compressed already (images) are sent as they are.
 */
import { constants as zlibConstants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { LRUCache } from 'lru-cache';

/** The content codings offered, most preferred first when the request gives them equal weight. */
export const CODINGS = ['br', 'gzip'] as const;
export type ContentCoding = (typeof CODINGS)[number];

/** Bodies smaller than this many bytes are sent uncompressed: the coding's framing would eat the saving. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** Text types by their syntax: text/*, and +json, +xml, json, xml and javascript application types (svg included). */
const COMPRESSIBLE_TYPE = /^text\/(?!event-stream)|^application\/(?:javascript|json|xml)\b|\+(?:json|xml)\b/i;

/** Whether a response of Content-Type `type` is worth compressing (images and fonts are compressed already). */
export function isCompressibleType(type: string): boolean {
  return COMPRESSIBLE_TYPE.test(type);
}

/**
 * Accept-Encoding values seen lately and the coding each gets: they repeat (a few per browser), and parsing one costs
 * more than a lookup. Bounded, since a client may send anything.
 */
const negotiated = new LRUCache<string, ContentCoding | 'identity'>({ max: 256 });

/**
 * The coding to send for an Accept-Encoding value: `br` or `gzip` by the request's q-values, brotli first on a
 * tie; undefined for identity (no header, `identity`, only codings not offered, or q=0). `*` and `x-gzip` read as
 * gzip, as @fastify/compress reads them, so both paths answer a request alike.
 */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  let coding = negotiated.get(acceptEncoding);
  if (coding === undefined) {
    coding = negotiate(acceptEncoding.toLowerCase().replace(/\*|x-gzip/g, 'gzip'), [...CODINGS]) ?? 'identity';
    negotiated.set(acceptEncoding, coding);
  }
  return coding === 'identity' ? undefined : coding;
}

/** `etag` marked weak (`W/"…"`), unchanged when it already is. */
export function weakEntityTag(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}

/**
 * Brotli quality, for responses and cached pages alike: 5. On the 50-comment article page (66 KB) and site.css
 * (41 KB): quality 4 gives 9.0 and 8.9 KB in 1.7 and 0.8 ms, 5 gives 8.4 and 8.2 KB in 2.5 and 1.2 ms, 9 no smaller
 * for 30-80 ms, 11 7.0 and 7.2 KB for 70-160 ms (a page is compressed again after every purge, i.e. every comment).
 */
export const BROTLI_QUALITY = 5;

/** Adds `accept-encoding` to the reply's Vary header (RFC 9110 §12.5.5): its body depends on that request header. */
export function varyOnAcceptEncoding(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'accept-encoding');
  else if (!/\baccept-encoding\b/i.test(String(vary))) reply.header('vary', `${String(vary)}, accept-encoding`);
}

/**
 * Bodies up to this size are compressed in one synchronous call rather than through a zlib stream. The plugin's
 * default on 2 cores is 8 KB, but its stream path is slow for our pages: the 50-comment article page with the page
 * cache off (65 KB) served 125-135 req/s in brotli through it, 380-500 in one call (identity: 350-470; wrk, 50
 * connections). 256 KB holds the event loop ~10 ms at most; larger bodies (exports, big sitemaps) still stream.
 */
const SYNC_THRESHOLD_BYTES = 256 * 1024;

/**
 * After @fastify/compress's own onSend: a compressed body no longer matches a strong ETag's bytes, so its tag is
 * marked weak; so is a 304's to a request that accepts a coding, the tag its 200 would have carried (the 304 has no
 * body to tell by: every revalidated response here is text).
 */
const weakenCompressedTag: onSendHookHandler = async (request: FastifyRequest, reply: FastifyReply, payload) => {
  const etag = reply.getHeader('etag');
  if (typeof etag !== 'string' || etag.startsWith('W/')) return payload;
  if (reply.hasHeader('content-encoding') || (reply.statusCode === 304 && negotiateCoding(request.headers['accept-encoding']))) reply.header('etag', weakEntityTag(etag));
  return payload;
};

/**
 * Registers compression on `app`: call before the routes (it hooks each route as it is added, @fastify/static's
 * included). HEAD routes are left out: their body is never sent, so compressing it would be wasted work.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') route.compress = false;
  });
  await app.register(fastifyCompress, {
    encodings: [...CODINGS],
    threshold: COMPRESSION_THRESHOLD_BYTES,
    customTypes: isCompressibleType,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
    syncThreshold: SYNC_THRESHOLD_BYTES,
    // Requests are never compressed here: forms and JSON arrive as they are.
    globalDecompression: false,
  });
  // Route-level onSend hooks run in the order onRoute hooks added them: this one after the plugin's.
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') return;
    route.onSend = [...(route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend]), weakenCompressedTag];
  });
}
