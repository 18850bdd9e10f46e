/**
 * Plain-text templates of comment notification mails. Whatever a commenter typed (name, website, text) is made
 * inert first: control and direction characters removed, web addresses and domain names defanged so no mail client
 * turns them into links, and the text set apart in an indented quote block. The only links are to our own site.
 * No template ever includes a commenter's email address.
 */
import type { MailMessage } from '../lib/mailer.ts';

/** Longest comment text quoted in a mail, in characters (code points); longer text is cut with a note. */
export const QUOTE_MAX_CHARS = 3000;

/** C0/C1 controls except tab and line feed, and Unicode direction overrides/isolates that can disguise text. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Schemes mail clients link: http(s) and ftp(s) become hxxp(s)/fxp(s); the others lose their colon. */
const WEB_SCHEME = /\b(h)tt(ps?)(?=:)|\b(f)t(ps?)(?=:\/\/)/gi;
const OTHER_SCHEME = /\b(mailto|tel|sms|callto|javascript|vbscript|data|file|skype|facetime|sip|xmpp|irc|magnet|webcal|news|ssh|git|ws|wss)(:)/gi;
/** Any other `scheme://`. */
const GENERIC_SCHEME = /\b([a-z][a-z0-9+.-]*)(:)(?=\/\/)/gi;
/** One DNS label (at most 63 characters, which also bounds the regex's backtracking) and the dots IDNA accepts. */
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
const DOT = String.raw`[.\u3002\uFF0E\uFF61]`;
/** Host-like tokens: two or more labels ending in a name of two or more letters (evil.example, www.evil.example, пример.рф). */
const DOMAIN = new RegExp(String.raw`${LABEL}(?:${DOT}${LABEL})*${DOT}\p{L}{2,}(?![\p{L}\p{N}])`, 'gu');
/** Dotted-quad IP addresses. */
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

/**
 * Makes commenter text inert for a plain-text mail: strips control characters (keeping line breaks), defangs
 * addresses (`https://evil.example/x` → `hxxps://evil[.]example/x`, `www.evil.example` → `www[.]evil[.]example`,
 * `a@b.example` → `a@b[.]example`).
 */
export function defang(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(WEB_SCHEME, (match, h: string | undefined, hRest: string | undefined, f: string | undefined, fRest: string | undefined) =>
      h ? `${h}xx${hRest}` : f ? `${f}x${fRest}` : match,
    )
    .replace(OTHER_SCHEME, '$1[:]')
    .replace(GENERIC_SCHEME, (match, scheme: string) => (/^(hxxps?|fxps?)$/i.test(scheme) ? match : `${scheme}[:]`))
    .replace(DOMAIN, (host) => host.replace(new RegExp(DOT, 'gu'), '[.]'))
    .replace(IPV4, (ip) => ip.replaceAll('.', '[.]'));
}

/** One line of commenter text (a name, a website): defanged, whitespace collapsed, at most `max` characters. */
export function inertLine(text: string, max = 200): string {
  const line = defang(text).replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : line;
}

