/** Kysely table types of Broadsheet's schema; timestamps are ISO-8601 UTC text, ids are integers, on both dialects. */
import type { Generated, Insertable, Selectable } from 'kysely';

/** Workflow: draft → pending (review) → scheduled → published → unpublished. */
export type ArticleStatus = 'draft' | 'pending' | 'scheduled' | 'published' | 'unpublished';
export type ArticleKind = 'article' | 'page';
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
  /** 'page': published like an article but never listed (front page, archives, feeds, news sitemap). */
  kind: Generated<ArticleKind>;
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
  /** The text as the commenter typed it (a small Markdown subset, see comments/format.ts); the source for edits. */
  body: string;
  /** `body` rendered and sanitised (comments/format.ts); what readers see. */
  body_html: Generated<string>;
  status: CommentStatus;
  created_at: string;
  /** HMAC-SHA256 of the client IP with the site secret (hex); the IP itself is not stored. '' after the retention period. */
  ip_hash: string;
  /** Keyed hash of the client's network (IPv4 /24, IPv6 /48), for network bans; '' after the retention period. */
  network_hash: Generated<string>;
  user_agent: Generated<string>;
  /** Last edit by the commenter or a moderator. */
  edited_at: string | null;
  /** 0/1: the commenter asked to be emailed about replies. */
  notify_replies: Generated<number>;
  /** Readers who reported the comment (one per reader). */
  report_count: Generated<number>;
  /** Set when the commenter's data was erased; the row stays as "[deleted]" because replies hang from it. */
  erased_at: string | null;
  /** Why the comment has its current status, e.g. "held: first comment from this email address". */
  moderation_reason: Generated<string>;
  /** Where an imported comment came from ('wxr', 'json', …) and its id there; null for comments posted here. */
  import_source: Generated<string | null>;
  import_key: Generated<string | null>;
  /**
   * 1 when the parent exists and is approved, else 0 (and 0 for a top-level comment). Kept by database triggers
   * (migration 2026-11-29T2010-thread-pages), never written by the app: where readers' threads start.
   */
  parent_approved: Generated<number>;
}

/** One moderation decision: the pipeline's on arrival (user_id null) or a moderator's action. */
export interface CommentEventTable {
  id: Generated<number>;
  comment_id: number;
  created_at: string;
  user_id: number | null;
  /** e.g. "posted", "approve", "spam", "reported", "edit". */
  action: string;
  /** The comment's status after the decision. */
  status: CommentStatus;
  reason: Generated<string>;
}

export interface CommentReportTable {
  comment_id: number;
  /** Keyed hash identifying the reporting reader (their IP hash), so each reader counts once. */
  reporter_hash: string;
  created_at: string;
  reason: Generated<string>;
}

export type CommentBanKind = 'email' | 'ip' | 'network';

export interface CommentBanTable {
  id: Generated<number>;
  kind: CommentBanKind;
  /** Lowercased email, or an IP / network hash (never a raw address). */
  value: string;
  note: Generated<string>;
  user_id: number | null;
  created_at: string;
}

/**
 * An article's plain comment threads (approved top-level comments, not erased), kept by triggers on comments
 * (migration 2026-11-30T0300); no row while it has none.
 */
export interface CommentThreadCountTable {
  article_id: number;
  plain_threads: number;
}

