/** Imports a Ghost "Export your content" JSON file: posts as articles, pages as pages, with bylines, sections, tags and feature images. */
import { resolveTaxonomy, writeArticle, type ArticleDeps } from '../../articles/service.ts';
import { isoNow } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import { recordLegacyPaths } from '../legacy-paths.ts';
import { inImportTransaction, tallyTaxonomy, taxonomyCounts, type ImportTx } from '../store.ts';
import { checkImportFile, formatReport, messageOf, skip, tally, type ImportReport, type Tally } from '../report.ts';
import { articleFromPost, authorOf, indexExport, isInternalTag, isPage, primaryTag, type GhostIndex } from './map.ts';
import { GhostError, readGhostExport, type GhostExport, type GhostPost, type GhostTag, type GhostUser } from './parse.ts';
import { ghostBody, resolveGhostUrls } from './render.ts';
import { importAttachment, notCopiedNotes, setFeaturedImage, type AttachmentImport } from '../attachments.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { htmlToText } from '../../lib/sanitize.ts';

export { GhostError } from './parse.ts';

export interface GhostReport extends ImportReport {
  articles: Tally;
  pages: Tally;
  authors: Tally;
  sections: Tally;
  tags: Tally;
  /** Feature images recorded in import_attachments. */
  media: Tally;
  /** Ghost version named by the export's meta. */
  version: string;
  notes: string[];
}

export const GHOST_REPORT_KINDS = ['articles', 'pages', 'authors', 'sections', 'tags', 'media'] as const;

export interface GhostImportOptions {
  /** Parse and report, writing nothing (the writes run in a transaction that is rolled back). */
  dryRun?: boolean;
  unicodeSlugs?: boolean;
  /** The old site's origin, put in place of Ghost's `__GHOST_URL__`; default '' (root-relative addresses). */
  ghostUrl?: string;
  /** A local copy of the old site's content/images: feature images are copied into media from there. */
  uploadsDir?: string;
  /** Media storage for copied images (required with `uploadsDir`). */
  storage?: MediaStorage;
}

/** What the posts used, so tags, sections and authors can be counted and given their old addresses afterwards. */
interface Used {
  sections: Map<string, GhostTag>;
  tags: Map<string, GhostTag>;
  authors: Map<string, GhostUser>;
}

/**
 * Imports the Ghost export at `path` in one transaction (rolled back for a dry run). Each post is written through
 * writeArticle with importSource 'ghost' and importKey its Ghost id, so importing again updates; a post refused for
 * bad content is reported and skipped, the rest import. Throws GhostError — with nothing written — when the file is
 * missing, empty, not JSON or not a Ghost export.
 */
export async function importGhostFile(deps: ArticleDeps, path: string, opts: GhostImportOptions = {}): Promise<GhostReport> {
  await checkImportFile(path, (reason) => new GhostError(reason));
  const ghost = await readGhostExport(path);
  const index = indexExport(ghost);
  const report: GhostReport = { dryRun: !!opts.dryRun, version: ghost.version, articles: tally(), pages: tally(), authors: tally(), sections: tally(), tags: tally(), media: tally(), notes: [], problems: [] };
  const used: Used = { sections: new Map(), tags: new Map(), authors: new Map() };
  reportUnreadable(ghost, report);
  return inImportTransaction(deps.db, !!opts.dryRun, async (trx) => {
    const before = await taxonomyCounts(trx);
    const attachments: AttachmentImport = { db: trx, clock: deps.clock, storage: opts.storage, uploadsDir: opts.uploadsDir, uploadsMarker: '/content/images/', dryRun: !!opts.dryRun, notCopied: new Map() };
    for (const post of ghost.posts) await importPost(trx, deps, post, index, used, report, opts, attachments);
    report.notes.push(...notCopiedNotes(attachments.notCopied));
    tallyTaxonomy(report, before, await taxonomyCounts(trx), used);
    countUnused(ghost, used, report);
    await recordTaxonomyPaths(trx, used, isoNow(deps.clock));
    return report;
  });
}

/** Rows left out for a field of the wrong type, each as skipped with its reason (a post meta row: the post imports without it). */
function reportUnreadable(ghost: GhostExport, report: GhostReport): void {
  const tallies = { post: report.articles, page: report.pages, tag: report.tags, user: report.authors, 'post meta': undefined };
  for (const row of ghost.unreadable) {
    const t = tallies[row.kind];
    if (t) skip(t, 'unreadable field');
    report.problems.push(`${row.kind} ${row.id}${row.kind === 'post meta' ? '' : ` “${row.title}”`}: ${row.reason}`);
  }
}

