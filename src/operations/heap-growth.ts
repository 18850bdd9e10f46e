/** How far a serving process lets V8's heap grow: the main lever on its peak RSS (issue 7: ≤ 200 MB per process). */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * After each full (mark-compact) collection, V8 lets the old generation grow to this many percent above what survived
 * before it collects again. V8's own factor goes up to 4× on a machine with a few GB of memory; under load, objects of
 * requests in flight survive two young-generation collections, are promoted, and then die in the old generation, so
 * with 50 concurrent requests a process that keeps ~35 MB alive grew to 100-140 MB of V8 heap (peak RSS 200-250 MB)
 * before its second full collection. At 50 % the heap stays near 1.5× what is alive (peak RSS ~165 MB in the same
 * page benchmark), for a full collection every 1-2 s under that load that costs ~15 ms, well under 1 % of a core.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Largest size of each of the young generation's two semi-spaces, in MB (2^20 bytes). V8 doubles them under a high
 * allocation rate up to 16 MB on 64-bit (32 MB for the pair, all of it resident); at 8 the page benchmark's peak RSS
 * is 15-20 MB lower under load, for no CPU time per request that it could tell apart (the objects a request makes
 * still mostly die young: a semi-space is collected every few dozen requests).
 */
export const SEMI_SPACE_MB = 8;

/** Whether node was given one of `flags` (`--name=value` or `--name value`; `-` and `_` alike) in `argv`. */
function given(argv: readonly string[], flags: readonly string[]): boolean {
  return argv.some((arg) => flags.some((flag) => arg.replaceAll('_', '-').startsWith(flag)));
}

/**
 * Keeps the young generation at most 2 × SEMI_SPACE_MB. `--max-semi-space-size` takes effect only when the heap is
 * set up, before any of our code runs; the factor by which V8 grows the young generation is read at each growth. So
 * after each collection this sets that factor to V8's 2 while doubling stays within the cap, else to 1 (no growth):
 * V8 shrinks the young generation to any size once allocation slows down, and doubling 14 MB would make 28. The
 * check runs when the event loop next turns after a collection, so a burst of allocation within one turn (a large
 * synchronous start-up) can grow it once more; a server under load turns between requests, and V8 shrinks it again
 * when load falls.
 */
function capYoungGeneration(): void {
  const cap = 2 * SEMI_SPACE_MB * 2 ** 20;
  let factor = 2;
  const check = (): void => {
    const size = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
    const fits = !size || 2 * size <= cap ? 2 : 1;
    if (fits === factor) return;
    factor = fits;
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  };
  new PerformanceObserver(check).observe({ entryTypes: ['gc'] });
  check();
}

/**
 * Sets V8's old-generation growing factor to HEAP_GROWING_PERCENT and keeps the young generation to SEMI_SPACE_MB
 * semi-spaces, from now on in this process. Each is left to V8 when node was started with a flag of its own for it, in
 * `argv` (default: process.execArgv and NODE_OPTIONS): `--heap-growing-percent`, or `--max-semi-space-size` /
 * `--semi-space-growth-factor`. Returns which it set.
 */
export function limitHeapGrowth(argv: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]): { oldGeneration: boolean; youngGeneration: boolean } {
  const oldGeneration = !given(argv, ['--heap-growing-percent']);
  if (oldGeneration) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const youngGeneration = !given(argv, ['--max-semi-space-size', '--semi-space-growth-factor']);
  if (youngGeneration) capYoungGeneration();
  return { oldGeneration, youngGeneration };
}
