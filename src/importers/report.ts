/** What an import did, kind by kind (imported, updated, skipped with reasons), the file check before it, and the printed report. */
import { stat } from 'node:fs/promises';
import { ValidationError } from '../lib/errors.ts';

/**
 * An import file refused before anything is written (missing, empty, unreadable, wrong format); `reason` is for the
 * operator. Each importer has its own subclass (WxrError, GhostError, JsonImportError).
 */
export class ImportFileError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = new.target.name;
  }
}

/** What happened to one kind of thing; `reasons` counts skips by reason. */
export interface Tally {
  imported: number;
  updated: number;
  skipped: number;
  reasons: Record<string, number>;
}

/** The parts every import report has beside its tallies. */
export interface ImportReport {
  dryRun: boolean;
  /** One line per item refused for bad content: `post 12 “Headline”: reason`. */
  problems: string[];
  /** Things imported but worth an editor's look (e.g. members-only posts kept as drafts), one line each. */
  notes?: string[];
}

export const tally = (): Tally => ({ imported: 0, updated: 0, skipped: 0, reasons: {} });

export function skip(t: Tally, reason: string): void {
  t.skipped++;
  t.reasons[reason] = (t.reasons[reason] ?? 0) + 1;
}

/** An error as one report line: a ValidationError's fields, else its message. */
export const messageOf = (error: unknown): string =>
  error instanceof ValidationError ? Object.entries(error.fields).map(([f, m]) => `${f}: ${m}`).join('; ') : error instanceof Error ? error.message : String(error);

/** Readable file check, so a missing or empty file is refused as clearly as a malformed one; `refuse` builds the importer's error. */
export async function checkImportFile(path: string, refuse: (reason: string) => Error): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot be read (${String(error)})`);
  }
  if (!info.isFile()) throw refuse('is not a file');
  if (info.size === 0) throw refuse('the file is empty');
}

/**
 * The report as the CLI prints it: a table with one row per kind (in `kinds` order) — imported, updated (or
 * already present), skipped, and the skip reasons — then notes and problems, one line each:
 *
 *     kind        imported  updated  skipped  skip reasons
 *     articles          56        0       72  70 post type nav_menu_item, 2 invalid post
 */
export function formatReport<K extends string>(report: ImportReport & Record<K, Tally>, kinds: readonly K[]): string {
  const lines: string[] = [report.dryRun ? 'Dry run: nothing was written.' : 'Imported.', '', `${'kind'.padEnd(10)}${'imported'.padStart(10)}${'updated'.padStart(9)}${'skipped'.padStart(9)}  skip reasons`];
  for (const kind of kinds) {
    const t: Tally = report[kind];
    const reasons = Object.entries(t.reasons).map(([r, count]) => `${count} ${r}`).join(', ');
    lines.push(`${kind.padEnd(10)}${String(t.imported).padStart(10)}${String(t.updated).padStart(9)}${String(t.skipped).padStart(9)}  ${reasons}`.trimEnd());
  }
  lines.push('', '"updated": imported before (recognised by its id in the export) and brought up to date, or already present.');
  for (const n of report.notes ?? []) lines.push(`note ${n}`);
  for (const p of report.problems) lines.push(`skipped ${p}`);
  return lines.join('\n');
}
