/** Whether this instance should get traffic (GET /readyz): the database answers now, and its schema is current. */
import type { DB } from '../db/database.ts';
import { isSchemaCurrent } from '../db/migrate.ts';
import { pingDatabase } from './store.ts';

export type ReadinessResult = { ready: true } | { ready: false; reason: string; error?: unknown };

export interface Readiness {
  check(): Promise<ReadinessResult>;
}

/** How long the database may take to answer the ping, in ms (a pool waiting for an unreachable server never gives up by itself). */
const PING_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The database is pinged on every check (it is what can fail at any moment). The migration check is remembered once
 * it passes: migrations only move forward, so a current schema stays current; a failing one is asked again next time
 * (another instance may be migrating). Reasons are short and fixed: they are served to anyone.
 */
export function createReadiness(db: DB, pingTimeoutMs = PING_TIMEOUT_MS): Readiness {
  let schemaCurrent = false;
  return {
    async check() {
      try {
        await withTimeout(pingDatabase(db), pingTimeoutMs);
      } catch (error) {
        return { ready: false, reason: 'database unreachable', error };
      }
      if (!schemaCurrent) {
        try {
          schemaCurrent = await isSchemaCurrent(db);
        } catch (error) {
          return { ready: false, reason: 'migrations unreadable', error };
        }
        if (!schemaCurrent) return { ready: false, reason: 'migrations pending' };
      }
      return { ready: true };
    },
  };
}
