/** Conditional GET for generated documents (feeds, sitemaps): ETag and Last-Modified validators, 304 when they match. */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CacheableDocument {
  body: string;
  /** Full Content-Type, e.g. `application/rss+xml; charset=utf-8`. */
  type: string;
  /** When the content last changed (ISO-8601 UTC); no Last-Modified header when unknown. */
  lastModified?: string;
  cacheControl: string;
}

/**
 * A strong entity tag: the first 128 bits of the body's SHA-256, base64url, quoted (RFC 9110 §8.8.3). Occurrences of
 * `nonce` (the response's CSP nonce, web/security-headers.ts) are left out of the hash, so two renders of the same
 * page, which differ only by their nonce, share a tag: a browser or CDN revalidating gets 304 from any instance. A
 * 304 therefore carries no Content-Security-Policy (NOT_IN_304), and the stored copy keeps the policy that
 * matches its own nonce.
 */
export function entityTag(body: string | Buffer, nonce?: string): string {
  const hash = createHash('sha256');
  if (!nonce) hash.update(body);
  else {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    let from = 0;
    for (let at = bytes.indexOf(nonce, 0, 'latin1'); at !== -1; at = bytes.indexOf(nonce, from, 'latin1')) {
      hash.update(bytes.subarray(from, at));
      from = at + nonce.length;
    }
    hash.update(bytes.subarray(from));
  }
  return `"${hash.digest('base64url').slice(0, 22)}"`;
}

/**
 * Headers a 304 leaves out: the Content-Security-Policy, whose nonce belongs to one render's body. A cache updates
 * a stored response with the 304's headers (RFC 9111 §4.3.4), and its stored body carries the nonce of the policy
 * it was stored with; a 304 must not pair that body with another render's nonce.
 */
export const NOT_IN_304 = ['content-security-policy'] as const;

/** Whether an If-None-Match value (`*`, or a list of tags, weak or strong) names `etag`; weak comparison (RFC 9110 §13.1.2). */
function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** HTTP dates have whole seconds: compare at that precision. */
const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Sends `doc` with ETag, Last-Modified (RFC 9110 HTTP-date) and Cache-Control, or answers 304 Not Modified with the
 * same validators when the request's If-None-Match names the ETag, or (without If-None-Match, as RFC 9110 §13.2.2
 * orders) its If-Modified-Since is not older than the content.
 */
export function sendCacheable(request: FastifyRequest, reply: FastifyReply, doc: CacheableDocument): FastifyReply {
  const etag = entityTag(doc.body);
  const modified = doc.lastModified ? new Date(doc.lastModified) : undefined;
  reply.header('etag', etag).header('cache-control', doc.cacheControl);
  if (modified) reply.header('last-modified', modified.toUTCString());

  if (isNotModified(request, etag, modified)) return reply.status(304).send();
  return reply.type(doc.type).send(doc.body);
}

/**
 * Whether `request` may get 304 Not Modified for a representation with `etag` and `lastModified`: its
 * If-None-Match names the ETag or, without If-None-Match (RFC 9110 §13.2.2), its If-Modified-Since is not older.
 */
export function isNotModified(request: { headers: IncomingHttpHeaders }, etag: string, lastModified: Date | undefined): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return noneMatch(ifNoneMatch, etag);
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined || !lastModified || Number.isNaN(lastModified.getTime())) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && seconds(lastModified.getTime()) <= seconds(since);
}
