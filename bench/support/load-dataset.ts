/**
 * Loads a generated news dataset (news-dataset.ts) into an empty database through the app's own code where it matters:
 * its migrations, taxonomy store, article sanitiser, search documents and comment renderer, in multi-row inserts in
 * one transaction. Then the benchmark's comment settings, and fresh planner statistics.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { ensureAuthor, ensureSection, ensureTag } from '../../src/articles/taxonomy-store.ts';
import { renderCommentHtml } from '../../src/comments/format.ts';
import { loadCommentSettings, saveCommentSettings } from '../../src/comments/settings.ts';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openDatabase, optimizeSqlite, type DB } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { searchDocumentWrite, type DialectName } from '../../src/db/dialect.ts';
import { searchDocument } from '../../src/distribution/search/document.ts';
import { sanitizeArticleHtml } from '../../src/lib/sanitize.ts';
import type { ExportArticleEntry, ExportDocument } from '../../src/importers/json/format.ts';

/** Comments per multi-row INSERT (13 columns: well under PostgreSQL's 65,535 parameters). */
const COMMENT_BATCH = 2000;

/**
 * Comment settings of the benchmark only: no flood interval and a limit per hour no load run reaches (every request
 * comes from 127.0.0.1), and no minimum fill time (the load generator sends the form at once). Everything else — hold rules,
 * spam checks, duplicate check, the rate limiter itself — stays as it is by default.
 */
export async function applyBenchmarkCommentSettings(db: DB): Promise<void> {
  const settings = await loadCommentSettings(db);
  await saveCommentSettings(db, { ...settings, floodSeconds: 0, maxPerHour: 100_000_000, minFillSeconds: 0 });
}

/** The articles of a dataset file, one per line after the header line (the layout news-dataset.ts writes). */
async function* datasetLines(path: string): AsyncGenerator<{ header: Omit<ExportDocument, 'articles'> } | { article: ExportArticleEntry }> {
  let first = true;
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    if (first) {
      first = false;
      yield { header: JSON.parse(`${line.replace(/,$/, '')}}`) as Omit<ExportDocument, 'articles'> };
      continue;
    }
    const text = line.replace(/^,|,$/g, '');
    if (text.startsWith('{')) yield { article: JSON.parse(text) as ExportArticleEntry };
  }
}

/** Articles per batch of multi-row INSERTs (articles, bylines, tags). */
const ARTICLE_BATCH = 500;

interface Ids {
  sections: Map<string, number>;
  authors: Map<string, number>;
  tags: Map<string, { id: number; name: string }>;
}

/** Sections, authors and tags of the dataset, through the app's taxonomy store; their ids by slug. */
async function loadTaxonomy(tx: DB, header: Omit<ExportDocument, 'articles'>): Promise<Ids> {
  const ids: Ids = { sections: new Map(), authors: new Map(), tags: new Map() };
  for (const s of header.sections) ids.sections.set(s.slug, await ensureSection(tx, { slug: s.slug, name: s.name, description: s.description, position: s.position }));
  for (const a of header.authors) ids.authors.set(a.slug, await ensureAuthor(tx, { slug: a.slug, name: a.name, bio: a.bio }, a.created_at));
  for (const t of header.tags) ids.tags.set(t.slug, { id: await ensureTag(tx, { slug: t.slug, name: t.name }), name: t.name });
  return ids;
}

/**
 * Writes a batch of articles with their bylines, tags, search documents and comments. Bodies go through the app's
 * sanitiser, search documents through its indexer's document builder and SQL, comment HTML through its renderer;
 * only the row-at-a-time store calls are replaced by multi-row INSERTs (a row at a time, PostgreSQL's round trips
 * made the load take minutes).
 */