/** Tags and users no imported post uses are reported as skipped, so every row of the export is accounted for. */
function countUnused(ghost: GhostExport, used: Used, report: GhostReport): void {
  for (const tag of ghost.tags) {
    if (isInternalTag(tag)) skip(report.tags, 'internal tag');
    else if (!used.sections.has(tag.id) && !used.tags.has(tag.id)) skip(report.tags, 'no imported posts');
  }
  for (const user of ghost.users) if (!used.authors.has(user.id)) skip(report.authors, 'no imported posts');
}

async function importPost(trx: ImportTx, deps: ArticleDeps, post: GhostPost, index: GhostIndex, used: Used, report: GhostReport, opts: GhostImportOptions, attachments: AttachmentImport): Promise<void> {
  const t = isPage(post) ? report.pages : report.articles;
  const label = `${isPage(post) ? 'page' : 'post'} ${post.id} “${(post.title ?? '').trim()}”`;
  let body;
  try {
    body = await ghostBody(post, opts.ghostUrl);
  } catch (error) {
    report.problems.push(`${label}: the ${post.lexical ? 'lexical' : 'mobiledoc'} source cannot be rendered (${messageOf(error)})`);
    skip(t, 'unreadable body');
    return;
  }
  if (body.unknownCards.length) report.notes.push(`${label}: left out cards ${[...new Set(body.unknownCards)].join(', ')}`);
  const mapped = articleFromPost(post, index, body.html, report.notes);
  if ('skip' in mapped) {
    skip(t, mapped.skip);
    return;
  }
  // A savepoint per post: a refused post leaves the transaction usable (PostgreSQL aborts it on any error).
  const sp = await trx.savepoint('ghost_post').execute();
  try {
    const saved = await writeArticle(sp, deps.clock, { ...mapped.input, unicodeSlug: opts.unicodeSlugs });
    const now = isoNow(deps.clock);
    if (post.slug?.trim()) await recordLegacyPaths(sp, 'ghost', { kind: 'article', id: saved.id }, [`/${post.slug.trim()}/`], now);
    if (post.feature_image?.trim()) {
      const meta = index.metaOf.get(post.id);
      const caption = htmlToText(meta?.caption ?? '');
      const record = { source: 'ghost', key: `feature:${post.id}`, url: resolveGhostUrls(post.feature_image.trim(), opts.ghostUrl), title: meta?.alt || caption };
      const mediaId = await importAttachment({ ...attachments, db: sp }, record, saved.id, report.media);
      // Broadsheet requires alt text with a featured image: the alt, else the caption, else the headline.
      if (mediaId !== undefined) await setFeaturedImage(sp, deps.clock, saved.id, mediaId, meta?.alt || caption || mapped.input.headline, caption);
    }
    await sp.releaseSavepoint('ghost_post').execute();
    t[saved.action === 'created' ? 'imported' : 'updated']++;
    const tags = index.tagsOf.get(post.id) ?? [];
    const section = primaryTag(tags);
    if (section) used.sections.set(section.id, section);
    for (const tag of tags) if (tag !== section && !isInternalTag(tag)) used.tags.set(tag.id, tag);
    for (const user of index.authorsOf.get(post.id) ?? []) used.authors.set(user.id, user);
  } catch (error) {
    await sp.rollbackToSavepoint('ghost_post').execute();
    report.problems.push(`${label}: ${messageOf(error)}`);
    skip(t, error instanceof ValidationError ? 'invalid post' : 'could not be written');
  }
}

/**
 * Old addresses of tags (`/tag/slug/`) and authors (`/author/slug/`). A tag that is the primary tag of some post
 * became a section and its address goes there; otherwise to the Broadsheet tag of the same name. recordLegacyPaths
 * leaves out addresses Broadsheet answers itself (its own /tag/ and /author/ trees), so these count only if that changes.
 */
async function recordTaxonomyPaths(trx: ImportTx, used: Used, now: string): Promise<void> {
  for (const tag of [...used.sections.values(), ...used.tags.values()]) {
    const slug = tag.slug?.trim();
    const name = (tag.name ?? '').trim();
    if (!slug) continue;
    const asSection = used.sections.has(tag.id);
    const ids = await resolveTaxonomy(trx, asSection ? { section: { name, slug } } : { tags: [name] }, now);
    const id = asSection ? ids.sectionId : ids.tagIds[0];
    if (id) await recordLegacyPaths(trx, 'ghost', { kind: asSection ? 'section' : 'tag', id }, [`/tag/${slug}/`], now);
  }
  for (const user of used.authors.values()) {
    const slug = user.slug?.trim();
    if (!slug) continue;
    const [id] = (await resolveTaxonomy(trx, { authors: [authorOf(user)] }, now)).authorIds;
    if (id) await recordLegacyPaths(trx, 'ghost', { kind: 'author', id }, [`/author/${slug}/`], now);
  }
}

/** The report as the CLI prints it. */
export function formatGhostReport(report: GhostReport): string {
  return formatReport(report, GHOST_REPORT_KINDS);
}
