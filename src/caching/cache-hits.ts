/**
 * Page-cache hits answered by the HTTP server before Fastify sees the request (Fastify's `serverFactory`): a hit
 * then costs about what a bare node:http server costs (no routing, request and reply objects, hooks or header
 * building), which is what lets one process keep up with a breaking story. The answer is the stored response
 * byte for byte: its headers were taken whole when it was rendered (helmet's security headers included), so a hit
 * reads the same as the miss before it; a request that accepts brotli or gzip gets the page's compressed copy, made
 * once (caching/page-encodings.ts). Only what the Fastify path would also answer from the cache is answered
 * here (caching/http-caching.ts: an anonymous GET or HEAD, the cache fresh and its invalidations live); everything
 * else, and every request once the app is closing, goes on to Fastify unchanged.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import type { ContentCoding } from '../web/compression.ts';
import type { CachedPage } from './page-cache.ts';
import { NOT_IN_304 } from '../distribution/conditional-get.ts';
import { encodedHeaders } from './page-encodings.ts';

/** Answers `request` from the page cache and returns true, or returns false and leaves it alone. */
export type HitAnswerer = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Whether a Cookie header carries any of `names` with a value (as `request.cookies[name]` would: parsed by the same
 * @fastify/cookie, whose parser is usable once the plugin is registered, as it is before any request is served).
 */
export function hasCookie(header: string | undefined, names: readonly string[]): boolean {
  if (!header) return false;
  const cookies = fastifyCookie.parse(header);
  return names.some((name) => !!cookies[name]);
}

/** Headers a stored response is not sent again with: per-connection or per-response framing, and the cache verdict. */
const NOT_REPLAYED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'x-page-cache', 'set-cookie']);

/** Whether a response header is stored with a cached page and sent again on a hit. */
export const isReplayed = (name: string): boolean => !NOT_REPLAYED.has(name);

/** What goes on the wire for a hit, built once per page and coding: headers as node:http's flat [name, value, …] list. */
interface Wire {
  ok: string[];
  notModified: string[];
}
const identityWires = new WeakMap<CachedPage, Wire>();
const encodedWires = new WeakMap<CachedPage, Partial<Record<ContentCoding, Wire>>>();

/**
 * A 304 carries the validators and caching headers a 200 would (RFC 9110 §15.4.5), not the body's length, type or
 * coding, nor the policy whose nonce is the stored body's (conditional-get.ts NOT_IN_304).
 */
const NOT_IN_A_304: ReadonlySet<string> = new Set(['content-type', 'content-encoding', ...NOT_IN_304]);

function wireFor(headers: Record<string, string>, length: number | undefined): Wire {
  const notModified = Object.entries(headers).filter(([name]) => !NOT_IN_A_304.has(name)).flat();
  const ok = Object.entries(headers).flat();
  if (length !== undefined) ok.push('content-length', String(length));
  return { ok: [...ok, 'x-page-cache', 'HIT'], notModified: [...notModified, 'x-page-cache', 'HIT'] };
}

function identityWire(page: CachedPage): Wire {
  let wire = identityWires.get(page);
  if (!wire) identityWires.set(page, (wire = wireFor(page.headers, page.body.length)));
  return wire;
}

/** The wire of `page` in `coding`, without Content-Length: the copy may not be kept with this page object yet. */
function encodedWire(page: CachedPage, coding: ContentCoding): Wire {
  let wires = encodedWires.get(page);
  if (!wires) encodedWires.set(page, (wires = {}));
  return (wires[coding] ??= wireFor(encodedHeaders(page, coding), undefined));
}

/**
 * Sends `page` as the answer to `request`: 304 when `notModified` says so, the bytes otherwise (none for HEAD);
 * `encoded` the coding and compressed copy chosen for it (caching/page-encodings.ts; the copy is needed for a 200),
 * identity when absent.
 */
export function sendHit(request: IncomingMessage, response: ServerResponse, page: CachedPage, notModified: boolean, encoded?: { coding: ContentCoding; body?: Buffer }): void {
  const wire = encoded && (notModified || encoded.body) ? encodedWire(page, encoded.coding) : identityWire(page);
  if (notModified) {
    response.writeHead(304, wire.notModified);
    response.end();
    return;
  }
  if (encoded?.body) {
    response.writeHead(200, [...wire.ok, 'content-length', String(encoded.body.length)]);
    response.end(encoded.body);
    return;
  }
  response.writeHead(200, wire.ok);
  response.end(request.method === 'HEAD' ? undefined : page.body);
}

/**
 * A Fastify `serverFactory` (plain HTTP) whose server offers each request to the answerer installed later with
 * `answerHits` (the page cache exists only once the app is built), and passes what it declines to Fastify. An
 * answerer that throws declines: Fastify then answers, and its error handling applies.
 */
export function hitFirstServer(): { serverFactory: (handler: RequestListener) => Server; answerHits(answerer: HitAnswerer | undefined): void } {
  let answerer: HitAnswerer | undefined;
  return {
    serverFactory: (handler) =>
      createServer((request, response) => {
        let answered = false;
        try {
          answered = answerer?.(request, response) ?? false;
        } catch {
          // Declined, unless it had begun to answer: then the answer is ended as it stands.
          answered = response.headersSent;
          if (answered) response.end();
        }
        if (!answered) handler(request, response);
      }),
    answerHits: (next) => void (answerer = next),
  };
}
