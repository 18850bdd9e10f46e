/** HTTP answers as they travel: node:http, which (unlike fetch) neither asks for nor decodes a content coding. */
import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body bytes as received (compressed when Content-Encoding says so). */
  body: Buffer;
  /** The body with its Content-Encoding (br, gzip or none) undone. */
  decoded: Buffer;
}

/** Undoes `coding` (br, gzip, or undefined/identity for none) on `body`; throws on any other coding. */
export function decodeBody(body: Buffer, coding: string | undefined): Buffer {
  if (!coding || coding === 'identity') return body;
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'gzip') return gunzipSync(body);
  throw new Error(`unexpected content coding ${coding}`);
}

/** A `method` request (GET by default) for `path` at `origin` with exactly `headers`. */
export async function rawRequest(origin: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = request(origin + path, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const coding = response.headers['content-encoding'];
        resolve({ status: response.statusCode!, headers: response.headers, body, decoded: decodeBody(body, coding) });
      });
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}
