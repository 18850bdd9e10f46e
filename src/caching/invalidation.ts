/**
 * The invalidation bus: a change to published content drops the pages that show it from this process's page
 * cache at once, from every other instance's (Redis pub/sub when REDIS_URL is set, else the node:cluster primary
 * relays between its workers), and from the CDN (the purge hook). Correctness over hit rate: with REDIS_URL set,
 * the page cache serves nothing while the subscription is down, and it starts empty after every (re)connection,
 * since invalidations sent meanwhile were missed.
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { Redis as RedisType } from 'ioredis';
import { createRequire } from 'node:module';
const requireRedis = createRequire(import.meta.url);
import { INVALIDATE_MESSAGE } from '../operations/cluster.ts';
import type { PageCache } from './page-cache.ts';
import type { Purge, PurgeHook } from './purge-hook.ts';


export interface InvalidationBus {
  /** Drops `purge.keys` here and on every instance, and tells the CDN; resolves once sent (never rejects). */
  invalidate(purge: Purge): Promise<void>;
  /** Whether the page cache may serve now (the other instances' invalidations reach this one). */
  live(): boolean;
  close(): Promise<void>;
}

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

interface Message {
  from: string;
  keys: string[];
}

function parseMessage(raw: string): Message | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Message>;
    if (typeof value.from === 'string' && Array.isArray(value.keys) && value.keys.every((k) => typeof k === 'string')) return value as Message;
  } catch {
    // ignored below
  }
  return undefined;
}

/**
 * The bus for `pageCache` (none: PAGE_CACHE_MB=0, only the CDN is told). `redis`: the server URL and the channel every instance of the site shares. `purgeHook`:
 * the CDN's, when PURGE_URL is set.
 */
export function createInvalidationBus(options: { pageCache?: PageCache; redis?: { url: string; channel: string }; purgeHook?: PurgeHook; log: Log }): InvalidationBus {
  const { pageCache, log } = options;
  const instance = randomUUID();
  let live = !options.redis;
  let publisher: RedisType | undefined;
  let subscriber: RedisType | undefined;

  const heard = (raw: string) => {
    const message = parseMessage(raw);
    if (message && message.from !== instance) pageCache?.purge(message.keys);
  };

  if (options.redis) {
    const { url, channel } = options.redis;
    // The publisher queues while disconnected, so an invalidation still goes out once Redis is back.
    publisher = new (requireRedis('ioredis').Redis as typeof RedisType)(url, { lazyConnect: false, maxRetriesPerRequest: null });
    subscriber = new (requireRedis('ioredis').Redis as typeof RedisType)(url, { maxRetriesPerRequest: null });
    publisher.on('error', () => {});
    subscriber.on('error', (error: Error) => log.warn({ err: error }, 'page cache: Redis subscription failed; serving uncached pages until it is back'));
    subscriber.on('message', (_channel: string, raw: string) => heard(raw));
    subscriber.on('close', () => {
      live = false;
    });
    subscriber.on('ready', () => {
      void subscriber!.subscribe(channel).then(
        () => {
          pageCache?.clear();
          live = true;
        },
        (error: unknown) => log.warn({ err: error }, 'page cache: could not subscribe to invalidations'),
      );
    });
  } else if (cluster.isWorker) {
    process.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === INVALIDATE_MESSAGE) heard((message as { body: string }).body);
    });
  }

  return {
    async invalidate(purge) {
      pageCache?.purge(purge.keys);
      const body = JSON.stringify({ from: instance, keys: purge.keys } satisfies Message);
      const tasks: Promise<unknown>[] = [];
      if (publisher) tasks.push(publisher.publish(options.redis!.channel, body).catch((error: unknown) => log.warn({ err: error }, 'page cache: could not publish an invalidation')));
      else if (cluster.isWorker && process.send) process.send({ type: INVALIDATE_MESSAGE, body });
      if (options.purgeHook) tasks.push(options.purgeHook(purge));
      await Promise.all(tasks);
    },
    live: () => live,
    async close() {
      live = false;
      await Promise.all([publisher?.quit().catch(() => publisher?.disconnect()), subscriber?.quit().catch(() => subscriber?.disconnect())]);
    },
  };
}
