import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localToUtc, utcToLocal } from './zoned-time.ts';

describe('zoned time', () => {
  for (const [local, zone, utc] of [
    ['2026-12-01T09:30', 'UTC', '2026-12-01T09:30:00.000Z'],
    ['2026-12-01T09:30', 'Europe/London', '2026-12-01T09:30:00.000Z'],
    ['2026-07-01T09:30', 'Europe/London', '2026-07-01T08:30:00.000Z'],
    ['2026-07-01T09:30', 'America/New_York', '2026-07-01T13:30:00.000Z'],
    ['2026-12-31T23:00', 'Asia/Tokyo', '2026-12-31T14:00:00.000Z'],
  ] as const) {
    test(`${local} in ${zone} is ${utc} and back`, () => {
      assert.equal(localToUtc(local, zone), utc);
      assert.equal(utcToLocal(utc, zone), local);
    });
  }
  for (const bad of ['', 'tomorrow', '2026-13-01T09:00', '2026-12-01', '2026-12-01T25:00']) {
    test(`"${bad}" is not a local date-time`, () => assert.equal(localToUtc(bad, 'UTC'), undefined));
  }
});
