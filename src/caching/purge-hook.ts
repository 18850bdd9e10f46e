/**
 * Tells a CDN or proxy cache (PURGE_URL) what changed. Two styles, chosen by the URL:
 * - with `{path}` in it (nginx ngx_cache_purge, Varnish purging by URL): one `PURGE` request per changed address,
 *   `{path}` replaced by the address path, e.g. `http://127.0.0.1:8080/purge{path}` → `…/purge/articles/slug`;
 * - without (Varnish xkey, Fastly-style surrogate keys): one `PURGE` request to the URL with the changed keys in
 *   `Surrogate-Key` and `xkey-purge` (space-separated).
 * Requests time out after PURGE_TIMEOUT_MS; a failure is logged, never thrown: the cache then serves the old page
 * until its s-maxage runs out.
 */

/** How long one purge request may take, in ms. */
const PURGE_TIMEOUT_MS = 5000;
/** Addresses purged at once, so a large change does not open hundreds of connections together. */
const PURGE_CONCURRENCY = 8;

export interface Purge {
  /** Surrogate keys of the changed content. */
  keys: string[];
  /** Root-relative addresses of the pages that show it (the article, the first page of each list, feeds). */
  paths: string[];
}

export type PurgeHook = (purge: Purge) => Promise<void>;

/** The purge hook for `purgeUrl`; `log` hears failures. */
export function createPurgeHook(purgeUrl: string, log: { warn(obj: object, msg: string): void }): PurgeHook {
  async function send(url: string, headers: Record<string, string> = {}): Promise<void> {
    try {
      const response = await fetch(url, { method: 'PURGE', headers, signal: AbortSignal.timeout(PURGE_TIMEOUT_MS) });
      await response.body?.cancel();
      // 404 from a URL purge means the page was not in the cache: nothing to do.
      if (!response.ok && response.status !== 404) log.warn({ url, status: response.status }, 'cache purge refused');
    } catch (error) {
      log.warn({ url, err: error }, 'cache purge failed');
    }
  }

  return async ({ keys, paths }) => {
    if (!purgeUrl.includes('{path}')) {
      if (keys.length) await send(purgeUrl, { 'surrogate-key': keys.join(' '), 'xkey-purge': keys.join(' ') });
      return;
    }
    const queue = [...new Set(paths)];
    const worker = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) await send(purgeUrl.replace('{path}', path));
    };
    await Promise.all(Array.from({ length: Math.min(PURGE_CONCURRENCY, queue.length) }, worker));
  };
}
