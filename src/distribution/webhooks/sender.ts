/**
 * One webhook HTTP request: POST the JSON body with the given headers, within a deadline, through the SSRF guard.
 * Redirects are not followed (a 3xx is a failed attempt), and at most a snippet of the response is read.
 */
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, ipLiteralOf, isPublicAddress } from './target.ts';

export interface SendOptions {
  /** Whole request deadline (connect, send, response), in ms. */
  timeoutMs: number;
  /** Allow loopback and private targets (WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Aborts the request (shutdown). */
  signal?: AbortSignal;
}

export interface SendResult {
  /** HTTP status of the response; null when there was none. */
  statusCode: number | null;
  /** '' for a 2xx answer; otherwise what went wrong, for the delivery log. */
  error: string;
  durationMs: number;
}

/** Characters of a failed response's body kept for the delivery log. */
const SNIPPET_CHARS = 300;

/** POSTs `body` to `url`; never throws (failures come back in the result). */
export function postWebhook(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string): SendResult => ({ statusCode, error, durationMs: Date.now() - started });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done(null, 'invalid URL'));
  }
  const literal = ipLiteralOf(target);
  if (!options.allowPrivate && literal && !isPublicAddress(literal)) {
    return Promise.resolve(done(null, `${literal} is not a public address; set WEBHOOKS_ALLOW_PRIVATE=true to allow`));
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Broadsheet-Webhooks/1' },
      // A fresh connection per attempt: no pooled socket outlives the attempt (or the guard's address check).
      agent: false,
      lookup: options.allowPrivate ? undefined : (guardedLookup as unknown as http.RequestOptions['lookup']),
      signal: options.signal,
    });
    const deadline = setTimeout(() => {
      request.destroy(new Error(`timed out after ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let snippet = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (snippet.length < SNIPPET_CHARS) snippet += chunk.slice(0, SNIPPET_CHARS - snippet.length);
      });
      response.on('end', () => {
        const ok = status >= 200 && status < 300;
        finish(done(status, ok ? '' : `HTTP ${status} ${response.statusMessage ?? ''}${snippet.trim() ? `: ${snippet.trim()}` : ''}`.trim()));
      });
      response.on('error', (error) => finish(done(status, error.message)));
    });
    request.on('error', (error: NodeJS.ErrnoException) => finish(done(null, error.name === 'AbortError' ? 'aborted (shutting down)' : error.message || String(error.code))));
    request.end(body);
  });
}
