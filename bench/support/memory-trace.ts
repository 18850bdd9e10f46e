/**
 * Optional preload (`node --import`) for diagnosing a benchmarked child: every second, appends a line of
 * process.memoryUsage() in MB (rss, V8 heap total/used, external, array buffers) to the file named by
 * BENCH_MEMORY_TRACE, so a growing RSS can be told apart as JavaScript heap or native memory (SQLite, buffers).
 */
import { appendFileSync, writeFileSync } from 'node:fs';

const target = process.env.BENCH_MEMORY_TRACE;
if (target) {
  const started = Date.now();
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
  writeFileSync(target, 'seconds\trss\theap_total\theap_used\texternal\tarray_buffers\n');
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(target, `${((Date.now() - started) / 1000).toFixed(0)}\t${mb(m.rss)}\t${mb(m.heapTotal)}\t${mb(m.heapUsed)}\t${mb(m.external)}\t${mb(m.arrayBuffers)}\n`);
  }, 1000).unref();
}
