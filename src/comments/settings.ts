/**
 * Comment policy set by editors on the settings page: pre-moderation rules, word/email/IP lists, closing, threads,
 * limits, spam-defence thresholds, notifications and retention. Stored as one JSON value (settings key
 * "comments"); keys missing from an older stored value take their defaults.
 */
import validator from '../lib/validator-lite.ts';
import type { DB } from '../db/database.ts';
import { ValidationError } from '../lib/errors.ts';
import { stringField } from '../lib/form-input.ts';
import { findSetting } from '../settings/store.ts';
import { isIpRange } from './network.ts';

export interface CommentSettings {
  /** Hold every comment for moderation. */
  holdAll: boolean;
  /** Hold a comment unless its email address already has an approved comment. */
  holdFirstTime: boolean;
  /** Hold a comment with this many links or more; 0 turns the rule off. */
  holdLinkCount: number;
  /** Words or phrases that hold a comment (matched as whole words, any case, in name, website and text). */
  moderationWords: string[];
  /** Words or phrases that mark a comment as spam. */
  disallowedWords: string[];
  /** Addresses (`name@example.com`) or whole domains (`@example.com`) whose comments are spam. */
  disallowedEmails: string[];
  /** IP addresses or CIDR ranges (`203.0.113.0/24`, `2001:db8::/32`) whose comments are spam. */
  disallowedIpRanges: string[];
  /** Close comments this many days after publication; 0 keeps them open. */
  closeAfterDays: number;
  /** Deepest reply level; deeper replies attach at this level. */
  maxDepth: number;
  /** Top-level comments per page. */
  perPage: number;
  /** Order of top-level comments (replies are always oldest first under their parent). */
  order: 'oldest' | 'newest';
  /** Longest comment, in characters (code points). */
  maxLength: number;
  /** Reader reports that send an approved comment back to the moderation queue. */
  reportThreshold: number;
  /** Minutes in which commenters may edit or delete their own comment; 0 turns it off. */
  editWindowMinutes: number;
  /** Days after which IP hashes and user agents are removed from comments. */
  ipRetentionDays: number;
  /** A form sent sooner than this many seconds after the page was served is spam. */
  minFillSeconds: number;
  /** A second comment from the same network or email within this many seconds is refused. */
  floodSeconds: number;
  /** Comments per hour allowed from one IP address and from one email address. */
  maxPerHour: number;
  /** Email moderators about held comments: each at once, an hourly digest, or not at all. */
  moderatorNotify: 'immediate' | 'digest' | 'off';
  /** Email the article's authors (those with a newsroom account) about new approved comments. */
  notifyAuthors: boolean;
}

export const DEFAULT_COMMENT_SETTINGS: Readonly<CommentSettings> = Object.freeze({
  holdAll: false,
  holdFirstTime: true,
  holdLinkCount: 2,
  moderationWords: [],
  disallowedWords: [],
  disallowedEmails: [],
  disallowedIpRanges: [],
  closeAfterDays: 0,
  maxDepth: 5,
  perPage: 50,
  order: 'oldest',
  maxLength: 5000,
  reportThreshold: 3,
  editWindowMinutes: 10,
  ipRetentionDays: 90,
  minFillSeconds: 3,
  floodSeconds: 15,
  maxPerHour: 10,
  moderatorNotify: 'immediate',
  notifyAuthors: true,
});

/** The settings key the comment settings are stored under (as one JSON value). */
export const COMMENT_SETTINGS_KEY = 'comments';
const SETTINGS_KEY = COMMENT_SETTINGS_KEY;

/** The current comment settings (defaults for anything never saved). */
export async function loadCommentSettings(db: DB): Promise<CommentSettings> {
  return commentSettingsFrom(await findSetting(db, SETTINGS_KEY));
}

/** Comment settings from their stored JSON value (read with other data, e.g. articles/store.ts findArticleWithLinks); defaults when absent. */
export function commentSettingsFrom(stored: string | undefined): CommentSettings {
  if (!stored) return { ...DEFAULT_COMMENT_SETTINGS };
  // Every post and page reads the same stored value: parsed once while it stays the same (each caller gets a copy).
  if (stored !== lastParsed.stored) lastParsed = { stored, settings: { ...DEFAULT_COMMENT_SETTINGS, ...(JSON.parse(stored) as Partial<CommentSettings>) } };
  return { ...lastParsed.settings, ...listCopies(lastParsed.settings) };
}

