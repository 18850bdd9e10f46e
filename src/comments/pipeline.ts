/**
 * The comment posting pipeline: one ordered list of checks every new comment passes through —
 * closed? → length and form → disallowed words, emails, IP ranges and bans → hold rules → spam checks → rate limits.
 * A check refuses (an AppError: the reader gets a clear message and their text back), marks the comment as spam,
 * holds it for moderation, or lets it pass. A check that cannot run (an exception, missing request data) holds
 * the comment: the pipeline fails closed and never publishes what it could not check. Every finding is kept as
 * a reason for moderators.
 */
import type { DB } from '../db/database.ts';
import type { CommentStatus, CommentingStatus } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, Conflict, Forbidden, TooManyRequests, ValidationError } from '../lib/errors.ts';
import { checkFormTime } from './defences/form-token.ts';
import type { CommentRateLimiter } from './defences/rate-limit.ts';
import type { SpamChecker } from './defences/spam-check.ts';
import { countLinks } from './format.ts';
import { commentTextFields, PARENT_GONE, type CommentFormValues, type ValidComment } from './form.ts';
import { hashIp, hashNetwork, matchingRange } from './network.ts';
import type { CommentSettings } from './settings.ts';
import { findPostingFacts, type PostingFacts } from './store.ts';

export interface PipelineDeps {
  db: DB;
  clock: Clock;
  secret: string;
  rateLimiter: CommentRateLimiter;
  /** Third-party spam check (Akismet) when configured. */
  spamChecker?: SpamChecker;
}

export interface CommentArticle {
  id: number;
  commentStatus: CommentingStatus;
  /** ISO-8601 UTC. */
  publishedAt: string;
  /** Absolute URL of the article page. */
  url: string;
}

/** The request as the pipeline sees it; the raw IP is used here and never stored. */
export interface PostingRequest {
  ip: string;
  userAgent: string;
  referrer: string;
  /** The honeypot field's value (should be empty). */
  honeypot: string;
  /** The form's signed serving time. */
  formTime: string;
}

export interface Screened {
  comment: ValidComment;
  html: string;
  status: CommentStatus;
  /** Why the comment got its status, for moderators. */
  reason: string;
  ipHash: string;
  networkHash: string;
}

interface Finding {
  outcome: 'hold' | 'spam';
  reason: string;
}

interface Candidate {
  article: CommentArticle;
  comment: ValidComment;
  html: string;
  request: PostingRequest;
  ipHash: string;
  networkHash: string;
  settings: CommentSettings;
  findings: Finding[];
  /**
   * What the checks ask the database, read in one statement before they run (store.findPostingFacts); the error
   * when that failed, which each check that needs the facts throws in turn (so it is held as a check that could not run).
   */
  facts: PostingFacts | { error: unknown };
}

/** The candidate's facts, or the error that kept them from being read. */
function factsOf(c: Candidate): PostingFacts {
  if ('error' in c.facts) throw c.facts.error;
  return c.facts;
}

type Check = { name: string; run(deps: PipelineDeps, candidate: Candidate): Promise<Finding[]> };

/** `word` as a whole word or phrase, any case, in any script. */
function containsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/** The first of `words` in the comment's name, website or text. */
function firstWordIn(comment: Pick<ValidComment, 'authorName' | 'url' | 'body'>, words: readonly string[]): string | undefined {
  const text = `${comment.authorName}\n${comment.url}\n${comment.body}`;
  return words.find((word) => containsWord(text, word));
}

/** Whether comments on `article` are closed now, and the reader-facing reason. */
export function closedReason(article: Pick<CommentArticle, 'commentStatus' | 'publishedAt'>, settings: CommentSettings, now: Date): string | undefined {
  if (article.commentStatus !== 'open') return 'Comments are closed on this article.';
  if (settings.closeAfterDays > 0 && now.getTime() - Date.parse(article.publishedAt) > settings.closeAfterDays * 86_400_000) {
    return `Comments close ${settings.closeAfterDays} ${settings.closeAfterDays === 1 ? 'day' : 'days'} after publication; this article is older.`;
  }
  return undefined;
}

