/**
 * `broadsheet import json FILE`: restores a Broadsheet export (format.ts) — sections, authors, tags, then every
 * article and page with its comments and old addresses — in one transaction, updating what an earlier import of the
 * same file wrote.
 */
import { writeArticle, type ArticleDeps, type ArticleInput } from '../../articles/service.ts';
import { addRedirect, updateArticle } from '../../articles/store.ts';
import { ensureAuthor, ensureSection, ensureTag, findAuthorBySlug, findSectionBySlug, findTagBySlug } from '../../articles/taxonomy-store.ts';
import { renderCommentHtml } from '../../comments/format.ts';
import { isCounted } from '../../comments/moderation.ts';
import { adjustCommentCount, insertComment } from '../../comments/store.ts';
import type { DB } from '../../db/database.ts';
import { cleanText } from '../../lib/clean-text.ts';
import { isoNow } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import { recordLegacyPaths, type LegacyTarget } from '../legacy-paths.ts';
import { inImportTransaction, type ImportTx } from '../store.ts';
import { checkImportFile, messageOf, skip, tally, type ImportReport, type Tally } from '../report.ts';
import type { ExportCommentEntry, ExportLegacyPath } from './format.ts';
import { EntryProblem, JsonImportError, readArticle, readComment, readExportFile } from './read.ts';
import { findImportedComment, replaceCorrections } from './store.ts';

export { JsonImportError } from './read.ts';

/** importSource of everything this importer writes; the importKey is the id the thing had in the exporting site. */
const SOURCE = 'json';

export const JSON_REPORT_KINDS = ['articles', 'pages', 'authors', 'sections', 'tags', 'comments'] as const;
export type JsonReport = ImportReport & Record<(typeof JSON_REPORT_KINDS)[number], Tally>;

export interface JsonImportOptions {
  /** Read and report, writing nothing (the writes run in a transaction that is rolled back). */
  dryRun?: boolean;
}

type Taxonomy = {
  sections: Map<string, { name: string; slug: string }>;
  authors: Map<string, { name: string; slug: string; bio: string }>;
  tags: Map<string, string>;
};

/**
 * Points the exported old addresses of an entry at `target`, its id in this database, each keeping the importer that
 * first recorded it and when (the import's time `now` when the file has none). recordLegacyPaths checks each path
 * again, so a hand-edited file cannot put a redirect over one of Broadsheet's own addresses.
 */
async function restoreLegacyPaths(tx: DB, target: LegacyTarget, paths: readonly ExportLegacyPath[], now: string): Promise<void> {
  const groups = new Map<string, { source: string; at: string; paths: string[] }>();
  for (const p of paths) {
    const at = p.created_at || now;
    const key = JSON.stringify([p.source, at]);
    groups.set(key, { source: p.source, at, paths: [...(groups.get(key)?.paths ?? []), p.path] });
  }
  for (const g of groups.values()) await recordLegacyPaths(tx, g.source, target, g.paths, g.at);
}

/** Sections, authors and tags of the export, created where missing (existing ones are left as they are), with their old addresses. */
async function importTaxonomy(tx: DB, doc: Awaited<ReturnType<typeof readExportFile>>, report: JsonReport, now: string): Promise<Taxonomy> {
  const found: Taxonomy = { sections: new Map(), authors: new Map(), tags: new Map() };
  for (const s of doc.sections) {
    report.sections[(await findSectionBySlug(tx, s.slug)) ? 'updated' : 'imported']++;
    const id = await ensureSection(tx, { ...s, name: cleanText(s.name) });
    await restoreLegacyPaths(tx, { kind: 'section', id }, s.legacy_paths, now);
    found.sections.set(s.slug, { name: s.name, slug: s.slug });
  }
  for (const a of doc.authors) {
    report.authors[(await findAuthorBySlug(tx, a.slug)) ? 'updated' : 'imported']++;
    const id = await ensureAuthor(tx, { slug: a.slug, name: cleanText(a.name), bio: cleanText(a.bio) }, a.created_at || now);
    await restoreLegacyPaths(tx, { kind: 'author', id }, a.legacy_paths, now);
    found.authors.set(a.slug, { name: a.name, slug: a.slug, bio: a.bio });
  }
  for (const t of doc.tags) {
    report.tags[(await findTagBySlug(tx, t.slug)) ? 'updated' : 'imported']++;
    const id = await ensureTag(tx, { slug: t.slug, name: cleanText(t.name) });
    await restoreLegacyPaths(tx, { kind: 'tag', id }, t.legacy_paths, now);
    found.tags.set(t.slug, t.name);
  }
  return found;
}

