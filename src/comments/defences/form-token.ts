/**
 * Two silent bot traps in the comment form. A honeypot field people never see (and so leave empty), and a signed
 * timestamp of when the form was served: a form sent back sooner than a person could fill it in is spam.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Name of the honeypot input: invisible to people (CSS), tempting to form-filling bots. */
export const HONEYPOT_FIELD = 'homepage';
/** Name of the hidden input carrying the signed time the form was served. */
export const FORM_TIME_FIELD = 'form_time';

/** A form older than this (ms) cannot be vouched for: the comment is held. */
export const FORM_TOKEN_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

function sign(secret: string, articleId: number, issuedMs: number): string {
  return createHmac('sha256', secret).update(`comment-form:${articleId}:${issuedMs}`).digest('hex').slice(0, 32);
}

/** `<ms since epoch>.<signature>`, bound to the article the form belongs to. */
export function issueFormTime(secret: string, articleId: number, nowMs: number): string {
  return `${nowMs}.${sign(secret, articleId, nowMs)}`;
}

export type FormTimeVerdict = { outcome: 'pass' } | { outcome: 'hold' | 'spam'; reason: string };

/**
 * Checks the form's signed time. Missing or expired: hold (a person may be behind it). Forged, or sent sooner
 * than `minSeconds` after it was served: spam.
 */
export function checkFormTime(secret: string, articleId: number, token: string, nowMs: number, minSeconds: number): FormTimeVerdict {
  const match = /^(\d{1,15})\.([0-9a-f]{32})$/.exec(token.trim());
  if (!token.trim()) return { outcome: 'hold', reason: 'the form was sent without its timing token' };
  if (!match) return { outcome: 'spam', reason: 'the form timing token is malformed' };
  const issuedMs = Number(match[1]);
  const expected = Buffer.from(sign(secret, articleId, issuedMs));
  if (!timingSafeEqual(expected, Buffer.from(match[2]!))) return { outcome: 'spam', reason: 'the form timing token is forged' };
  const elapsedMs = nowMs - issuedMs;
  if (elapsedMs < minSeconds * 1000) return { outcome: 'spam', reason: `sent ${Math.max(0, elapsedMs / 1000).toFixed(1)} s after the form was served (a person needs at least ${minSeconds} s)` };
  if (elapsedMs > FORM_TOKEN_MAX_AGE_MS) return { outcome: 'hold', reason: 'the form was more than 7 days old' };
  return { outcome: 'pass' };
}
