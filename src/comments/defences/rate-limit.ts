/**
 * Comments per hour per IP hash and per email address (rate-limiter-flexible): counted in this process's memory,
 * or in Redis when REDIS_URL is set so every instance shares one count. A Redis failure rejects `consume`, which
 * the posting pipeline treats as a check that could not run (the comment is held, never published).
 */
import type { Redis as RedisType } from 'ioredis';
import { createRequire } from 'node:module';
const requireRedis = createRequire(import.meta.url);
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';

const HOUR_SECONDS = 3600;

export type RateDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

export interface CommentRateLimiter {
  /** Counts one comment against each key (e.g. `ip:<hash>`, `email:<address>`); limited when any exceeds `perHour`. */
  consume(keys: readonly string[], perHour: number): Promise<RateDecision>;
  close(): Promise<void>;
}

type Limiter = RateLimiterAbstract | RateLimiterStoreAbstract;

function limiterCache(create: (points: number) => Limiter) {
  const byPoints = new Map<number, Limiter>();
  return (points: number): Limiter => {
    let limiter = byPoints.get(points);
    if (!limiter) byPoints.set(points, (limiter = create(points)));
    return limiter;
  };
}

async function consumeAll(limiterFor: (points: number) => Limiter, keys: readonly string[], perHour: number): Promise<RateDecision> {
  const limiter = limiterFor(perHour);
  let retryAfterMs = 0;
  for (const key of keys) {
    try {
      await limiter.consume(key, 1);
    } catch (outcome) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the limit is reached, with an Error when the store fails.
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      retryAfterMs = Math.max(retryAfterMs, outcome.msBeforeNext);
    }
  }
  return retryAfterMs > 0 ? { limited: true, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : { limited: false };
}

/** Counts kept in this process (one instance, or tests). */
export function memoryRateLimiter(): CommentRateLimiter {
  const limiterFor = limiterCache((points) => new RateLimiterMemory({ points, duration: HOUR_SECONDS, keyPrefix: `comments:${points}` }));
  return { consume: (keys, perHour) => consumeAll(limiterFor, keys, perHour), close: async () => {} };
}

/**
 * Counts shared through Redis at `url`, under `keyPrefix` (instances of one site must use the same prefix).
 * Commands fail fast while Redis is unreachable (no offline queue), so a post is never kept waiting on it.
 */
export function redisRateLimiter(url: string, keyPrefix: string): CommentRateLimiter & { ready(timeoutMs: number): Promise<boolean> } {
  const client = new (requireRedis('ioredis').Redis as typeof RedisType)(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  // Connection errors are reported by the commands that fail; the client keeps reconnecting on its own.
  client.on('error', () => {});
  const limiterFor = limiterCache((points) => new RateLimiterRedis({ storeClient: client, points, duration: HOUR_SECONDS, keyPrefix: `${keyPrefix}:comments` }));
  return {
    consume: (keys, perHour) => consumeAll(limiterFor, keys, perHour),
    async ready(timeoutMs) {
      if (client.status === 'ready') return true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        client.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      client.disconnect();
    },
  };
}