/** Comments in an order where each parent comes before its replies; a reply whose parent is missing comes last. */
function parentsFirst(comments: ExportCommentEntry[]): ExportCommentEntry[] {
  const ordered: ExportCommentEntry[] = [];
  const placed = new Set<number>();
  const ids = new Set(comments.map((c) => c.id));
  for (let pending = [...comments].sort((a, b) => a.id - b.id); pending.length; ) {
    const later = pending.filter((c) => c.parent_id !== null && ids.has(c.parent_id) && !placed.has(c.parent_id));
    const now = pending.filter((c) => !later.includes(c));
    // A cycle of parents: nothing can be placed, so the rest go in as they are (replies to unknown parents).
    for (const c of now.length ? now : later) {
      ordered.push(c);
      placed.add(c.id);
    }
    pending = now.length ? later : [];
  }
  return ordered;
}

/** Comments of one article with their status and threading; a comment an earlier import stored is left as it is. */
async function importComments(tx: DB, articleId: number, rawComments: unknown[], report: JsonReport, label: string): Promise<void> {
  const comments: ExportCommentEntry[] = [];
  for (const raw of rawComments) {
    try {
      comments.push(readComment(raw));
    } catch (error) {
      if (!(error instanceof EntryProblem)) throw error;
      skip(report.comments, 'invalid comment');
      report.problems.push(`${label}, a comment: ${error.message}`);
    }
  }
  const ids = new Map<number, number>();
  let counted = 0;
  for (const c of parentsFirst(comments)) {
    const key = String(c.id);
    const existing = await findImportedComment(tx, SOURCE, key);
    if (existing && existing.article_id !== articleId) {
      skip(report.comments, 'id used by another article');
      report.problems.push(`${label}, comment ${key}: an earlier import stored a comment with this id on another article`);
      continue;
    }
    if (existing) {
      ids.set(c.id, existing.id);
      report.comments.updated++;
      continue;
    }
    const body = cleanText(c.body);
    const newId = await insertComment(tx, {
      article_id: articleId,
      parent_id: c.parent_id === null ? null : ids.get(c.parent_id) ?? null,
      author_name: cleanText(c.author_name),
      author_email: cleanText(c.author_email),
      author_url: cleanText(c.author_url),
      body,
      // Rendered again, as every write path does: the export carries the text as typed, never HTML.
      body_html: c.erased_at ? '' : renderCommentHtml(body),
      status: c.status,
      created_at: c.created_at,
      ip_hash: '',
      edited_at: c.edited_at,
      erased_at: c.erased_at,
      moderation_reason: 'imported from a Broadsheet export',
      import_source: SOURCE,
      import_key: key,
    });
    ids.set(c.id, newId);
    report.comments.imported++;
    if (isCounted(c)) counted++;
  }
  if (counted) await adjustCommentCount(tx, articleId, counted);
}

