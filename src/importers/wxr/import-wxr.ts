/**
 * Imports a WordPress export (WXR 1.0–1.2): authors, categories (→ sections, or tags beyond a post's first), tags,
 * posts and pages with their comments, attachments (copied from a local uploads folder when given, featured images
 * set), and every old address of each item for 301 redirects. Streamed twice (a scan for attachments and category
 * use, then the import), so a multi-gigabyte export never sits in memory.
 */
import v8 from 'node:v8';
import { writeArticle, type ArticleDeps } from '../../articles/service.ts';
import { isoNow } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { wordpressAuthorPaths, wordpressPostPaths, wordpressTermPaths } from '../legacy-paths-derive.ts';
import { recordLegacyPaths } from '../legacy-paths.ts';
import { inImportTransaction, type ImportTx } from '../store.ts';
import { checkImportFile, formatReport as formatImportReport, messageOf, skip, tally, type ImportReport, type Tally } from '../report.ts';
import { importAttachment, notCopiedNotes, setFeaturedImage } from '../attachments.ts';
import { importComments } from './comments.ts';
import { articleFromItem, sectionSlug, type MappedItem } from './map.ts';
import { readWxr, WxrError, type WxrItem, type WxrTerm } from './parse.ts';
import { scanWxr, type WxrScan } from './scan.ts';
import { TermLedger } from './terms.ts';
import { slugFor } from '../../lib/slug.ts';
import { htmlToText } from '../../lib/sanitize.ts';

export { WxrError } from './parse.ts';
export type { Tally } from '../report.ts';

/** Kinds in report order. */
export const WXR_KINDS = ['articles', 'pages', 'authors', 'sections', 'tags', 'comments', 'media'] as const;
export type WxrKind = (typeof WXR_KINDS)[number];

export interface WxrReport extends ImportReport, Record<WxrKind, Tally> {
  notes: string[];
}

/** Where an import is: `phase` scanning (first read) or importing (second), bytes of `totalBytes` read. */
export interface WxrProgress {
  phase: 'scanning' | 'importing';
  bytes: number;
  totalBytes: number;
  /** Posts and pages written so far. */
  items: number;
}

export interface WxrImportOptions {
  /** Parse and report, writing nothing (the writes run in a transaction that is rolled back; no file is copied). */
  dryRun?: boolean;
  unicodeSlugs?: boolean;
  /** Longest comment accepted, in characters (the comment setting; default 5,000). */
  commentMaxLength?: number;
  /** A local copy of the old site's wp-content/uploads: images are copied into media from there. */
  uploadsDir?: string;
  /** Media storage for copied images (required with `uploadsDir`). */
  storage?: MediaStorage;
  onProgress?: (progress: WxrProgress) => void;
}

/** State of one import run, shared by the steps below. */
interface Run {
  trx: ImportTx;
  deps: ArticleDeps;
  opts: WxrImportOptions;
  scan: WxrScan;
  report: WxrReport;
  ledger: TermLedger;
  now: string;
  authorNames: Map<string, string>;
  /** importKey → wp:post_id that used it, for the keys the file repeats (scan.repeatedKeys). */
  keys: Map<string, string>;
  /** Posts and pages written so far. */
  written: number;
  /** wp:post_id → article id and featured attachment, for posts with attachments or a featured image. */
  articles: Map<string, { id: number; featured?: string; label: string }>;
  /** Unknown shortcode → posts it was left in. */
  shortcodes: Map<string, number>;
  termsSeen: Set<string>;
}

/**
 * Imports the WXR export at `path` in one transaction (rolled back for a dry run). Posts and pages are written
 * through writeArticle with importSource 'wxr' and importKey their guid (or `post:<id>`), comments keyed on the post's
 * key and their id, so importing again updates and never duplicates. An item refused for bad content is reported
 * and skipped; the rest import. Throws WxrError — with nothing written — when the file is missing, empty, not XML or
 * not a WordPress export.
 */
export async function importWxrFile(deps: ArticleDeps, path: string, opts: WxrImportOptions = {}): Promise<WxrReport> {
  await checkImportFile(path, (reason) => new WxrError(reason));
  const restoreHeap = tightenHeapGrowth();
  try {
    return await importChecked(deps, path, opts);
  } finally {
    restoreHeap();
  }
}

/** How far V8's old space may grow past the data that survived the last full collection, in percent, while importing. */
const IMPORT_HEAP_GROWING_PERCENT = 100;

/**
 * Caps V8's heap growth for the length of an import; returns the undo. Measured on 50,000 posts: about 35 MB stay
 * live, but each post promotes some 30 KB of short-lived objects to the old space, and because collecting is cheap
 * here (mutator utilisation 0.997) V8 picks its largest growing factor, 4×, letting the old space reach 150 MB of
 * mostly garbage before a full collection. At 2× the full collections come more often but stay short (10,000 posts:
 * peak RSS 280 → 221 MB, wall time +1%; 1.5× saved 17 MB more for +7%). Left alone when the operator set the flag.
 */