/** Commenter text as an indented quote block: defanged, blank-line runs collapsed, cut at QUOTE_MAX_CHARS. */
export function quoteBlock(text: string): string {
  let body = defang(text).replace(/[ \u00A0]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
  const chars = [...body];
  if (chars.length > QUOTE_MAX_CHARS) body = `${chars.slice(0, QUOTE_MAX_CHARS).join('')}…\n[The rest is on the site.]`;
  return body
    .split('\n')
    .map((line) => (line ? `    ${line}` : '    '))
    .join('\n');
}

/** A subject line: one line, no control characters, at most 200 characters. */
export function subjectLine(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > 200 ? `${chars.slice(0, 199).join('')}…` : line;
}

/** Headers on every notification (RFC 3834): out-of-office replies should not answer them. */
const AUTOMATIC = { 'Auto-Submitted': 'auto-generated' } as const;

/** What a template needs to know about one comment; `name`, `website` and `text` are as the commenter typed them. */
export interface MailComment {
  id: number;
  name: string;
  website: string;
  text: string;
  /** Headline of the article (our own text). */
  headline: string;
}

export interface SiteRef {
  siteName: string;
  /** Absolute origin, no trailing slash. */
  siteUrl: string;
}

/** The public address of a comment: redirects to its article page and anchor. */
export function commentPermalink(site: SiteRef, commentId: number): string {
  return `${site.siteUrl}/comments/${commentId}`;
}

/** Commenter's name for a sentence, or a neutral stand-in. */
function nameOf(comment: MailComment): string {
  return inertLine(comment.name, 100) || 'A reader';
}

/** To a commenter who asked to hear of replies: the reply's text, a link to it, and the one-click unsubscribe link. */
export function replyMail(site: SiteRef, to: string, reply: MailComment, parent: { name: string }, unsubscribeUrl: string): MailMessage {
  const greeting = inertLine(parent.name, 100);
  return {
    to,
    subject: subjectLine(`New reply to your comment on ${reply.headline}`),
    text: [
      greeting ? `Hello ${greeting},` : 'Hello,',
      '',
      `${nameOf(reply)} replied to your comment on "${subjectLine(reply.headline)}":`,
      '',
      quoteBlock(reply.text),
      '',
      'Read the conversation and reply:',
      commentPermalink(site, reply.id),
      '',
      '-- ',
      `You get this email from ${site.siteName} because you asked to hear about replies to your comment.`,
      'To stop emails about replies, open this page:',
      unsubscribeUrl,
    ].join('\n'),
    headers: { ...AUTOMATIC, 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** To a byline author with a newsroom account: a new approved comment on their article. */
export function authorMail(site: SiteRef, to: string, comment: MailComment): MailMessage {
  return {
    to,
    subject: subjectLine(`New comment on ${comment.headline}`),
    text: [
      `${nameOf(comment)} commented on your article "${subjectLine(comment.headline)}":`,
      '',
      quoteBlock(comment.text),
      '',
      'Read it on the site:',
      commentPermalink(site, comment.id),
      '',
      '-- ',
      `You get this email from ${site.siteName} because you are a byline author of this article.`,
      'Editors can turn author notifications off in the comment settings of the newsroom.',
    ].join('\n'),
    headers: { ...AUTOMATIC },
  };
}

/** Link to the moderation queue's held comments. */
export function queueUrl(site: SiteRef): string {
  return `${site.siteUrl}/admin/comments?status=pending`;
}

/** The part of a moderator mail describing one held comment. */
function heldEntry(comment: MailComment & { reason: string }): string {
  const website = inertLine(comment.website);
  return [
    `From: ${nameOf(comment)}`,
    ...(website ? [`Website: ${website}`] : []),
    `Article: ${subjectLine(comment.headline)}`,
    `Held because: ${inertLine(comment.reason) || 'held for moderation'}`,
    '',
    quoteBlock(comment.text),
  ].join('\n');
}

/** To a moderator (immediate mode): one comment awaiting moderation. */
export function heldMail(site: SiteRef, to: string, comment: MailComment & { reason: string }): MailMessage {
  return {
    to,
    subject: subjectLine(`Comment awaiting moderation on ${comment.headline}`),
    text: [
      `A comment on "${subjectLine(comment.headline)}" is waiting for moderation.`,
      '',
      heldEntry(comment),
      '',
      'Approve or remove it in the moderation queue:',
      queueUrl(site),
      '',
      '-- ',
      `You get this email from ${site.siteName} because you moderate comments. Editors choose how moderators are told in the comment settings.`,
    ].join('\n'),
    headers: { ...AUTOMATIC },
  };
}

/** To a moderator (digest mode): every comment held since the last digest that they were not told about yet. */
export function digestMail(site: SiteRef, to: string, comments: (MailComment & { reason: string })[]): MailMessage {
  const noun = comments.length === 1 ? '1 comment' : `${comments.length} comments`;
  return {
    to,
    subject: subjectLine(`${noun} awaiting moderation on ${site.siteName}`),
    text: [
      `${noun} ${comments.length === 1 ? 'is' : 'are'} waiting for moderation.`,
      '',
      comments.map((comment, i) => `${i + 1}. ${heldEntry(comment)}`).join('\n\n'),
      '',
      'Approve or remove them in the moderation queue:',
      queueUrl(site),
      '',
      '-- ',
      `You get this hourly digest from ${site.siteName} because you moderate comments. Editors choose how moderators are told in the comment settings.`,
    ].join('\n'),
    headers: { ...AUTOMATIC },
  };
}
