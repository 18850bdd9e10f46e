/** The Nu HTML Checker (vnu-jar, W3C's HTML validator) run over rendered pages: one JVM start for a whole batch. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** vnu-jar's entry module exports the path of the bundled vnu.jar. */
const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));

/** One message of vnu's JSON output (https://github.com/validator/validator/wiki/Output-%C2%BB-JSON). */
export interface NuMessage {
  type: 'error' | 'info' | 'non-document-error';
  /** `warning` for warnings (type `info`), `fatal` for parse failures (type `error`). */
  subType?: string;
  message: string;
  extract?: string;
  lastLine?: number;
  lastColumn?: number;
}

/** A page to check: `name` must be unique in the batch and safe as a file name (it keys the result). */
export interface NuDocument {
  name: string;
  html: string;
}

/**
 * Checks every document in one `java -jar vnu.jar --format json` run (the JVM takes seconds to start) and returns
 * each document's messages by name. Throws when vnu cannot run at all.
 */
export async function checkHtml(documents: NuDocument[]): Promise<Map<string, NuMessage[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'broadsheet-vnu-'));
  try {
    const files = documents.map((d) => {
      const file = join(dir, `${d.name}.html`);
      writeFileSync(file, d.html);
      return file;
    });
    const { stdout } = await run('java', ['-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', '--stdout', ...files], { maxBuffer: 64 * 1024 * 1024 });
    const output = JSON.parse(stdout) as { messages: (NuMessage & { url?: string })[] };
    const byName = new Map<string, NuMessage[]>(documents.map((d) => [d.name, []]));
    for (const { url, ...message } of output.messages) {
      const name = url ? basename(decodeURIComponent(new URL(url).pathname), '.html') : '';
      const list = byName.get(name);
      if (!list) throw new Error(`vnu: ${message.type}: ${message.message}`);
      list.push(message);
    }
    return byName;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Errors (including fatal ones) only; warnings and info are left out. */
export function errorsOf(messages: NuMessage[]): NuMessage[] {
  return messages.filter((m) => m.type !== 'info');
}

/** One line per message: `type[/subType] line:col message «extract»`, for assertion messages and reports. */
export function describeMessages(messages: NuMessage[]): string {
  return messages.map((m) => `${m.type}${m.subType ? `/${m.subType}` : ''} ${m.lastLine ?? '?'}:${m.lastColumn ?? '?'} ${m.message}${m.extract ? ` «${m.extract.replace(/\s+/g, ' ').trim()}»` : ''}`).join('\n');
}
