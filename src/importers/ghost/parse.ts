/** Reads a Ghost "Export your content" JSON file (Ghost 1–5) into the few tables an import needs. */
import { readFile } from 'node:fs/promises';
import { ImportFileError } from '../report.ts';

/** The file is not JSON, or not a Ghost export; `reason` is for the operator. */
export class GhostError extends ImportFileError {}

/**
 * A row of Ghost's `posts` table (posts and, since Ghost 2, pages), read through textField and dateField: a field
 * the version lacks (or null) is undefined.
 */
export interface GhostPost {
  id: string;
  title?: string;
  slug?: string;
  html?: string;
  mobiledoc?: string;
  lexical?: string;
  type?: string;
  /** Ghost 1 exports mark pages with `page: true` (or 1) instead of `type: 'page'`. */
  page?: boolean;
  status?: string;
  visibility?: string;
  feature_image?: string;
  custom_excerpt?: string;
  /** ISO-8601 UTC. */
  published_at?: string;
  /** Ghost 1–3: the single author before posts_authors. */
  author_id?: string;
}

export interface GhostTag {
  id: string;
  name?: string;
  slug?: string;
  visibility?: string;
}

/** A staff user; only the public profile is read (never email or password). */
export interface GhostUser {
  id: string;
  name?: string;
  slug?: string;
  bio?: string;
}

export interface GhostPostLink {
  post_id: string;
  sort_order?: number | null;
}

/** Ghost 4+: feature image alt text and caption live beside the post. */
export interface GhostPostMeta {
  post_id: string;
  feature_image_alt?: string;
  feature_image_caption?: string;
}

/** A row left out because a field has the wrong JSON type; reported as skipped, the rest imports. */
export interface UnreadableRow {
  kind: 'post' | 'page' | 'tag' | 'user' | 'post meta';
  id: string;
  /** The title or name when it is text, else ''. */
  title: string;
  /** `title: expected text, got number` */
  reason: string;
}