/** A notification sent (or being sent) about a comment: at most one per recipient and kind. */
export interface CommentNotificationTable {
  comment_id: number;
  /** Lowercased email address. */
  recipient: string;
  /** "reply", "author", "held". */
  kind: string;
  created_at: string;
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

/** A content API key or write token; the secret itself is never stored. */
export interface ApiTokenTable {
  id: Generated<number>;
  /** What the key is for, as its creator named it ("Apple News", "Print desk importer"). */
  name: string;
  /** SHA-256 (hex) of the secret. */
  token_hash: string;
  /** Last four characters of the secret, to tell keys apart in the newsroom. */
  hint: string;
  /** Space-separated scope names (see distribution/api/scopes.ts). */
  scopes: string;
  /** The newsroom user who created it; write requests act as this user, with their current role. */
  user_id: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
}

/** An endpoint told about published content with signed JSON POSTs (distribution/webhooks). */
export interface WebhookTable {
  id: Generated<number>;
  /** http(s) URL without credentials. */
  url: string;
  /** HMAC-SHA256 key (hex) for the X-Broadsheet-Signature header; shown to admins. */
  secret: string;
  /** JSON array of subscribed event names, e.g. ["article.published"]. */
  events: string;
  /** 0/1: a disabled webhook gets no new deliveries and its pending ones wait. */
  active: Generated<number>;
  created_at: string;
  updated_at: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to send to one webhook (the outbox); retried with backoff until delivered or given up. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: number;
  /** A site event name, or "ping" for a test sent from the admin. */
  event: string;
  /** The JSON body sent (and signed) on every attempt. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  /** When the next attempt is due (pending only); null once delivered or failed. */
  next_attempt_at: string | null;
  /** Lease of the worker sending it now; another instance may take the delivery only after this time. */
  claimed_until: string | null;
  last_status_code: number | null;
  last_error: Generated<string>;
  created_at: string;
  delivered_at: string | null;
}

/** One HTTP attempt of a delivery, for the delivery log. */
export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: string;
  /** HTTP status of the response; null when there was none (timeout, refused, blocked address). */
  status_code: number | null;
  error: Generated<string>;
  duration_ms: number;
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
  comment_events: CommentEventTable;
  comment_reports: CommentReportTable;
  comment_bans: CommentBanTable;
  comment_notifications: CommentNotificationTable;
  comment_thread_counts: CommentThreadCountTable;
  settings: SettingTable;
  users: UserTable;
  sessions: SessionTable;
  user_tokens: UserTokenTable;
  auth_throttle: AuthThrottleTable;
  slug_redirects: SlugRedirectTable;
  revisions: RevisionTable;
  corrections: CorrectionTable;
  media: MediaTable;
  api_tokens: ApiTokenTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  legacy_paths: LegacyPathTable;
  import_attachments: ImportAttachmentTable;
}

/**
 * An old address of imported content, e.g. `/?p=123` or `/2019/04/01/harbour-bridge/` (normalised by
 * importers/legacy-paths.ts), answered with a 301 to where the target lives now.
 */
export interface LegacyPathTable {
  path: string;
  target_kind: LegacyTargetKind;
  target_id: number;
  /** The importer that recorded it: 'wxr', 'ghost'. */
  source: string;
  created_at: string;
}
export type LegacyTargetKind = 'article' | 'section' | 'tag' | 'author';

/** An attachment or featured image met by an import, with its original URL; media_id once a copy is stored. */
export interface ImportAttachmentTable {
  id: Generated<number>;
  import_source: string;
  import_key: string;
  url: string;
  title: Generated<string>;
  article_id: number | null;
  media_id: number | null;
  created_at: string;
}

export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type SectionRow = Selectable<SectionTable>;
export type AuthorRow = Selectable<AuthorTable>;
export type TagRow = Selectable<TagTable>;
export type CommentRow = Selectable<CommentTable>;
export type UserRow = Selectable<UserTable>;

/**
 * The search index entry of one article (any status; readers' visibility is applied when searching): the distinct
 * folded terms of each field (distribution/search/tokens.ts). SQLite keeps it in the FTS5 table
 * `article_search(headline, dek, tags, body)` with rowid = article id; PostgreSQL in `article_search(article_id,
 * document tsvector)` with the headline at weight A, dek and tags B, body C. The two tables differ, so they are
 * not part of `Database`: only the search helpers of db/dialect.ts read and write them.
 */
export interface ArticleSearchDocument {
  headline: string[];
  dek: string[];
  tags: string[];
  body: string[];
}
