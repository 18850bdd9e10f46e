/** The serving process's V8 heap stays near what is alive under a high allocation rate (heap-growth.ts). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { limitHeapGrowth, SEMI_SPACE_MB } from './heap-growth.ts';

/**
 * In a child node: ~20 MB kept for good, then 300 MB of objects passed through a ring of 2,000 slots, so each lives
 * through several young-generation collections and dies in the old generation (as a request's objects do under
 * load), letting the event loop turn every 100 slots as a server does between requests. Prints the peaks of the old and
 * young generations and what is alive in the old one at the end, in MB.
 */
const CHURN = `
import v8 from 'node:v8';
const { limitHeapGrowth } = await import(process.argv[1]);
limitHeapGrowth();
const space = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name);
const oldMb = () => space('old_space').space_used_size / 2 ** 20;
const kept = [];
for (let i = 0; i < 200; i++) {
  kept.push(Array.from({ length: 1000 }, (_, j) => ({ i, j, s: 'k' + i + '-' + j })));
  await new Promise((resolve) => setImmediate(resolve));
}
const ring = new Array(2000);
globalThis.gc();
let peak = 0;
let young = 0;
for (let n = 0; n < 30000; n++) {
  ring[n % ring.length] = Array.from({ length: 100 }, (_, j) => ({ n, j, s: 'r' + n + '-' + j }));
  if (n % 100 === 0) {
    peak = Math.max(peak, oldMb());
    young = Math.max(young, space('new_space').space_size / 2 ** 20);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
globalThis.gc();
console.log(JSON.stringify({ peak, young, live: oldMb(), kept: kept.length + ring.length }));
`;

/** Runs CHURN in a child node process. */
function churn(): { peak: number; young: number; live: number } {
  const module = fileURLToPath(new URL('./heap-growth.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', CHURN, module], { encoding: 'utf8' });
  return JSON.parse(output) as { peak: number; young: number; live: number };
}

test('under a high allocation rate the old generation peaks under 2.5× what is alive and the young one at two semi-spaces of SEMI_SPACE_MB (V8 alone: ~4× and 32 MB on a machine with GBs of memory)', () => {
  const { peak, young, live } = churn();
  assert.ok(live > 30, `${live.toFixed(1)} MB alive`);
  assert.ok(peak < 2.5 * live, `old generation peaked at ${peak.toFixed(1)} MB for ${live.toFixed(1)} MB alive`);
  assert.ok(young <= 2 * SEMI_SPACE_MB, `young generation reached ${young} MB`);
});

test('flags given to node win (the child above shows what is set without them)', () => {
  assert.deepEqual(limitHeapGrowth(['--heap-growing-percent=80', '--max-semi-space-size=4']), { oldGeneration: false, youngGeneration: false });
  assert.deepEqual(limitHeapGrowth(['--semi_space_growth_factor', '3', '--heap_growing_percent', '80']), { oldGeneration: false, youngGeneration: false });
});