export interface GhostExport {
  version: string;
  posts: GhostPost[];
  tags: GhostTag[];
  users: GhostUser[];
  postsTags: (GhostPostLink & { tag_id: string })[];
  postsAuthors: (GhostPostLink & { author_id: string })[];
  postsMeta: GhostPostMeta[];
  unreadable: UnreadableRow[];
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field of a row with the wrong JSON type: the row is left out, with this message as the reason. */
class FieldTypeError extends Error {}

const jsonType = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** The one way a text field is read: a string as it is, null or missing as absent; any other type throws FieldTypeError. */
function textField(row: Raw, field: string): string | undefined {
  const v = row[field];
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  throw new FieldTypeError(`${field}: expected text, got ${jsonType(v)}`);
}

/** An id that old exports may write as a number. */
function idField(row: Raw, field: string): string | undefined {
  return typeof row[field] === 'number' ? String(row[field]) : textField(row, field);
}

/**
 * A Ghost time as ISO-8601 UTC: ISO-8601 with Z, 'YYYY-MM-DD HH:mm:ss' in UTC, or epoch ms in old exports; null,
 * missing or '' as absent. Anything else, or a time that cannot be read, throws FieldTypeError (never "now").
 */
function dateField(row: Raw, field: string): string | undefined {
  const v = row[field];
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new FieldTypeError(`${field}: expected a date, got ${jsonType(v)}`);
  const ms = typeof v === 'number' ? v : /^\d{4}-\d\d-\d\d \d/.test(v) && !/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? Date.parse(`${v.replace(' ', 'T')}Z`) : Date.parse(v);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new FieldTypeError(`${field}: not a date: ${JSON.stringify(v)}`);
  return date.toISOString();
}

const readPost = (r: Raw): GhostPost => ({
  id: String(r.id),
  title: textField(r, 'title'),
  slug: textField(r, 'slug'),
  html: textField(r, 'html'),
  mobiledoc: textField(r, 'mobiledoc'),
  lexical: textField(r, 'lexical'),
  type: textField(r, 'type'),
  page: r.page === true || r.page === 1,
  status: textField(r, 'status'),
  visibility: textField(r, 'visibility'),
  feature_image: textField(r, 'feature_image'),
  custom_excerpt: textField(r, 'custom_excerpt'),
  published_at: dateField(r, 'published_at'),
  author_id: idField(r, 'author_id'),
});
const readTag = (r: Raw): GhostTag => ({ id: String(r.id), name: textField(r, 'name'), slug: textField(r, 'slug'), visibility: textField(r, 'visibility') });
const readUser = (r: Raw): GhostUser => ({ id: String(r.id), name: textField(r, 'name'), slug: textField(r, 'slug'), bio: textField(r, 'bio') });
const readMeta = (r: Raw): GhostPostMeta => ({ post_id: String(r.post_id), feature_image_alt: textField(r, 'feature_image_alt'), feature_image_caption: textField(r, 'feature_image_caption') });

/** The rows of `data[name]` that are objects with a string or number `id` (or the link columns, as strings), or [] when absent. */
function rows<T = Raw>(data: Raw, name: string, required: readonly string[]): T[] {
  const table = data[name];
  if (table === undefined || table === null) return [];
  if (!Array.isArray(table)) throw new GhostError(`"${name}" is not a list of rows`);
  return table.filter((r): r is Raw => isObject(r) && required.every((k) => typeof r[k] === 'string' || typeof r[k] === 'number')).map((r) => {
    const row = { ...r };
    for (const k of required) row[k] = String(row[k]);
    return row as T;
  });
}

/** Each row through `read`; a row with a field of the wrong type goes to `unreadable` as `kind`, named by `titleField`. */
function readEach<T>(raws: Raw[], read: (r: Raw) => T, unreadable: UnreadableRow[], kind: (r: Raw) => UnreadableRow['kind'], titleField: string, idField = 'id'): T[] {
  const out: T[] = [];
  for (const r of raws) {
    try {
      out.push(read(r));
    } catch (error) {
      if (!(error instanceof FieldTypeError)) throw error;
      const title = r[titleField];
      unreadable.push({ kind: kind(r), id: String(r[idField]), title: typeof title === 'string' ? title.trim() : '', reason: error.message });
    }
  }
  return out;
}

/**
 * The export in `text`: `{db:[{meta, data}]}` as Ghost writes it, or the bare `{meta, data}` some tools produce.
 * Throws GhostError for anything else, before the caller writes.
 */
export function parseGhostExport(text: string): GhostExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GhostError(`not JSON (${(error as Error).message})`);
  }
  const root = isObject(json) && Array.isArray(json.db) ? json.db[0] : json;
  if (!isObject(root) || !isObject(root.data) || !isObject(root.meta)) throw new GhostError('not a Ghost export (no db[0].meta and db[0].data)');
  const { data, meta } = root;
  if (!Array.isArray(data.posts)) throw new GhostError('not a Ghost export (no posts table)');
  const unreadable: UnreadableRow[] = [];
  const postKind = (r: Raw): 'post' | 'page' => (r.type === 'page' || r.page === true || r.page === 1 ? 'page' : 'post');
  return {
    version: typeof meta.version === 'string' ? meta.version : '',
    posts: readEach(rows(data, 'posts', ['id']), readPost, unreadable, postKind, 'title'),
    tags: readEach(rows(data, 'tags', ['id']), readTag, unreadable, () => 'tag', 'name'),
    users: readEach(rows(data, 'users', ['id']), readUser, unreadable, () => 'user', 'name'),
    postsTags: rows(data, 'posts_tags', ['post_id', 'tag_id']),
    postsAuthors: rows(data, 'posts_authors', ['post_id', 'author_id']),
    postsMeta: readEach(rows(data, 'posts_meta', ['post_id']), readMeta, unreadable, () => 'post meta', '', 'post_id'),
    unreadable,
  };
}

/** Reads and parses the export at `path` (checked to exist and be non-empty by the caller). */
export async function readGhostExport(path: string): Promise<GhostExport> {
  return parseGhostExport(await readFile(path, 'utf8'));
}
