/**
 * Compressed copies of cached pages: each page is compressed once per content coding, when a request first asks
 * for that coding (the miss that stored it, or a later hit), and the copy is kept with the page in the page cache,
 * whose byte budget counts it. Hits then cost what an uncompressed hit costs. The coding is chosen by the same
 * rules as every other response (web/compression.ts), and a compressed page carries its ETag marked weak.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { BROTLI_QUALITY, COMPRESSION_THRESHOLD_BYTES, isCompressibleType, negotiateCoding, weakEntityTag, type ContentCoding } from '../web/compression.ts';
import type { CachedPage, PageCache } from './page-cache.ts';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Compression in zlib's thread pool, off the event loop. */
const compressors: Record<ContentCoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) => brotliAsync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => gzipAsync(body),
};

/** Whether a page of Content-Type `type` and `bytes` long is sent compressed to requests that accept a coding. */
export function isCompressiblePage(type: unknown, bytes: number): boolean {
  return typeof type === 'string' && bytes >= COMPRESSION_THRESHOLD_BYTES && isCompressibleType(type);
}

/**
 * The coding `page` is sent in to `request`: undefined for identity (HEAD, no accepted coding, a page never
 * compressed). For a 304 (`notModified`), the coding of any GET that accepts one, whose headers carry the weak tag
 * as every 304 to such a request does (web/compression.ts).
 */
export function pageCoding(request: { method?: string; headers: IncomingHttpHeaders }, page: CachedPage, notModified = false): ContentCoding | undefined {
  if ((!page.encoded && !notModified) || request.method !== 'GET') return undefined;
  return negotiateCoding(request.headers['accept-encoding']);
}

/** The headers `page` is sent with in `coding`: its own, the ETag marked weak and Content-Encoding added. */
export function encodedHeaders(page: CachedPage, coding: ContentCoding): Record<string, string> {
  const { etag } = page.headers;
  return { ...page.headers, ...(etag ? { etag: weakEntityTag(etag) } : {}), 'content-encoding': coding };
}

/** Compressions under way, by the body they compress and the coding: requests for the same copy share one. */
const pending = new WeakMap<Buffer, Map<ContentCoding, Promise<Buffer>>>();

/**
 * `page`'s body in `coding`: the kept copy (a Buffer, at once), or a Promise of the copy being made (in zlib's thread
 * pool), which is kept with the page stored at `address` in `pageCache` once made, if that page is still this render.
 */
export function encodedBody(pageCache: PageCache, address: string, page: CachedPage, coding: ContentCoding): Buffer | Promise<Buffer> {
  const kept = page.encoded?.[coding];
  if (kept) return kept;
  let byCoding = pending.get(page.body);
  if (!byCoding) pending.set(page.body, (byCoding = new Map()));
  let made = byCoding.get(coding);
  if (!made) {
    made = compressors[coding](page.body)
      .then((encoded) => {
        pageCache.keepEncoded(address, page.body, coding, encoded);
        return encoded;
      })
      .finally(() => byCoding.delete(coding));
    byCoding.set(coding, made);
  }
  return made;
}
