/** The reader's comment form (WordPress field names: author, email, url, comment, comment_parent) and its validation. */
import validator from '../lib/validator-lite.ts';
import { cleanText } from '../lib/clean-text.ts';
import { ValidationError } from '../lib/errors.ts';
import { parseId, stringField } from '../lib/form-input.ts';
import { renderCommentHtml } from './format.ts';

/** What the reader typed, as strings, kept verbatim so an error page can show it back. */
export interface CommentFormValues {
  author: string;
  email: string;
  url: string;
  comment: string;
  comment_parent: string;
  /** "Notify me of replies by email" ticked: any non-empty value. */
  notify_replies?: string;
  /** "Save my name, email and website in this browser" ticked: any non-empty value. */
  remember?: string;
}

export interface ValidComment {
  authorName: string;
  email: string;
  /** Normalised absolute http(s) URL, or '' when none was given. */
  url: string;
  body: string;
  parentId: number | null;
  notifyReplies: boolean;
}

/** Shown when the reply target is unknown; the form then offers to post as a new comment instead. */
export const PARENT_GONE = 'The comment you replied to is no longer there. Post again to add yours as a new comment.';

/** Field lengths in characters; the comment's own limit is a setting (comments/settings.ts, default 5,000). */
export const COMMENT_LIMITS = { author: 100, email: 254, url: 300 } as const;


/** Pulls the form fields out of a parsed urlencoded body; anything missing or non-string becomes ''. */
export function readCommentForm(body: unknown): CommentFormValues {
  const field = (name: string): string => stringField(body, name);
  return {
    author: field('author'),
    email: field('email'),
    url: field('url'),
    comment: field('comment'),
    comment_parent: field('comment_parent'),
    notify_replies: field('notify_replies'),
    remember: field('remember'),
  };
}

/** Length as a reader counts it: in Unicode code points, so an emoji is one character. */
const lengthOf = (text: string): number => [...text].length;

/** Invisible format characters (zero-width spaces and joiners, bidi marks): a name made only of them is empty. */
const INVISIBLE = /[\p{Cf}\p{Zs}]/gu;

function normaliseUrl(raw: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  if (!/^https?:\/\//i.test(candidate)) return undefined;
  if (!validator.isURL(candidate, { protocols: ['http', 'https'], require_protocol: true, require_tld: true, disallow_auth: true })) return undefined;
  return new URL(candidate).href;
}

/**
 * Validates the form — the one validation of every comment write path (reader post and edit, moderator edit,
 * import). Returns the clean comment (email lowercased), or `errors` mapping each bad field (author, email, url,
 * comment, comment_parent) to a message for the reader. `maxLength` is the longest comment in characters.
 */
export function validateCommentForm(values: CommentFormValues, limits: { maxLength: number } = { maxLength: 5000 }): { comment?: ValidComment; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const authorName = cleanText(values.author).trim().replace(/\s+/g, ' ');
  const email = values.email.trim().toLowerCase();
  const rawUrl = values.url.trim();
  const body = cleanText(values.comment.replace(/\r\n?/g, '\n')).trim();

  if (!authorName.replace(INVISIBLE, '')) errors.author = 'Please enter your name.';
  else if (lengthOf(authorName) > COMMENT_LIMITS.author) errors.author = `Your name is too long (at most ${COMMENT_LIMITS.author} characters).`;

  // The field is also described by the form's note that the address is never published: not said twice.
  if (!email) errors.email = 'Please enter your email address.';
  else if (email.length > COMMENT_LIMITS.email || !validator.isEmail(email)) errors.email = 'Please enter a valid email address, such as name@example.com.';

  let url = '';
  if (rawUrl) {
    const normalised = rawUrl.length <= COMMENT_LIMITS.url ? normaliseUrl(rawUrl) : undefined;
    if (normalised) url = normalised;
    else errors.url = 'Please enter a web address starting with http:// or https://, or leave the field empty.';
  }

  if (!body.replace(INVISIBLE, '')) errors.comment = 'Please write a comment.';
  else if (lengthOf(body) > limits.maxLength) errors.comment = `Your comment is too long: ${lengthOf(body).toLocaleString('en')} characters, at most ${limits.maxLength.toLocaleString('en')}. Please shorten it.`;

  let parentId: number | null = null;
  if (!/^0*$/.test(values.comment_parent.trim())) {
    const id = parseId(values.comment_parent);
    if (id === undefined) errors.comment_parent = PARENT_GONE;
    else parentId = id;
  }

  if (Object.keys(errors).length) return { errors };
  return { comment: { authorName, email, url, body, parentId, notifyReplies: !!values.notify_replies }, errors };
}

/** A comment's stored text fields, as every write path (reader post and edit, moderator edit, import) stores them. */
export interface CommentTextFields {
  author_name: string;
  author_email: string;
  author_url: string;
  body: string;
  /** `body` rendered and sanitised (comments/format.ts). */
  body_html: string;
}

/**
 * Validates `values` and renders the text: the one way comment fields reach the database. Throws ValidationError
 * with per-field messages.
 */
export function commentTextFields(values: CommentFormValues, limits: { maxLength: number } = { maxLength: 5000 }): CommentTextFields & { comment: ValidComment } {
  const { comment, errors } = validateCommentForm(values, limits);
  if (!comment) throw new ValidationError(errors);
  return { comment, author_name: comment.authorName, author_email: comment.email, author_url: comment.url, body: comment.body, body_html: renderCommentHtml(comment.body) };
}
