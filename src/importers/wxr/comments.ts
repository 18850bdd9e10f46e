/**
 * Comments of one WXR item: threaded through their parent ids, with WordPress's status (approved, held, spam,
 * trash), keyed on the item's key and the comment id so importing again updates instead of duplicating.
 * Pingbacks and trackbacks are skipped and counted.
 */
import { parseHTML } from 'linkedom';
import { commentTextFields } from '../../comments/form.ts';
import { insertComment } from '../../comments/store.ts';
import type { DB } from '../../db/database.ts';
import type { CommentStatus } from '../../db/schema.ts';
import { ValidationError } from '../../lib/errors.ts';
import { messageOf, skip, type Tally } from '../report.ts';
import { wpDate } from './map.ts';
import type { WxrComment } from './parse.ts';
import { findImportedComment, recountApprovedComments, updateImportedComment } from './store.ts';

/** wp:comment_approved → Broadsheet status: 1 approved, 0 held for moderation, spam, trash (and post-trashed). */
const STATUS: Record<string, CommentStatus> = { '1': 'approved', '0': 'pending', spam: 'spam', trash: 'trash', 'post-trashed': 'trash' };

/**
 * A WordPress comment's HTML as the text a reader would have typed: links become "text (URL)" (the formatter links
 * bare http(s) addresses again), <br> and paragraphs become newlines, other tags are dropped, entities decoded.
 */
export function commentText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const { document } = parseHTML(`<!doctype html><html><body>${html.replace(/\r\n?/g, '\n')}</body></html>`);
  for (const a of [...document.querySelectorAll('a[href]')]) {
    const href = a.getAttribute('href') ?? '';
    const text = a.textContent ?? '';
    a.replaceWith(/^https?:\/\//i.test(href) && text.trim() !== href ? `${text} (${href})` : text);
  }
  for (const br of [...document.querySelectorAll('br')]) br.replaceWith('\n');
  for (const p of [...document.querySelectorAll('p')]) p.append('\n\n');
  return (document.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

export interface CommentImport {
  articleId: number;
  /** The item's import key: comment keys are `<item key>#<wp:comment_id>`. */
  itemKey: string;
  /** For problem lines: `post 12 “Headline”`. */
  label: string;
  /** Longest comment accepted, in characters (the comment setting). */
  maxLength: number;
}

/** Imports `comments` for one article (parents before replies), counting each in `t`; problems go to `problems`. */
export async function importComments(tx: DB, comments: readonly WxrComment[], target: CommentImport, t: Tally, problems: string[]): Promise<void> {
  const ids = new Map<string, number>();
  const wanted: WxrComment[] = [];
  for (const c of comments) {
    const type = c.type.trim();
    const status = STATUS[c.approved.trim()];
    if (type === 'pingback' || type === 'trackback') skip(t, type);
    else if (!status) skip(t, `status ${c.approved.trim() || '(none)'}`);
    else wanted.push(c);
  }
  const inFile = new Set(wanted.map((c) => c.id.trim()));
  // Replies may precede their parent in the file: keep passing until no comment can be placed.
  for (let pending = wanted; pending.length; ) {
    const later: WxrComment[] = [];
    for (const c of pending) {
      const parentKey = c.parent.trim();
      const hasParent = parentKey !== '' && parentKey !== '0';
      if (hasParent && !ids.has(parentKey) && inFile.has(parentKey)) {
        later.push(c);
        continue;
      }
      try {
        ids.set(c.id.trim(), await writeComment(tx, c, hasParent ? ids.get(parentKey) ?? null : null, target, t, problems));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        skip(t, 'invalid comment');
        problems.push(`${target.label}, comment ${c.id.trim()}: ${messageOf(error)}`);
      }
    }
    // Parents that were refused: their waiting replies are placed at the top level.
    if (later.length === pending.length) for (const c of later) inFile.delete(c.parent.trim());
    pending = later;
  }
  await recountApprovedComments(tx, target.articleId);
}

/** Inserts or (when imported before) updates one comment; returns its id. Throws ValidationError for bad fields. */
/**
 * The comment form's validation and rendering, as for every comment write path. A website the form would refuse
 * (`javascript:`, not a URL) is dropped rather than losing the comment and orphaning its replies; `problems` says so.
 */
function validComment(c: WxrComment, target: CommentImport, problems: string[]): ReturnType<typeof commentTextFields> {
  const fields = { author: c.author, email: c.email, url: c.url, comment: commentText(c.content), comment_parent: '' };
  try {
    return commentTextFields(fields, { maxLength: target.maxLength });
  } catch (error) {
    if (!(error instanceof ValidationError) || Object.keys(error.fields).join() !== 'url') throw error;
    problems.push(`${target.label}, comment ${c.id.trim()}: website dropped (${error.fields.url})`);
    return commentTextFields({ ...fields, url: '' }, { maxLength: target.maxLength });
  }
}

async function writeComment(tx: DB, c: WxrComment, parentId: number | null, target: CommentImport, t: Tally, problems: string[]): Promise<number> {
  const { comment: _valid, ...text } = validComment(c, target, problems);
  const key = `${target.itemKey}#${c.id.trim()}`;
  const fields = { ...text, parent_id: parentId, status: STATUS[c.approved.trim()]!, created_at: wpDate(c.dateGmt, c.date) ?? new Date(0).toISOString() };
  const existing = await findImportedComment(tx, 'wxr', key);
  if (existing !== undefined) {
    await updateImportedComment(tx, existing, fields);
    t.updated++;
    return existing;
  }
  const id = await insertComment(tx, {
    ...fields,
    article_id: target.articleId,
    ip_hash: '',
    edited_at: null,
    erased_at: null,
    moderation_reason: 'imported from WordPress',
    import_source: 'wxr',
    import_key: key,
  });
  t.imported++;
  return id;
}
