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
import type { ContentCoding } from '../web/compression.ts';

/** How long a cached page may be served without an event invalidating it, in ms. */
export const PAGE_TTL_MS = 5 * 60_000;

/** The part of the cache's bytes that pages at addresses with a query string may hold together. */
export const QUERY_SHARE = 0.125;

/** Bytes counted per entry beyond its body: headers, keys and bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 1024;

/** The bytes `page` is counted for: its body, its compressed copies and the overhead. */
function pageBytes(page: CachedPage): number {
  let bytes = page.body.length + ENTRY_OVERHEAD_BYTES;
  for (const copy of Object.values(page.encoded ?? {})) bytes += copy.length;
  return bytes;
}

export interface CachedPage {
  /** Response headers to send back (content-type, cache-control, etag, surrogate keys). */
  headers: Record<string, string>;
  body: Buffer;
  /** Surrogate keys (caching/surrogate-keys.ts) the page was tagged with. */
  keys: string[];
  /**
   * Compressed copies of `body` made so far, by content coding (caching/page-encodings.ts); counted in the cache's
   * bytes. Absent when the page is never sent compressed (not text, or too small to gain).
   */
  encoded?: Partial<Record<ContentCoding, Buffer>>;
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
  /**
   * Adds `encoded`, `body` in `coding`, to the page stored at `address` if that page still has this very `body` (the
   * same render), counting its bytes; its expiry and tags stay. False when it was not kept.
   */
  keepEncoded(address: string, body: Buffer, coding: ContentCoding, encoded: Buffer): boolean;
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
      sizeCalculation: pageBytes,
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
    keepEncoded(address, body, coding, encoded) {
      const pages = partitionOf(address);
      const page = pages.peek(address);
      if (page?.body !== body) return false;
      // A new entry object, so the cache counts its size again (it does not for the same object); the same keys, so
      // the index stays as it is (no dispose), and the same expiry.
      pages.set(address, { ...page, encoded: { ...page.encoded, [coding]: encoded } }, { noUpdateTTL: true, noDisposeOnSet: true });
      return pages.has(address);
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