async function importArticle(tx: ImportTx, deps: ArticleDeps, raw: unknown, n: number, known: Taxonomy, report: JsonReport): Promise<void> {
  let a: ReturnType<typeof readArticle>;
  try {
    a = readArticle(raw);
  } catch (error) {
    if (!(error instanceof EntryProblem)) throw error;
    skip(report.articles, 'invalid article');
    report.problems.push(`article #${n}: ${error.message}`);
    return;
  }
  const tallied = report[a.kind === 'page' ? 'pages' : 'articles'];
  const label = `${a.kind} ${a.id} “${a.headline}”`;
  const input: ArticleInput = {
    headline: a.headline,
    dek: a.dek,
    bodyHtml: a.body_html,
    dateline: a.dateline,
    // The exported slug is already a slug: kept as it is, whatever its script.
    slug: a.slug || undefined,
    unicodeSlug: true,
    status: a.status,
    kind: a.kind,
    publishedAt: a.published_at ?? undefined,
    section: a.section ? known.sections.get(a.section) ?? { name: a.section, slug: a.section } : undefined,
    authors: a.authors.map((slug) => known.authors.get(slug) ?? { name: slug, slug }),
    tags: a.tags.map((slug) => known.tags.get(slug) ?? slug),
    credits: a.credits,
    commentStatus: a.comment_status,
    importSource: SOURCE,
    importKey: String(a.id),
  };
  // A savepoint per article: a refused one leaves the transaction usable (PostgreSQL aborts it on any error).
  const sp = await tx.savepoint('json_article').execute();
  // What the report says of this article's comments and notes is undone with it.
  const [commentsBefore, notesBefore] = [structuredClone(report.comments), report.notes?.length ?? 0];
  try {
    const saved = await writeArticle(sp, deps.clock, input);
    // The export's own times: writeArticle stamps created_at and updated_at with now.
    await updateArticle(sp, saved.id, { created_at: a.created_at || undefined, updated_at: a.updated_at || undefined, revised_at: a.revised_at });
    await replaceCorrections(sp, saved.id, a.corrections);
    const now = isoNow(deps.clock);
    for (const old of a.old_slugs) if (old && old !== saved.slug) await addRedirect(sp, old, saved.id, now);
    await restoreLegacyPaths(sp, { kind: 'article', id: saved.id }, a.legacy_paths, now);
    if (a.slug && saved.slug !== a.slug) report.notes?.push(`${label} is at /${a.kind === 'page' ? 'pages' : 'articles'}/${saved.slug}: “${a.slug}” was taken`);
    await importComments(sp, saved.id, a.comments, report, label);
    await sp.releaseSavepoint('json_article').execute();
    tallied[saved.action === 'created' ? 'imported' : 'updated']++;
  } catch (error) {
    await sp.rollbackToSavepoint('json_article').execute();
    report.comments = commentsBefore;
    report.notes?.splice(notesBefore);
    for (const _ of a.comments) skip(report.comments, `${a.kind} not imported`);
    report.problems.push(`${label}: ${messageOf(error)}`);
    skip(tallied, error instanceof ValidationError ? `invalid ${a.kind}` : 'could not be written');
  }
}

/**
 * Imports the export at `path` in one transaction (rolled back for a dry run). Each article goes through
 * writeArticle with importSource 'json' and importKey its exported id, each comment with the same pair, so importing
 * again updates articles and leaves comments already there alone. Throws JsonImportError — with nothing written —
 * when the file is missing, not JSON, or not a Broadsheet export of a version this importer reads.
 */
export async function importJsonFile(deps: ArticleDeps, path: string, opts: JsonImportOptions = {}): Promise<JsonReport> {
  await checkImportFile(path, (reason) => new JsonImportError(reason));
  const doc = await readExportFile(path);
  const report: JsonReport = { dryRun: !!opts.dryRun, problems: [], notes: [], articles: tally(), pages: tally(), authors: tally(), sections: tally(), tags: tally(), comments: tally() };
  return inImportTransaction(deps.db, !!opts.dryRun, async (trx) => {
    const known = await importTaxonomy(trx, doc, report, isoNow(deps.clock));
    let n = 0;
    for (const raw of doc.articles) await importArticle(trx, deps, raw, ++n, known, report);
    return report;
  });
}
