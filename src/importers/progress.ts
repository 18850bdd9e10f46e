/**
 * Progress of a long import on the command line: a cli-progress bar (bytes read, items written, items/s, ETA) when
 * stderr is a terminal, else one plain line every `intervalMs` (default 5,000 ms) for logs and CI.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressUpdate {
  /** What is happening, e.g. "scanning", "importing". */
  phase: string;
  bytes: number;
  totalBytes: number;
  /** Items written so far. */
  items: number;
}

export interface ProgressReporter {
  update(progress: ProgressUpdate): void;
  stop(): void;
}

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

/** A reporter writing to `stream` (stderr by default, so stdout keeps only the report). */
export function importProgress(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5_000, now: () => number = Date.now): ProgressReporter {
  const started = now();
  const rate = (items: number): string => Math.round(items / Math.max(0.001, (now() - started) / 1000)).toLocaleString('en');
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: '{phase} [{bar}] {percentage}% | {read}/{size} MB | {items} items | {rate} items/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    });
    let running = false;
    return {
      update(p) {
        const payload = { phase: p.phase.padEnd(9), read: mb(p.bytes), size: mb(p.totalBytes), items: p.items.toLocaleString('en'), rate: rate(p.items) };
        if (!running) bar.start(p.totalBytes, p.bytes, payload);
        else bar.update(p.bytes, payload);
        running = true;
      },
      stop: () => running && bar.stop(),
    };
  }
  let last = 0;
  let latest: ProgressUpdate | undefined;
  const line = (p: ProgressUpdate): void => {
    const percent = p.totalBytes ? Math.floor((p.bytes / p.totalBytes) * 100) : 100;
    stream.write(`${p.phase}: ${percent}% (${mb(p.bytes)}/${mb(p.totalBytes)} MB), ${p.items.toLocaleString('en')} items, ${rate(p.items)} items/s\n`);
  };
  return {
    update(p) {
      latest = p;
      if (now() - last < intervalMs) return;
      last = now();
      line(p);
    },
    stop() {
      if (latest) line(latest);
    },
  };
}
