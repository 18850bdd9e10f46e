/** Reads a Ghost "Export your content" JSON file (Ghost 1–5) into the few tables an import needs. */
import { readFile } from 'node:fs/promises';
import { ImportFileError } from '../report.ts';

/** The file is not JSON, or not a Ghost export; `reason` is for the operator. */
export class GhostError extends ImportFileError {}

/** A row of Ghost's `posts` table (posts and, since Ghost 2, pages). Fields a given version lacks are undefined. */
export interface GhostPost {
  id: string;
  title?: string | null;
  slug?: string | null;
  html?: string | null;
  mobiledoc?: string | null;
  lexical?: string | null;
  type?: string | null;
  /** Ghost 1 exports mark pages with `page: true` (or 1) instead of `type: 'page'`. */
  page?: boolean | number | null;
  status?: string | null;
  visibility?: string | null;
  feature_image?: string | null;
  custom_excerpt?: string | null;
  published_at?: string | number | null;
  updated_at?: string | number | null;
  created_at?: string | number | null;
  /** Ghost 1–3: the single author before posts_authors. */
  author_id?: string | null;
}

export interface GhostTag {
  id: string;
  name?: string | null;
  slug?: string | null;
  description?: string | null;
  visibility?: string | null;
}

/** A staff user; only the public profile is read (never email or password). */
export interface GhostUser {
  id: string;
  name?: string | null;
  slug?: string | null;
  bio?: string | null;
}

export interface GhostPostLink {
  post_id: string;
  sort_order?: number | null;
}

/** Ghost 4+: feature image alt text and caption live beside the post. */
export interface GhostPostMeta {
  post_id: string;
  feature_image_alt?: string | null;
  feature_image_caption?: string | null;
}

export interface GhostExport {
  version: string;
  posts: GhostPost[];
  tags: GhostTag[];
  users: GhostUser[];
  postsTags: (GhostPostLink & { tag_id: string })[];
  postsAuthors: (GhostPostLink & { author_id: string })[];
  postsMeta: GhostPostMeta[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rows of `data[name]` that are objects with a string `id` (or the link columns), or [] when absent. */
function rows<T>(data: Record<string, unknown>, name: string, required: readonly string[]): T[] {
  const table = data[name];
  if (table === undefined || table === null) return [];
  if (!Array.isArray(table)) throw new GhostError(`"${name}" is not a list of rows`);
  return table.filter((r): r is T => isObject(r) && required.every((k) => typeof r[k] === 'string' || typeof r[k] === 'number')).map((r) => {
    const row = { ...(r as Record<string, unknown>) };
    for (const k of required) row[k] = String(row[k]);
    return row as T;
  });
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
  return {
    version: typeof meta.version === 'string' ? meta.version : '',
    posts: rows<GhostPost>(data, 'posts', ['id']),
    tags: rows<GhostTag>(data, 'tags', ['id']),
    users: rows<GhostUser>(data, 'users', ['id']),
    postsTags: rows(data, 'posts_tags', ['post_id', 'tag_id']),
    postsAuthors: rows(data, 'posts_authors', ['post_id', 'author_id']),
    postsMeta: rows(data, 'posts_meta', ['post_id']),
  };
}

/** Reads and parses the export at `path` (checked to exist and be non-empty by the caller). */
export async function readGhostExport(path: string): Promise<GhostExport> {
  return parseGhostExport(await readFile(path, 'utf8'));
}