async function writeBatch(tx: DB, dialect: DialectName, ids: Ids, batch: ExportArticleEntry[]): Promise<void> {
  const id = (slug: string, map: Map<string, number>, what: string): number => {
    const found = map.get(slug);
    if (found === undefined) throw new Error(`the dataset names an unknown ${what} "${slug}"`);
    return found;
  };
  const tagId = (slug: string): { id: number; name: string } => {
    const found = ids.tags.get(slug);
    if (!found) throw new Error(`the dataset names an unknown tag "${slug}"`);
    return found;
  };
  const bodies = batch.map((a) => sanitizeArticleHtml(a.body_html));
  await tx
    .insertInto('articles')
    .values(
      batch.map((a, i) => ({
        id: a.id,
        slug: a.slug,
        headline: a.headline,
        dek: a.dek,
        body_html: bodies[i]!,
        dateline: a.dateline,
        status: a.status,
        kind: a.kind,
        section_id: a.section ? id(a.section, ids.sections, 'section') : null,
        comment_status: a.comment_status,
        comment_count: a.comments.filter((c) => c.status === 'approved').length,
        published_at: a.published_at,
        created_at: a.created_at,
        updated_at: a.updated_at,
        featured_media_id: null,
        revised_at: null,
        import_source: null,
        import_key: null,
      })),
    )
    .execute();
  const bylines = batch.flatMap((a) => a.authors.map((slug, position) => ({ article_id: a.id, author_id: id(slug, ids.authors, 'author'), position })));
  if (bylines.length) await tx.insertInto('article_authors').values(bylines).execute();
  const tags = batch.flatMap((a) => a.tags.map((slug, position) => ({ article_id: a.id, tag_id: tagId(slug).id, position })));
  if (tags.length) await tx.insertInto('article_tags').values(tags).execute();
  for (const [i, a] of batch.entries()) {
    const doc = searchDocument({ headline: a.headline, dek: a.dek, bodyHtml: bodies[i]!, tags: a.tags.map((slug) => tagId(slug).name) });
    for (const statement of searchDocumentWrite(dialect, a.id, doc)) await statement.execute(tx);
  }
  const comments = batch.flatMap((a) =>
    a.comments.map((c) => ({
      id: c.id,
      article_id: a.id,
      parent_id: c.parent_id,
      author_name: c.author_name,
      author_email: c.author_email,
      author_url: c.author_url,
      body: c.body,
      body_html: renderCommentHtml(c.body),
      status: c.status,
      created_at: c.created_at,
      ip_hash: '',
      edited_at: null,
      erased_at: null,
    })),
  );
  for (let i = 0; i < comments.length; i += COMMENT_BATCH) await tx.insertInto('comments').values(comments.slice(i, i + COMMENT_BATCH)).execute();
}

/**
 * Migrates the database at `databaseUrl` (empty) and loads the dataset at `path` into it, in one transaction; returns
 * how many articles and comments it wrote. Article and comment ids are the dataset's (so replies keep their
 * parents); on PostgreSQL the identity sequences are moved past them.
 */
export async function loadDataset(databaseUrl: string, path: string): Promise<{ articles: number; comments: number }> {
  const database = openDatabase(parseDatabaseUrl(databaseUrl), { poolSize: 1 });
  try {
    const db = database.db;
    await migrateToLatest(db);
    // A loading-only page cache of up to 256 MB: the one large transaction then never spills half-written pages to the WAL.
    if (database.dialect === 'sqlite') await sql`pragma cache_size = -262144`.execute(db);
    const counts = await db.transaction().execute(async (tx) => {
      let ids: Ids | undefined;
      let batch: ExportArticleEntry[] = [];
      const counts = { articles: 0, comments: 0 };
      for await (const entry of datasetLines(path)) {
        if ('header' in entry) {
          ids = await loadTaxonomy(tx, entry.header);
          continue;
        }
        if (!ids) throw new Error(`${path}: no header line before the articles`);
        batch.push(entry.article);
        counts.articles++;
        counts.comments += entry.article.comments.length;
        if (batch.length >= ARTICLE_BATCH) {
          await writeBatch(tx, database.dialect, ids, batch);
          batch = [];
        }
      }
      if (ids && batch.length) await writeBatch(tx, database.dialect, ids, batch);
      if (database.dialect === 'postgres') {
        for (const table of ['articles', 'comments']) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(tx);
      }
      return counts;
    });
    await applyBenchmarkCommentSettings(db);
    if (database.dialect === 'postgres') await sql`analyze`.execute(db);
    else await optimizeSqlite(db);
    return counts;
  } finally {
    await database.close();
  }
}
