/** How far a serving process lets V8's old generation grow between full collections: the main lever on its peak RSS. */
import { setFlagsFromString } from 'node:v8';

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
 * Sets V8's old-generation growing factor to HEAP_GROWING_PERCENT (the flag is read at each full collection, so it
 * takes effect when set at run time), unless node was started with `--heap-growing-percent` of its own (in `argv`,
 * default `process.execArgv`), which then wins. Returns whether it set the flag.
 */
export function limitHeapGrowth(argv: readonly string[] = process.execArgv): boolean {
  if (argv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
