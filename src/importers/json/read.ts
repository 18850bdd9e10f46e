/**
 * Reading a Broadsheet export (format.ts): the file's format and version are checked before anything is written,
 * then each article and comment is given its defaults, or the reason it cannot be imported.
 */
import { ImportFileError } from '../report.ts';
import { readFile, stat } from 'node:fs/promises';
import type { ArticleKind, ArticleStatus, CommentingStatus, CommentStatus } from '../../db/schema.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportArticleEntry, type ExportAuthorEntry, type ExportCommentEntry, type ExportDocument, type ExportLegacyPath, type ExportSection, type ExportTag } from './format.ts';

/** The file is not JSON, or not a Broadsheet export this version reads; `reason` is for the operator. */
export class JsonImportError extends ImportFileError {}

/** One article or comment of the file that cannot be imported; the rest still can. */
export class EntryProblem extends Error {}

type Raw = Record<string, unknown>;

const STATUSES: readonly ArticleStatus[] = ['draft', 'pending', 'scheduled', 'published', 'unpublished'];
const KINDS: readonly ArticleKind[] = ['article', 'page'];
const COMMENTING: readonly CommentingStatus[] = ['open', 'closed'];
const COMMENT_STATUSES: readonly CommentStatus[] = ['approved', 'pending', 'spam', 'trash'];

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function time(v: unknown, field: string): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new EntryProblem(`${field} is not a time`);
  return new Date(v).toISOString();
}

/** A time that may be missing or unreadable ('' then), where the importer has a default. */
const timeOrNone = (v: unknown): string => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : '');

/**
 * Old addresses of an entry: `{path, source, created_at}` as exported, or a bare path (source 'json'); entries
 * without a path are dropped. created_at is '' when missing (the importer then uses the time of the import).
 */
function legacyPaths(v: unknown): ExportLegacyPath[] {
  return list(v).flatMap((p): ExportLegacyPath[] => {
    if (typeof p === 'string') return p ? [{ path: p, source: 'json', created_at: '' }] : [];
    if (!isObject(p) || typeof p.path !== 'string' || !p.path) return [];
    return [{ path: p.path, source: text(p.source) || 'json', created_at: timeOrNone(p.created_at) }];
  });
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string, fallback?: T): T {
  if (v === undefined && fallback !== undefined) return fallback;
  if (allowed.includes(v as T)) return v as T;
  throw new EntryProblem(`${field} ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
}

function id(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  throw new EntryProblem(`${field} is not a whole number`);
}

/** A comment with its defaults; throws EntryProblem. */
export function readComment(raw: unknown): ExportCommentEntry {
  if (!isObject(raw)) throw new EntryProblem('a comment is not an object');
  return {
    id: id(raw.id, 'comment id'),
    parent_id: raw.parent_id === null || raw.parent_id === undefined ? null : id(raw.parent_id, 'parent_id'),
    author_name: text(raw.author_name),
    author_email: text(raw.author_email),
    author_url: text(raw.author_url),
    body: text(raw.body),
    status: oneOf(raw.status, COMMENT_STATUSES, 'comment status'),
    created_at: time(raw.created_at, 'comment created_at') ?? (() => { throw new EntryProblem('a comment has no created_at'); })(),
    edited_at: time(raw.edited_at, 'edited_at'),
    erased_at: time(raw.erased_at, 'erased_at'),
  };
}

/** An article with its defaults (comments still raw: each is read on its own); throws EntryProblem. */
export function readArticle(raw: unknown): Omit<ExportArticleEntry, 'comments'> & { comments: unknown[] } {
  if (!isObject(raw)) throw new EntryProblem('not an object');
  const corrections = list(raw.corrections).filter(isObject).map((c) => ({ created_at: time(c.created_at, 'correction created_at') ?? '', text: text(c.text) }));
  const featured = isObject(raw.featured_image) ? { alt: text(raw.featured_image.alt), caption: text(raw.featured_image.caption), credit: text(raw.featured_image.credit) } : null;
  return {
    id: id(raw.id, 'id'),
    kind: oneOf(raw.kind, KINDS, 'kind', 'article'),
    slug: text(raw.slug),
    old_slugs: texts(raw.old_slugs),
    legacy_paths: legacyPaths(raw.legacy_paths),
    headline: text(raw.headline),
    dek: text(raw.dek),
    body_html: text(raw.body_html),
    dateline: text(raw.dateline),
    status: oneOf(raw.status, STATUSES, 'status'),
    comment_status: oneOf(raw.comment_status, COMMENTING, 'comment_status', 'open'),
    published_at: time(raw.published_at, 'published_at'),
    created_at: time(raw.created_at, 'created_at') ?? '',
    updated_at: time(raw.updated_at, 'updated_at') ?? '',
    revised_at: time(raw.revised_at, 'revised_at'),
    section: typeof raw.section === 'string' && raw.section ? raw.section : null,
    authors: texts(raw.authors),
    tags: texts(raw.tags),
    credits: texts(raw.credits),
    corrections: corrections.filter((c) => c.created_at && c.text),
    featured_image: featured,
    import_source: typeof raw.import_source === 'string' ? raw.import_source : null,
    import_key: typeof raw.import_key === 'string' ? raw.import_key : null,
    comments: list(raw.comments),
  };
}

/** The export's taxonomy lists, each entry with a slug and a name (others are dropped). */
function taxonomy(doc: Raw): Pick<ExportDocument, 'sections' | 'authors' | 'tags'> {
  const named = (v: unknown): Raw[] => list(v).filter((x): x is Raw => isObject(x) && typeof x.slug === 'string' && x.slug !== '' && typeof x.name === 'string');
  const sections: ExportSection[] = named(doc.sections).map((s) => ({ slug: text(s.slug), name: text(s.name), description: text(s.description), position: typeof s.position === 'number' ? s.position : 0, legacy_paths: legacyPaths(s.legacy_paths) }));
  const authors: ExportAuthorEntry[] = named(doc.authors).map((a) => ({ slug: text(a.slug), name: text(a.name), bio: text(a.bio), created_at: timeOrNone(a.created_at), email: text(a.email), legacy_paths: legacyPaths(a.legacy_paths) }));
  const tags: ExportTag[] = named(doc.tags).map((t) => ({ slug: text(t.slug), name: text(t.name), legacy_paths: legacyPaths(t.legacy_paths) }));
  return { sections, authors, tags };
}

/** Largest export read, in bytes: the file is parsed whole, and a JavaScript string holds at most 2^29 − 24 characters. */
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/**
 * Reads the export at `path` (a single JSON document, parsed whole) and checks it is a Broadsheet export of a
 * version this importer reads. Throws JsonImportError before anything is written.
 */
export async function readExportFile(path: string): Promise<Pick<ExportDocument, 'sections' | 'authors' | 'tags' | 'exported_at'> & { articles: unknown[] }> {
  const { size } = await stat(path);
  if (size > MAX_EXPORT_BYTES) throw new JsonImportError(`larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB (${Math.ceil(size / 1024 / 1024)} MB), the most this importer reads at once`);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new JsonImportError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(doc) || doc.format !== EXPORT_FORMAT) throw new JsonImportError(`not a Broadsheet export: "format" is not "${EXPORT_FORMAT}"`);
  if (doc.version !== EXPORT_VERSION) throw new JsonImportError(`export version ${JSON.stringify(doc.version)} is not one this Broadsheet reads (version ${EXPORT_VERSION})`);
  if (!Array.isArray(doc.articles)) throw new JsonImportError('the export has no "articles" list');
  return { ...taxonomy(doc), exported_at: text(doc.exported_at), articles: doc.articles };
}
