/**
 * Changes no site event announces. Embargoes: an article published with a future time (or scheduled) becomes
 * visible when that time comes (articles/store.ts publiclyVisible compares times; the scheduler flips statuses up
 * to 30 s later). This watch keeps the next lift time: once the clock reaches it, the whole page cache is emptied
 * before the request that noticed it is answered, and the lifted articles' pages are purged at the CDN. Writers
 * outside the running site (imports from the CLI) change the content version (settings/store.ts); every
 * REFRESH_MS a sweep reads it and the next lift again, catching lifts no event told of meanwhile, and empties the
 * cache (here, on the other instances and at the CDN) when the version moved. Cached pages are served while a
 * periodic sweep runs (under load it may wait for a pool connection), so such a change shows at most a sweep late;
 * nothing is served before the first sweep has succeeded, nor when none started for two periods (the clock
 * jumped). When a sweep fails (database unreachable) the last known lift time stands, so cached pages keep being
 * served while nothing could change them. A timer sweeps when no request comes.
 */
import type { Clock } from '../lib/clock.ts';
import type { DB } from '../db/database.ts';
import { liftedBetween, nextEmbargoLift, readContentVersion } from './store.ts';

/** How often the next lift is read again even without an event, in ms of the site clock (the scheduler's rhythm). */
const REFRESH_MS = 30_000;
/** Longest wait of the timer, in ms. */
const MAX_TIMER_MS = 60_000;
/** Retry delay after a failed sweep (database unavailable), in ms. */
const RETRY_MS = 5_000;

export interface ChangeWatch {
  /**
   * Whether the page cache may serve now. Empties it at once when the known next embargo has lifted, and sweeps
   * then and every REFRESH_MS.
   */
  check(): boolean;
  /** Reads the next lift again soon (after a save that may have set a new publication time). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * `clear()` empties the page cache; `lifted(ids)` hears of the articles whose embargo lifted, `changedElsewhere()`
 * of a content version moved by another writer (for purges elsewhere).
 */
export function watchUnannouncedChanges(deps: {
  db: DB;
  clock: Clock;
  clear: () => void;
  lifted: (ids: number[]) => Promise<void>;
  changedElsewhere: () => Promise<void>;
  log: { warn(obj: object, msg: string): void };
}): ChangeWatch {
  /** Lifts up to this time (ISO-8601 UTC) are accounted for. */
  let checkedAt = deps.clock.now().toISOString();
  /** Epoch ms of the next lift after checkedAt (Infinity: none waits); undefined until the first sweep succeeds. */
  let nextLiftMs: number | undefined;
  /** The content version at the last sweep; undefined before the first. */
  let contentVersion: string | undefined;
  /** Site-clock ms of the last sweep attempt, successful or not. */
  let sweptAtMs = deps.clock.now().getTime();
  let sweeping: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const arm = (delayMs: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void watch.check(), Math.min(MAX_TIMER_MS, Math.max(0, delayMs))).unref();
  };

  /** Accounts for lifts in (checkedAt, now] and reads the next one. */
  const sweep = (): Promise<void> =>
    (sweeping ??= (async () => {
      const now = deps.clock.now().toISOString();
      sweptAtMs = Date.parse(now);
      try {
        const lifted = await liftedBetween(deps.db, checkedAt, now);
        const next = await nextEmbargoLift(deps.db, now);
        const version = await readContentVersion(deps.db);
        const moved = contentVersion !== undefined && version !== contentVersion;
        contentVersion = version;
        if (lifted.length || moved) deps.clear();
        const told = [lifted.length ? deps.lifted(lifted) : undefined, moved ? deps.changedElsewhere() : undefined];
        await Promise.all(told).catch((error: unknown) => deps.log.warn({ err: error }, 'page cache: could not purge unannounced changes'));
        checkedAt = now;
        nextLiftMs = next ? Date.parse(next) : Infinity;
        arm(Math.min(nextLiftMs - Date.parse(now), REFRESH_MS));
      } catch (error) {
        deps.log.warn({ err: error }, 'page cache: could not read embargo times and the content version; will try again');
        arm(RETRY_MS);
      } finally {
        sweeping = undefined;
      }
    })());

  const watch: ChangeWatch = {
    check() {
      const now = deps.clock.now().getTime();
      if (nextLiftMs === undefined) {
        void sweep();
        return false;
      }
      if (now >= nextLiftMs) {
        // A known lift has come: nothing rendered before it may be served again, starting with this request.
        deps.clear();
        nextLiftMs = undefined;
        void sweep();
        return false;
      }
      // Sweep in the background and keep serving: a change no event told of shows at most a sweep late. Only when
      // no sweep started for two periods (the clock jumped) is nothing served until one is done.
      const age = now - sweptAtMs;
      if (age >= REFRESH_MS) void sweep();
      return age < 2 * REFRESH_MS;
    },
    async refresh() {
      // A sweep already running may have read the times before the save that asked for this one.
      if (sweeping) await sweeping;
      await sweep();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
  return watch;
}
