/** `broadsheet export json`: the whole site in Broadsheet's own format (importers/json/format.ts), written article by article. */
import type { DB } from '../../db/database.ts';
import { listSections, listTags } from '../../articles/taxonomy-store.ts';
import { isoNow, type Clock } from '../../lib/clock.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportArticleEntry, type ExportHeader } from '../json/format.ts';
import type { ExportSink } from './output.ts';
import { articleBatches, inSnapshot, legacyPathsByTarget, listExportAuthors, type ExportArticle } from './store.ts';

export interface ExportSite {
  name: string;
  url: string;
}

/** How much an export wrote. */
export interface ExportCounts {
  articles: number;
  pages: number;
  comments: number;
}

function articleEntry(a: ExportArticle, sectionSlugs: ReadonlyMap<number, string>): ExportArticleEntry {
  const r = a.row;
  return {
    id: r.id,
    kind: r.kind,
    slug: r.slug,
    old_slugs: a.oldSlugs,
    legacy_paths: a.legacyPaths,
    headline: r.headline,
    dek: r.dek,
    body_html: r.body_html,
    dateline: r.dateline,
    status: r.status,
    comment_status: r.comment_status,
    published_at: r.published_at,
    created_at: r.created_at,
    updated_at: r.updated_at,
    revised_at: r.revised_at,
    section: r.section_id === null ? null : sectionSlugs.get(r.section_id) ?? null,
    authors: a.authors.map((x) => x.slug),
    tags: a.tags.map((t) => t.slug),
    credits: a.credits,
    corrections: a.corrections,
    featured_image: r.featured_alt || r.featured_caption || r.featured_credit ? { alt: r.featured_alt, caption: r.featured_caption, credit: r.featured_credit } : null,
    import_source: r.import_source,
    import_key: r.import_key,
    comments: a.comments,
  };
}

/**
 * Writes the export to `sink`: the header, sections, authors and tags, then one article per line, read a batch at a
 * time in one snapshot (memory stays flat however large the site).
 */
export async function exportJson(db: DB, clock: Clock, site: ExportSite, sink: ExportSink): Promise<ExportCounts> {
  return inSnapshot(db, async (tx) => {
    const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: isoNow(clock), site };
    const [sectionPaths, authorPaths, tagPaths] = await Promise.all([legacyPathsByTarget(tx, 'section'), legacyPathsByTarget(tx, 'author'), legacyPathsByTarget(tx, 'tag')]);
    const sections = await listSections(tx);
    const authors = (await listExportAuthors(tx)).map(({ id, ...author }) => ({ ...author, legacy_paths: authorPaths.get(id) ?? [] }));
    const tags = (await listTags(tx)).map(({ id, slug, name }) => ({ slug, name, legacy_paths: tagPaths.get(id) ?? [] }));
    const head = JSON.stringify({ ...header, sections: sections.map(({ id, ...s }) => ({ ...s, legacy_paths: sectionPaths.get(id) ?? [] })), authors, tags }, null, 1);
    // The header object is closed by hand, so that `articles` can follow item by item.
    await sink.write(`${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n "articles": [`);
    const sectionSlugs = new Map(sections.map((s) => [s.id, s.slug]));
    const counts: ExportCounts = { articles: 0, pages: 0, comments: 0 };
    let first = true;
    for await (const batch of articleBatches(tx)) {
      for (const a of batch) {
        await sink.write(`${first ? '' : ','}\n  ${JSON.stringify(articleEntry(a, sectionSlugs))}`);
        first = false;
        counts[a.row.kind === 'page' ? 'pages' : 'articles']++;
        counts.comments += a.comments.length;
      }
    }
    await sink.write(`${first ? '' : '\n '}]\n}\n`);
    return counts;
  });
}
