/** Banning commenters from the newsroom: by email address, IP hash or network hash, optionally sending their waiting comments to spam. */
import validator from '../../lib/validator-lite.ts';
import type { CommentBanKind } from '../../db/schema.ts';
import { isoNow } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import { moderateComments, type ModerationDeps } from '../moderation.ts';
import { insertBan } from './bans-store.ts';
import { pendingIdsOf, type CommenterKey } from './queue-store.ts';

export const BAN_KINDS: readonly CommentBanKind[] = ['email', 'ip', 'network'];

/** Longest note kept with a ban, in characters. */
export const BAN_NOTE_MAX = 500;

const HASH = /^[0-9a-f]{64}$/;

/**
 * The commenter a form or query names, normalised (email lowercased and trimmed), or undefined when `kind` is
 * not a ban kind or `value` is not a plausible email address / 64-hex-digit hash.
 */
export function parseCommenterKey(kind: string, value: string): CommenterKey | undefined {
  if (!(BAN_KINDS as readonly string[]).includes(kind)) return undefined;
  const clean = kind === 'email' ? value.trim().toLowerCase() : value.trim();
  if (kind === 'email' ? !validator.isEmail(clean) : !HASH.test(clean)) return undefined;
  return { kind: kind as CommentBanKind, value: clean };
}

export interface BanRequest {
  kind: string;
  value: string;
  note: string;
  /** Also mark the commenter's pending comments as spam. */
  spamPending: boolean;
}

/**
 * Stores a ban (a second ban of the same commenter changes nothing) and, when asked, marks their pending comments
 * as spam with the ban as the reason. Returns the key banned and how many comments went to spam. Throws
 * ValidationError (fields: value, note) for an unknown kind, a bad value or an over-long note.
 */
export async function banCommenter(deps: ModerationDeps, userId: number, request: BanRequest): Promise<{ key: CommenterKey; spammed: number }> {
  const key = parseCommenterKey(request.kind, request.value);
  if (!key) throw new ValidationError({ value: 'Choose an email address, IP or network to ban.' });
  const note = request.note.trim();
  if ([...note].length > BAN_NOTE_MAX) throw new ValidationError({ note: `The note is too long (at most ${BAN_NOTE_MAX} characters).` });
  await insertBan(deps.db, { kind: key.kind, value: key.value, note, userId, at: isoNow(deps.clock) });
  if (!request.spamPending) return { key, spammed: 0 };
  const ids = await pendingIdsOf(deps.db, key);
  const changed = await moderateComments(deps, ids, 'spam', { userId, reason: `commenter banned (${key.kind})` });
  return { key, spammed: changed.length };
}
