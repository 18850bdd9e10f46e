/** SQL shared by the file importers (WXR, Ghost): the one transaction per file, and taxonomy row counts for the report. */
import type { Insertable } from 'kysely';
import type { DB } from '../db/database.ts';
import type { ImportAttachmentTable } from '../db/schema.ts';
import { markContentChanged } from '../settings/store.ts';
import type { Tally } from './report.ts';

/** The transaction an import writes in (savepoints come from it). */
export type ImportTx = Awaited<ReturnType<ReturnType<DB['startTransaction']>['execute']>>;

/** Runs `work` in one transaction: committed, or rolled back for a dry run and on any error (which is rethrown). */
export async function inImportTransaction<T>(db: DB, dryRun: boolean, work: (trx: ImportTx) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute();
  try {
    const result = await work(trx);
    // Running instances learn of the import within their change-watch period and drop their cached pages.
    await markContentChanged(trx);
    if (dryRun) await trx.rollback().execute();
    else await trx.commit().execute();
    return result;
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
}

type TaxonomyKind = 'authors' | 'sections' | 'tags';

/** Rows in the authors, sections and tags tables, so the report can tell created ones from existing ones. */
export async function taxonomyCounts(db: DB): Promise<Record<TaxonomyKind, number>> {
  const count = async (table: TaxonomyKind): Promise<number> => {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { authors: await count('authors'), sections: await count('sections'), tags: await count('tags') };
}

/**
 * Fills the authors, sections and tags tallies: rows added between the `before` and `after` counts were imported;
 * the rest of the distinct ones the import used (`used`, by name or id) were already present.
 */
export function tallyTaxonomy(report: Record<TaxonomyKind, Tally>, before: Record<TaxonomyKind, number>, after: Record<TaxonomyKind, number>, used: Record<TaxonomyKind, { size: number }>): void {
  for (const kind of ['authors', 'sections', 'tags'] as const) {
    report[kind].imported = after[kind] - before[kind];
    report[kind].updated = Math.max(0, used[kind].size - report[kind].imported);
  }
}

/** The attachment row an earlier import stored under (`source`, `key`). */
export async function findImportAttachment(db: DB, source: string, key: string): Promise<{ id: number; media_id: number | null } | undefined> {
  return db.selectFrom('import_attachments').select(['id', 'media_id']).where('import_source', '=', source).where('import_key', '=', key).executeTakeFirst();
}

/** Inserts an attachment row, or updates the one stored under the same (import_source, import_key). */
export async function saveImportAttachment(db: DB, row: Insertable<ImportAttachmentTable>): Promise<void> {
  await db
    .insertInto('import_attachments')
    .values(row)
    .onConflict((oc) => oc.columns(['import_source', 'import_key']).doUpdateSet({ url: row.url, title: row.title ?? '', article_id: row.article_id, media_id: row.media_id }))
    .execute();
}