function tightenHeapGrowth(): () => void {
  const flag = '--heap-growing-percent';
  if ([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith(flag))) return () => {};
  v8.setFlagsFromString(`${flag}=${IMPORT_HEAP_GROWING_PERCENT}`);
  return () => v8.setFlagsFromString(`${flag}=0`); // 0: V8's own choice
}

async function importChecked(deps: ArticleDeps, path: string, opts: WxrImportOptions): Promise<WxrReport> {
  const scan = await scanWxr(path, (bytes, totalBytes) => opts.onProgress?.({ phase: 'scanning', bytes, totalBytes, items: 0 }));
  const report = { dryRun: !!opts.dryRun, problems: [], notes: [], ...Object.fromEntries(WXR_KINDS.map((k) => [k, tally()])) } as unknown as WxrReport;
  const now = isoNow(deps.clock);
  return inImportTransaction(deps.db, !!opts.dryRun, async (trx) => {
    const run: Run = { trx, deps, opts, scan, report, now, ledger: new TermLedger(report, now), authorNames: new Map(), keys: new Map(), written: 0, articles: new Map(), shortcodes: new Map(), termsSeen: new Set() };
    for await (const entry of readWxr(path, { onBytes: (bytes) => opts.onProgress?.({ phase: 'importing', bytes, totalBytes: scan.totalBytes, items: run.written }) })) {
      if (entry.kind === 'author') await importAuthor(run, entry.author.login, entry.author.displayName, entry.author.id);
      else if (entry.kind === 'term') await importTerm(run, entry.term);
      else if (entry.item.postType.trim() !== 'attachment') await importItem(run, entry.item);
    }
    await importAttachments(run);
    for (const [name, posts] of run.shortcodes) report.notes.push(`unknown shortcode [${name}] left as text in ${posts} ${posts === 1 ? 'item' : 'items'}`);
    return report;
  });
}

async function importAuthor(run: Run, login: string, rawName: string, id = ''): Promise<void> {
  // Display names, like titles, may hold markup or entities ("Q&amp;A desk"): a byline is text.
  const displayName = htmlToText(rawName) || login;
  run.authorNames.set(login, displayName);
  const authorId = await run.ledger.author(run.trx, displayName, slugFor(login, 'author'));
  await recordLegacyPaths(run.trx, 'wxr', { kind: 'author', id: authorId }, wordpressAuthorPaths({ id, login }), run.now);
}

/**
 * A channel-level category or tag. A category that is some post's first becomes a section; one that only ever
 * comes later becomes a tag (Broadsheet articles have one section); one no post uses is skipped. Old category and
 * tag archive addresses point at what each became.
 */
async function importTerm(run: Run, term: WxrTerm): Promise<void> {
  if (term.taxonomy !== 'category' && term.taxonomy !== 'post_tag') return;
  const seen = `${term.taxonomy}:${term.slug}`;
  if (run.termsSeen.has(seen)) return; // WXR 1.2 lists categories twice (wp:category and wp:term)
  run.termsSeen.add(seen);
  const name = htmlToText(term.name) || term.slug;
  let target: { kind: 'section' | 'tag'; id: number } | undefined;
  if (term.taxonomy === 'post_tag') target = { kind: 'tag', id: await run.ledger.tag(run.trx, name) };
  else if (run.scan.firstCategories.has(term.slug)) target = { kind: 'section', id: await run.ledger.section(run.trx, name, sectionSlug(term.slug, name)) };
  else if (run.scan.laterCategories.has(term.slug)) {
    skip(run.report.sections, 'only ever a second category: kept as a tag');
    target = { kind: 'tag', id: await run.ledger.tag(run.trx, name) };
  } else skip(run.report.sections, 'no posts');
  if (target) await recordLegacyPaths(run.trx, 'wxr', target, wordpressTermPaths(term, run.scan.categoriesBySlug), run.now);
}

/** The terms and byline of an item, created outside its savepoint so a refused item cannot undo them. */
async function ensureTermsOf(run: Run, mapped: MappedItem): Promise<void> {
  const { section, tags, authors } = mapped.input;
  if (section) await run.ledger.section(run.trx, section.name, section.slug ?? slugFor(section.name, 'section'));
  for (const tag of tags ?? []) await run.ledger.tag(run.trx, tag);
  for (const author of authors ?? []) await run.ledger.author(run.trx, author.name, author.slug ?? slugFor(author.name, 'author'));
}