const disallowed: Check = {
  name: 'disallowed words, emails and IP ranges',
  async run(_deps, c) {
    const found: Finding[] = [];
    const word = firstWordIn(c.comment, c.settings.disallowedWords);
    if (word) found.push({ outcome: 'spam', reason: `contains the disallowed word "${word}"` });
    const email = c.comment.email;
    const listed = c.settings.disallowedEmails.find((entry) => (entry.startsWith('@') ? email.endsWith(entry) : email === entry));
    if (listed) found.push({ outcome: 'spam', reason: `the email address matches the disallowed "${listed}"` });
    const range = matchingRange(c.request.ip, c.settings.disallowedIpRanges);
    if (range) found.push({ outcome: 'spam', reason: `the IP address is in the disallowed range ${range}` });
    const { banned } = factsOf(c);
    if (banned.email) found.push({ outcome: 'spam', reason: 'the email address is banned' });
    if (banned.ip) found.push({ outcome: 'spam', reason: 'the IP address is banned' });
    if (banned.network) found.push({ outcome: 'spam', reason: 'the network is banned' });
    return found;
  },
};

const holdRules: Check = {
  name: 'hold rules',
  async run(_deps, c) {
    const found: Finding[] = [];
    if (c.settings.holdAll) found.push({ outcome: 'hold', reason: 'every comment is held for moderation (setting)' });
    const links = countLinks(c.html);
    if (c.settings.holdLinkCount > 0 && links >= c.settings.holdLinkCount) found.push({ outcome: 'hold', reason: `contains ${links} links (held at ${c.settings.holdLinkCount} or more)` });
    const word = firstWordIn(c.comment, c.settings.moderationWords);
    if (word) found.push({ outcome: 'hold', reason: `contains the moderation word "${word}"` });
    if (c.settings.holdFirstTime && !factsOf(c).approvedBefore) found.push({ outcome: 'hold', reason: 'first comment from this email address' });
    return found;
  },
};

const spamChecks: Check = {
  name: 'spam checks',
  async run(deps, c) {
    const found: Finding[] = [];
    if (c.request.honeypot !== '') found.push({ outcome: 'spam', reason: 'the hidden honeypot field was filled in' });
    const time = checkFormTime(deps.secret, c.article.id, c.request.formTime, deps.clock.now().getTime(), c.settings.minFillSeconds);
    if (time.outcome !== 'pass') found.push({ outcome: time.outcome, reason: time.reason });
    if (factsOf(c).duplicate) throw new Conflict('You have already posted this comment.');
    const alreadySpam = [...c.findings, ...found].some((f) => f.outcome === 'spam');
    if (deps.spamChecker && !alreadySpam) {
      const verdict = await deps.spamChecker.check({
        ip: c.request.ip,
        userAgent: c.request.userAgent,
        referrer: c.request.referrer,
        permalink: c.article.url,
        authorName: c.comment.authorName,
        email: c.comment.email,
        url: c.comment.url,
        body: c.comment.body,
        isReply: c.comment.parentId !== null,
      });
      if (verdict.spam) found.push({ outcome: 'spam', reason: verdict.reason });
    }
    return found;
  },
};

