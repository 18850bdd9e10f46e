/**
 * Preloaded with `node --import` into a benchmarked child: on exit, writes the process's peak resident set size
 * (ru_maxrss, in kilobytes) and CPU times as JSON to the file named by BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ code, maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
  });
}