let lastParsed: { stored?: string; settings: CommentSettings } = { settings: DEFAULT_COMMENT_SETTINGS };

/** Fresh copies of the list settings, so that a caller changing one cannot change what the next caller reads. */
function listCopies(settings: CommentSettings): Pick<CommentSettings, (typeof LISTS)[number]> {
  return { moderationWords: [...settings.moderationWords], disallowedWords: [...settings.disallowedWords], disallowedEmails: [...settings.disallowedEmails], disallowedIpRanges: [...settings.disallowedIpRanges] };
}

/** Stores `settings` whole (callers validate first with `parseCommentSettingsForm`). */
export async function saveCommentSettings(db: DB, settings: CommentSettings): Promise<void> {
  const value = JSON.stringify(settings);
  await db
    .insertInto('settings')
    .values({ key: SETTINGS_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Whole numbers the form accepts: field → [least, greatest]. */
const NUMBER_RANGES = {
  holdLinkCount: [0, 100],
  closeAfterDays: [0, 3650],
  maxDepth: [1, 10],
  perPage: [5, 500],
  maxLength: [100, 20_000],
  reportThreshold: [1, 100],
  editWindowMinutes: [0, 1440],
  ipRetentionDays: [1, 3650],
  minFillSeconds: [0, 600],
  floodSeconds: [0, 3600],
  maxPerHour: [1, 10_000],
} as const satisfies Partial<Record<keyof CommentSettings, readonly [number, number]>>;

const BOOLEANS = ['holdAll', 'holdFirstTime', 'notifyAuthors'] as const;
const LISTS = ['moderationWords', 'disallowedWords', 'disallowedEmails', 'disallowedIpRanges'] as const;

/** One entry per line, trimmed, blanks and repeats dropped. */
function listOf(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))];
}

function isEmailEntry(entry: string): boolean {
  if (entry.startsWith('@')) return validator.isFQDN(entry.slice(1));
  return validator.isEmail(entry);
}

/**
 * Reads the settings form (checkboxes present = on; lists one entry per line). Throws ValidationError naming each
 * bad field (e.g. a number out of range, an address that is not an email or domain, an IP range that does not parse).
 */
export function parseCommentSettingsForm(body: unknown): CommentSettings {
  const errors: Record<string, string> = {};
  const settings = { ...DEFAULT_COMMENT_SETTINGS } as CommentSettings;
  for (const [field, [least, greatest]] of Object.entries(NUMBER_RANGES) as [keyof typeof NUMBER_RANGES, readonly [number, number]][]) {
    const raw = stringField(body, field).trim();
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < least || value > greatest) errors[field] = `Enter a whole number from ${least} to ${greatest}.`;
    else settings[field] = value;
  }
  for (const field of BOOLEANS) settings[field] = stringField(body, field) !== '';
  // Words and addresses match in any case, so they are kept lowercased (and "Casino" and "casino" are one entry).
  for (const field of LISTS) settings[field] = listOf(field === 'disallowedIpRanges' ? stringField(body, field) : stringField(body, field).toLowerCase());

  const badEmails = settings.disallowedEmails.filter((entry) => !isEmailEntry(entry));
  if (badEmails.length) errors.disallowedEmails = `Not an email address or @domain: ${badEmails.slice(0, 3).join(', ')}.`;
  const badRanges = settings.disallowedIpRanges.filter((entry) => !isIpRange(entry));
  if (badRanges.length) errors.disallowedIpRanges = `Not an IP address or CIDR range: ${badRanges.slice(0, 3).join(', ')}.`;

  const order = stringField(body, 'order');
  if (order === 'oldest' || order === 'newest') settings.order = order;
  else errors.order = 'Choose oldest or newest first.';
  const notify = stringField(body, 'moderatorNotify');
  if (notify === 'immediate' || notify === 'digest' || notify === 'off') settings.moderatorNotify = notify;
  else errors.moderatorNotify = 'Choose immediately, hourly digest or never.';

  if (Object.keys(errors).length) throw new ValidationError(errors);
  return settings;
}