const rateLimits: Check = {
  name: 'rate limits',
  async run(deps, c) {
    if (c.settings.floodSeconds > 0) {
      // By network as well as by address (store.findPostingFacts): an IPv6 reader can change address within their /48 at will.
      if (factsOf(c).recent) throw new TooManyRequests(`You are posting comments too quickly. Please wait ${c.settings.floodSeconds} seconds and post again.`, c.settings.floodSeconds);
    }
    const decision = await deps.rateLimiter.consume([`ip:${c.ipHash}`, `email:${c.comment.email}`], c.settings.maxPerHour);
    if (decision.limited) {
      const minutes = Math.ceil(decision.retryAfterSeconds / 60);
      throw new TooManyRequests(`You have posted the most comments allowed in an hour. Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, decision.retryAfterSeconds);
    }
    return [];
  },
};

/** The checks after validation, in the order they run. */
const CHECKS: readonly Check[] = [disallowed, holdRules, spamChecks, rateLimits];

/**
 * Runs a new comment through the pipeline. Throws Forbidden (closed), ValidationError (bad fields, too long,
 * reply to a comment not on this article), Conflict (duplicate) or TooManyRequests (flood, hourly limit); nothing
 * is stored by the pipeline itself. Otherwise returns the clean comment, its rendered HTML and its status.
 */
export async function screenComment(
  deps: PipelineDeps,
  settings: CommentSettings,
  article: CommentArticle,
  form: CommentFormValues,
  request: PostingRequest,
): Promise<Screened> {
  const closed = closedReason(article, settings, deps.clock.now());
  if (closed) throw new Forbidden(closed);

  const { comment, body_html: html } = commentTextFields(form, settings);
  const ipHash = request.ip ? hashIp(deps.secret, request.ip) : '';
  const networkHash = request.ip ? hashNetwork(deps.secret, request.ip) : '';
  const ask = {
    firstTime: settings.holdFirstTime,
    floodSince: settings.floodSeconds > 0 ? new Date(deps.clock.now().getTime() - settings.floodSeconds * 1000).toISOString() : undefined,
    parentId: comment.parentId ?? undefined,
  };
  const facts = await findPostingFacts(deps.db, ask, { articleId: article.id, email: comment.email, body: comment.body, ipHash, networkHash }).catch((error: unknown) => {
    // The reply target must be known: a reply that cannot be checked fails as the post would have.
    if (comment.parentId !== null) throw error;
    return { error };
  });
  if (comment.parentId !== null) {
    const parent = (facts as PostingFacts).parent;
    if (!parent || parent.status !== 'approved' || parent.erased) throw new ValidationError({ comment_parent: PARENT_GONE });
  }

  const candidate: Candidate = { article, comment, html, request, ipHash, networkHash, settings, findings: [], facts };
  if (!request.ip) candidate.findings.push({ outcome: 'hold', reason: 'the request carried no client address' });

  for (const check of CHECKS) {
    try {
      candidate.findings.push(...(await check.run(deps, candidate)));
    } catch (error) {
      if (error instanceof AppError) throw error;
      candidate.findings.push({ outcome: 'hold', reason: `${check.name} could not run (${error instanceof Error ? error.message : String(error)})` });
    }
  }

  const spam = candidate.findings.filter((f) => f.outcome === 'spam');
  const held = candidate.findings.filter((f) => f.outcome === 'hold');
  const status: CommentStatus = spam.length ? 'spam' : held.length ? 'pending' : 'approved';
  const reasons = (spam.length ? spam : held).map((f) => f.reason);
  return { comment, html: candidate.html, status, reason: reasons.join('; ') || 'passed every check', ipHash, networkHash };
}

/**
 * Re-checks edited text against the content rules (disallowed words, links, moderation words, hold-all) — the
 * checks about the person or the moment of posting do not apply to an edit. Returns the status the edited
 * comment should have (never more visible than before) and the reason.
 */
export function screenEdit(settings: CommentSettings, comment: ValidComment, html: string, current: CommentStatus): { status: CommentStatus; reason: string } | undefined {
  const bad = firstWordIn(comment, settings.disallowedWords);
  if (bad) return { status: 'spam', reason: `edited to contain the disallowed word "${bad}"` };
  if (current !== 'approved') return undefined;
  const links = countLinks(html);
  if (settings.holdAll) return { status: 'pending', reason: 'edited; every comment is held for moderation (setting)' };
  if (settings.holdLinkCount > 0 && links >= settings.holdLinkCount) return { status: 'pending', reason: `edited to contain ${links} links (held at ${settings.holdLinkCount} or more)` };
  const word = firstWordIn(comment, settings.moderationWords);
  if (word) return { status: 'pending', reason: `edited to contain the moderation word "${word}"` };
  return undefined;
}
