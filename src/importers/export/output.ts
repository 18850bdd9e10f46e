/** Where an export goes: a file (written beside it as FILE.partial and renamed when complete) or standard output, with backpressure. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';

/** Text written in order; `write` waits while the destination's buffer is full, so memory stays flat. */
export interface ExportSink {
  write(text: string): Promise<void>;
}

export function sinkOf(stream: Writable): ExportSink {
  return {
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
  };
}

/**
 * Runs `produce` into `path`, or into standard output when `path` is undefined. A file appears under its name
 * only once complete: an export that fails half way leaves no file that looks like a backup.
 */
export async function writeExport(path: string | undefined, produce: (sink: ExportSink) => Promise<void>): Promise<void> {
  if (path === undefined) {
    await produce(sinkOf(process.stdout));
    return;
  }
  const partial = `${path}.partial`;
  const file = createWriteStream(partial, { encoding: 'utf8' });
  const failed = once(file, 'error').then(([error]: unknown[]) => Promise.reject(error));
  failed.catch(() => undefined); // observed by the race below; an error after it is reported by `finished`
  try {
    await Promise.race([produce(sinkOf(file)), failed]);
    file.end();
    await finished(file);
    await rename(partial, path);
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
