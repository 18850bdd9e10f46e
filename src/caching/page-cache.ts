/**
 * The in-process cache of rendered pages for anonymous readers: an LRU bounded in bytes (lru-cache), keyed by
 * the request's path and query, with an index from surrogate key to the addresses tagged with it, so `purge(keys)`
 * drops exactly the pages that show changed content. Entries also expire after PAGE_TTL_MS, for the changes no
 * event announces (comments closing N days after publication, the masthead date).
 *
 * A page rendered while a purge happened may hold what the purge meant to remove; `begin()` hands out the purge
 * count at the start of a request and `store()` refuses an entry whose request began before the latest purge.
 *
 * Addresses with a query string (search results, later pages of lists and threads) have a share of their own,
 * QUERY_SHARE of the bytes: there is no end to them, and a flood of made-up searches must not push the article
 * pages a breaking story is read on out of the cache.
 */
import { LRUCache } from 'lru-cache';

/** How long a cached page may be served without an event invalidating it, in ms. */
export const PAGE_TTL_MS = 5 * 60_000;

/** The part of the cache's bytes that pages at addresses with a query string may hold together. */
export const QUERY_SHARE = 0.125;

/** Bytes counted per entry beyond its body: headers, keys and bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 1024;

export interface CachedPage {
  /** Response headers to send back (content-type, cache-control, etag, surrogate keys). */
  headers: Record<string, string>;
  body: string | Buffer;
  /** Surrogate keys (caching/surrogate-keys.ts) the page was tagged with. */
  keys: string[];
}

export interface PageCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  purges: number;
}

export interface PageCache {
  /** The page stored for `address` (path and query), if fresh; counts a hit or a miss. */
  lookup(address: string): CachedPage | undefined;
  /** A token for the request starting now, to hand to `store` (see the module comment). */
  begin(): number;
  /** Keeps `page` for `address` unless a purge happened since `begin()` returned `token`. */
  store(address: string, page: CachedPage, token: number): boolean;
  /** Drops every page tagged with any of `keys`. */
  purge(keys: Iterable<string>): void;
  /** Drops every page. */
  clear(): void;
  stats(): PageCacheStats;
}

/** A page cache holding at most `maxBytes` of pages (bodies plus ENTRY_OVERHEAD_BYTES each). */
export function createPageCache(options: { maxBytes: number; ttlMs?: number }): PageCache {
  const addressesByKey = new Map<string, Set<string>>();
  const unindex = (address: string, page: CachedPage) => {
    for (const key of page.keys) {
      const addresses = addressesByKey.get(key);
      addresses?.delete(address);
      if (addresses?.size === 0) addressesByKey.delete(key);
    }
  };
  const partition = (maxSize: number) =>
    new LRUCache<string, CachedPage>({
      maxSize: Math.max(1, Math.floor(maxSize)),
      sizeCalculation: (page) => Buffer.byteLength(page.body) + ENTRY_OVERHEAD_BYTES,
      ttl: options.ttlMs ?? PAGE_TTL_MS,
      // Expired pages are dropped when next asked for, or evicted; either way their index entries go with them.
      dispose: (page, address) => unindex(address, page),
    });
  const paths = partition(options.maxBytes * (1 - QUERY_SHARE));
  const queries = partition(options.maxBytes * QUERY_SHARE);
  const partitionOf = (address: string) => (address.includes('?') ? queries : paths);
  let purgeCount = 0;
  let hits = 0;
  let misses = 0;

  return {
    lookup(address) {
      const page = partitionOf(address).get(address);
      if (page) hits += 1;
      else misses += 1;
      return page;
    },
    begin: () => purgeCount,
    store(address, page, token) {
      if (token !== purgeCount) return false;
      const pages = partitionOf(address);
      pages.set(address, page);
      if (!pages.has(address)) return false; // larger than its whole partition
      for (const key of page.keys) {
        let addresses = addressesByKey.get(key);
        if (!addresses) addressesByKey.set(key, (addresses = new Set()));
        addresses.add(address);
      }
      return true;
    },
    purge(keys) {
      purgeCount += 1;
      for (const key of keys) for (const address of [...(addressesByKey.get(key) ?? [])]) partitionOf(address).delete(address);
    },
    clear() {
      purgeCount += 1;
      paths.clear();
      queries.clear();
    },
    stats: () => ({ entries: paths.size + queries.size, bytes: paths.calculatedSize + queries.calculatedSize, hits, misses, purges: purgeCount }),
  };
}
