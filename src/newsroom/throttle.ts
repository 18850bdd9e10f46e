/**
 * Login throttling per account and per client IP (hashed), stored in the database so every instance agrees:
 * after too many failures inside a window the key is locked for a while, and the reader is told for how long.
 */
import type { DB } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { clearThrottle, findThrottle, saveThrottle } from './throttle-store.ts';

const MINUTE_MS = 60_000;

export const THROTTLE_POLICY = {
  /** Failed logins allowed for one account within the window before it is locked. */
  accountFailures: 5,
  /** Failed logins allowed from one IP within the window (several people may share an office IP). */
  ipFailures: 20,
  windowMs: 15 * MINUTE_MS,
  lockMs: 15 * MINUTE_MS,
} as const;

/** Too many attempts: 429 with the minutes left. */
export class RateLimited extends AppError {
  readonly code = 'rate_limited';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'RateLimited';
  }
}

export const accountKey = (email: string): string => `account:${email.trim().toLowerCase()}`;
export const ipKey = (ipHash: string): string => `ip:${ipHash}`;

/** Throws RateLimited when any of `keys` is locked now. */
export async function assertNotLocked(db: DB, clock: Clock, keys: { key: string; what: string }[]): Promise<void> {
  const now = clock.now().getTime();
  for (const { key, what } of keys) {
    const row = await findThrottle(db, key);
    const until = row?.locked_until ? Date.parse(row.locked_until) : 0;
    if (until > now) {
      const minutes = Math.ceil((until - now) / MINUTE_MS);
      throw new RateLimited(`Too many failed sign-in attempts ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset your password.`, Math.ceil((until - now) / 1000));
    }
  }
}

/** Counts one failure against `key`; locks it when the limit is reached inside the window. */
export async function recordFailure(db: DB, clock: Clock, key: string, limit: number): Promise<void> {
  const now = clock.now().getTime();
  const row = await findThrottle(db, key);
  const windowOpen = row && now - Date.parse(row.window_started_at) < THROTTLE_POLICY.windowMs;
  const failures = windowOpen ? row.failures + 1 : 1;
  await saveThrottle(db, {
    key,
    failures,
    window_started_at: windowOpen ? row.window_started_at : new Date(now).toISOString(),
    locked_until: failures >= limit ? new Date(now + THROTTLE_POLICY.lockMs).toISOString() : null,
  });
}

export async function recordSuccess(db: DB, key: string): Promise<void> {
  await clearThrottle(db, key);
}
