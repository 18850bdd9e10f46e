/** The source of "now", injected so services and tests agree on time. All timestamps are ISO-8601 UTC strings. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds, e.g. `2026-11-29T12:00:00.000Z`; sorts lexically in time order. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