async function importItem(run: Run, item: WxrItem): Promise<void> {
  const { report } = run;
  const kind = item.postType.trim() === 'page' ? 'pages' : 'articles';
  const mapped = articleFromItem(item, { authorNames: run.authorNames, attachments: run.scan.attachments, attachedTo: run.scan.attachedTo });
  if ('skip' in mapped) {
    skip(report[kind], mapped.skip);
    for (let i = 0; i < item.comments.length; i++) skip(report.comments, 'its post was not imported');
    return;
  }
  const postId = item.postId.trim();
  // Some exports repeat a guid on different posts (the theme test data does): a guid already taken by another post
  // of this file falls back to `post:<id>`, so neither overwrites the other (the file order makes it stable).
  const key = mapped.input.importKey ?? '';
  const owner = run.keys.get(key);
  if (owner !== undefined && owner !== postId) mapped.input.importKey = `post:${postId}`;
  else if (run.scan.repeatedKeys.has(key)) run.keys.set(key, postId);
  const headline = mapped.input.headline.length > 80 ? `${mapped.input.headline.slice(0, 79)}…` : mapped.input.headline;
  const label = `${kind === 'pages' ? 'page' : 'post'} ${postId || '(no id)'} “${headline}”`;
  await ensureTermsOf(run, mapped);
  // A savepoint per item: a refused item leaves the transaction usable (PostgreSQL aborts it on any error).
  const sp = await run.trx.savepoint('wxr_item').execute();
  try {
    const saved = await writeArticle(sp, run.deps.clock, { ...mapped.input, unicodeSlug: run.opts.unicodeSlugs });
    report[kind][saved.action === 'created' ? 'imported' : 'updated']++;
    await importComments(sp, item.comments, { articleId: saved.id, itemKey: mapped.input.importKey!, label, maxLength: run.opts.commentMaxLength ?? 5000 }, report.comments, report.problems);
    await recordLegacyPaths(sp, 'wxr', { kind: 'article', id: saved.id }, wordpressPostPaths(item), run.now);
    await sp.releaseSavepoint('wxr_item').execute();
    run.written++;
    // Kept only for what attachments need afterwards, so memory does not grow with every post of a large export.
    if (mapped.featuredAttachmentId || run.scan.attachedTo.has(postId)) run.articles.set(postId, { id: saved.id, featured: mapped.featuredAttachmentId, label });
    for (const note of mapped.notes) report.notes.push(`${label}: ${note}`);
    for (const name of mapped.unknownShortcodes) run.shortcodes.set(name, (run.shortcodes.get(name) ?? 0) + 1);
  } catch (error) {
    await sp.rollbackToSavepoint('wxr_item').execute();
    report.problems.push(`${label}: ${messageOf(error)}`);
    skip(report[kind], error instanceof ValidationError ? `invalid ${kind === 'pages' ? 'page' : 'post'}` : 'could not be written');
    for (let i = 0; i < item.comments.length; i++) skip(report.comments, 'its post was not imported');
  }
}

/**
 * Every attachment of the export, recorded against the article of its post (copied into media when an uploads
 * folder is given); then the featured images of the imported articles. An attachment page's old address
 * (`/?attachment_id=ID`, its `<link>`) redirects to the article it belongs to.
 */
async function importAttachments(run: Run): Promise<void> {
  const { trx, deps, opts, report } = run;
  const media = new Map<string, number>();
  const ctx = { db: trx, clock: deps.clock, storage: opts.storage, uploadsDir: opts.uploadsDir, dryRun: !!opts.dryRun, notCopied: new Map<string, number>() };
  for (const attachment of run.scan.attachments.values()) {
    const article = run.articles.get(attachment.parent);
    // Keyed by the file's URL, not its id: exports of two WordPress sites reuse ids, never each other's URLs.
    const record = { source: 'wxr', key: `attachment:${attachment.url || attachment.id}`, url: attachment.url, title: attachment.title };
    const mediaId = await importAttachment(ctx, record, article?.id ?? null, report.media);
    if (mediaId !== undefined) media.set(attachment.id, mediaId);
    if (article) await recordLegacyPaths(trx, 'wxr', { kind: 'article', id: article.id }, [`/?attachment_id=${attachment.id}`, attachment.link], run.now);
  }
  report.notes.push(...notCopiedNotes(ctx.notCopied));
  for (const article of run.articles.values()) {
    if (!article.featured) continue;
    const attachment = run.scan.attachments.get(article.featured);
    const mediaId = media.get(article.featured);
    if (attachment && mediaId !== undefined) await setFeaturedImage(trx, deps.clock, article.id, mediaId, attachment.alt || attachment.title);
    else if (!attachment) report.notes.push(`${article.label}: featured image (attachment ${article.featured}) is not in the export`);
  }
}

/** The report as the CLI prints it: one line per kind, then notes, skip reasons and problems. */
export function formatReport(report: WxrReport): string {
  return formatImportReport(report, WXR_KINDS);
}
