/** The serving process's V8 heap stays near what is alive when short-lived objects keep being promoted (heap-growth.ts). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { limitHeapGrowth } from './heap-growth.ts';

/**
 * In a child node: ~20 MB kept for good, then 300 MB of objects passed through a ring of 2,000 slots, so each lives
 * through several young-generation collections and dies in the old generation (as a request's objects do under
 * load). Prints the old generation's peak and what is alive at the end, in MB.
 */
const CHURN = `
import v8 from 'node:v8';
const { limitHeapGrowth } = await import(process.argv[1]);
limitHeapGrowth();
const oldMb = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size / 2 ** 20;
const kept = Array.from({ length: 200 }, (_, i) => Array.from({ length: 1000 }, (_, j) => ({ i, j, s: 'k' + i + '-' + j })));
const ring = new Array(2000);
globalThis.gc();
let peak = 0;
for (let n = 0; n < 30000; n++) {
  ring[n % ring.length] = Array.from({ length: 100 }, (_, j) => ({ n, j, s: 'r' + n + '-' + j }));
  if (n % 100 === 0) peak = Math.max(peak, oldMb());
}
globalThis.gc();
console.log(JSON.stringify({ peak, live: oldMb(), kept: kept.length + ring.length }));
`;

test('the old generation peaks under 2.5× what is alive (V8 alone lets it reach ~4× on a machine with GBs of memory)', () => {
  const module = fileURLToPath(new URL('./heap-growth.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', CHURN, module], { encoding: 'utf8' });
  const { peak, live } = JSON.parse(output) as { peak: number; live: number };
  assert.ok(live > 30, `${live.toFixed(1)} MB alive`);
  assert.ok(peak < 2.5 * live, `old generation peaked at ${peak.toFixed(1)} MB for ${live.toFixed(1)} MB alive`);
});

test('a --heap-growing-percent given to node wins', () => {
  assert.equal(limitHeapGrowth(['--heap-growing-percent=80']), false);
  assert.equal(limitHeapGrowth(['--heap_growing_percent', '80']), false);
});
