/**
 * Broadsheet's own export format (`broadsheet export json`), version 1: one JSON object whose `articles` array holds
 * every article of every status with its comments. Commenters' email addresses are included: it is a private backup.
 *
 * ```
 * { "format": "broadsheet-export", "version": 1, "exported_at": "2026-11-29T12:00:00.000Z",
 *   "site": { "name": "The World News", "url": "https://news.example" },
 *   "sections": [ { "slug", "name", "description", "position", "legacy_paths" } ],
 *   "authors": [ { "slug", "name", "bio", "created_at", "email", "legacy_paths" } ], email: of the newsroom user writing as it, or ""
 *   "tags": [ { "slug", "name", "legacy_paths" } ],
 *   "articles": [ { "id", "kind": "article"|"page", "slug", "old_slugs": [slug…], "legacy_paths", "headline", "dek", "body_html",
 *     "dateline", "status", "comment_status", "published_at", "created_at", "updated_at", "revised_at",
 *     "section": slug|null, "authors": [slug…] (byline order), "tags": [slug…], "credits": [text…],
 *     "corrections": [ { "created_at", "text" } ], "featured_image": { "alt", "caption", "credit" }|null,
 *     "import_source", "import_key",
 *     "comments": [ { "id", "parent_id", "author_name", "author_email", "author_url", "body", "status",
 *       "created_at", "edited_at", "erased_at" } ] } ] }
 * ```
 * `legacy_paths` are the old addresses of imported content that redirect to the entry (importers/legacy-paths.ts):
 * `[ { "path": "/?p=12", "source": "wxr", "created_at" } ]`, path in its stored (normalised) form, source the
 * importer that first recorded it. Files written before they were exported have none, and are still version 1.
 * Times are ISO-8601 UTC (or null); `body` of a comment is the text as typed (its HTML is rendered again on import);
 * `featured_image` records the image's texts only (the image files are not in the export).
 */
import type { ArticleKind, ArticleStatus, CommentingStatus, CommentStatus } from '../../db/schema.ts';

export const EXPORT_FORMAT = 'broadsheet-export';
export const EXPORT_VERSION = 1;

/** An old address of imported content, as legacy_paths stores it. */
export interface ExportLegacyPath {
  path: string;
  source: string;
  created_at: string;
}

export interface ExportSection {
  slug: string;
  name: string;
  description: string;
  position: number;
  legacy_paths: ExportLegacyPath[];
}

export interface ExportAuthorEntry {
  slug: string;
  name: string;
  bio: string;
  created_at: string;
  email: string;
  legacy_paths: ExportLegacyPath[];
}

export interface ExportTag {
  slug: string;
  name: string;
  legacy_paths: ExportLegacyPath[];
}

export interface ExportCommentEntry {
  id: number;
  parent_id: number | null;
  author_name: string;
  author_email: string;
  author_url: string;
  body: string;
  status: CommentStatus;
  created_at: string;
  edited_at: string | null;
  erased_at: string | null;
}

export interface ExportArticleEntry {
  id: number;
  kind: ArticleKind;
  slug: string;
  old_slugs: string[];
  legacy_paths: ExportLegacyPath[];
  headline: string;
  dek: string;
  body_html: string;
  dateline: string;
  status: ArticleStatus;
  comment_status: CommentingStatus;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  revised_at: string | null;
  section: string | null;
  authors: string[];
  tags: string[];
  credits: string[];
  corrections: { created_at: string; text: string }[];
  featured_image: { alt: string; caption: string; credit: string } | null;
  import_source: string | null;
  import_key: string | null;
  comments: ExportCommentEntry[];
}

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exported_at: string;
  site: { name: string; url: string };
}

export interface ExportDocument extends ExportHeader {
  sections: ExportSection[];
  authors: ExportAuthorEntry[];
  tags: ExportTag[];
  articles: ExportArticleEntry[];
}
