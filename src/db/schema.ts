/** Kysely table types of Broadsheet's schema; timestamps are ISO-8601 UTC text, ids are integers, on both dialects. */
import type { Generated, Insertable, Selectable } from 'kysely';

/** Workflow: draft → pending (review) → scheduled → published → unpublished. */
export type ArticleStatus = 'draft' | 'pending' | 'scheduled' | 'published' | 'unpublished';
export type CommentStatus = 'approved' | 'pending' | 'spam' | 'trash';
export type CommentingStatus = 'open' | 'closed';

export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  position: Generated<number>;
}

export interface AuthorTable {
  id: Generated<number>;
  slug: string;
  name: string;
  bio: Generated<string>;
  created_at: string;
}

export interface TagTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface ArticleTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  dek: Generated<string>;
  /** Sanitised HTML (see lib/sanitize.ts); never raw input. */
  body_html: string;
  /** Place line of the dateline, e.g. "BEIJING"; the date comes from published_at. */
  dateline: Generated<string>;
  status: ArticleStatus;
  section_id: number | null;
  comment_status: Generated<CommentingStatus>;
  /** Approved comments, maintained in the same transaction as each comment write. */
  comment_count: Generated<number>;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  featured_media_id: number | null;
  /** Alternative text of the featured image (required with an image). */
  featured_alt: Generated<string>;
  featured_caption: Generated<string>;
  /** Photo credit, e.g. "Jane Doe for The World News". */
  featured_credit: Generated<string>;
  /** Last substantial change of a published article (headline, dek, body, or a correction); readers see "Updated …". */
  revised_at: string | null;
  /** Optimistic lock: bumped by every save; a save based on an older version is refused. */
  version: Generated<number>;
  /** Where an imported article came from ("capture", later "wxr", "ghost") and its key there; re-imports update by this pair. */
  import_source: string | null;
  import_key: string | null;
}

export interface ArticleAuthorTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
  position: number;
}

export interface CreditTable {
  id: Generated<number>;
  article_id: number;
  position: number;
  /** The whole credit line as published, e.g. "Olivia Wang contributed research." */
  text: string;
}

export interface CommentTable {
  id: Generated<number>;
  article_id: number;
  parent_id: number | null;
  author_name: string;
  /** Private: never rendered in any public output. */
  author_email: string;
  author_url: Generated<string>;
  /** Plain text as typed; escaped when rendered. */
  body: string;
  status: CommentStatus;
  created_at: string;
  /** HMAC-SHA256 of the client IP with the site secret (hex); the IP itself is not stored. */
  ip_hash: string;
  user_agent: Generated<string>;
}

export type Role = 'contributor' | 'author' | 'editor' | 'admin';

export interface UserTable {
  id: Generated<number>;
  /** Lowercased; unique. */
  email: string;
  display_name: string;
  role: Role;
  /** argon2id PHC string; null until an invited user sets a password. */
  password_hash: string | null;
  /** The byline profile this user writes as. */
  author_id: number | null;
  /** 0/1 */
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** SHA-256 (hex) of the session token; the token itself lives only in the reader's cookie. */
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry, ISO-8601 UTC. */
  expires_at: string;
  ip_hash: string;
  user_agent: Generated<string>;
}

export interface UserTokenTable {
  /** SHA-256 (hex) of the emailed token. */
  token_hash: string;
  user_id: number;
  purpose: 'reset' | 'invite';
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuthThrottleTable {
  /** `account:<email>` or `ip:<ip hash>` */
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface SlugRedirectTable {
  old_slug: string;
  article_id: number;
  created_at: string;
}

export interface RevisionTable {
  id: Generated<number>;
  article_id: number;
  /** The article version this revision saved. */
  version: number;
  user_id: number | null;
  created_at: string;
  /** What changed, e.g. "headline, body". */
  summary: Generated<string>;
  /** JSON of the editable fields (see newsroom/revisions.ts). */
  snapshot: string;
}

export interface CorrectionTable {
  id: Generated<number>;
  article_id: number;
  user_id: number | null;
  created_at: string;
  /** Plain text, e.g. "An earlier version of this article misstated the date of the vote." */
  text: string;
}

export interface MediaTable {
  id: Generated<number>;
  original_name: string;
  /** sharp's name of the uploaded format: jpeg, png, webp, avif, gif. */
  format: string;
  /** Pixels, after EXIF orientation. */
  width: number;
  height: number;
  bytes: number;
  /** JSON array of MediaVariant (see media/images.ts). */
  variants: string;
  uploaded_by: number | null;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  sections: SectionTable;
  authors: AuthorTable;
  tags: TagTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  article_tags: ArticleTagTable;
  credits: CreditTable;
  comments: CommentTable;
  settings: SettingTable;
  users: UserTable;
  sessions: SessionTable;
  user_tokens: UserTokenTable;
  auth_throttle: AuthThrottleTable;
  slug_redirects: SlugRedirectTable;
  revisions: RevisionTable;
  corrections: CorrectionTable;
  media: MediaTable;
}

export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type SectionRow = Selectable<SectionTable>;
export type AuthorRow = Selectable<AuthorTable>;
export type TagRow = Selectable<TagTable>;
export type CommentRow = Selectable<CommentTable>;
export type UserRow = Selectable<UserTable>;
