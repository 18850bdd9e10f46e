/**
 * The editorial workflow behind the article editor: draft → pending → scheduled → published → unpublished,
 * role checks per action, optimistic locking on `version`, slug redirects, and a revision for every save.
 */
import type { DB } from '../db/database.ts';
import type { ArticleKind, ArticleRow, ArticleStatus, CommentingStatus } from '../db/schema.ts';
import { resolveTaxonomy } from '../articles/service.ts';
import * as articles from '../articles/store.ts';
import { findSectionBySlug } from '../articles/taxonomy-store.ts';
import { indexArticle } from '../distribution/search/index.ts';
import { isoNow, type Clock } from '../lib/clock.ts';
import type { SiteEvent, SiteEvents } from '../lib/site-events.ts';
import { Conflict, Forbidden, NotFound, ValidationError } from '../lib/errors.ts';
import { sanitizeArticleHtml } from '../lib/sanitize.ts';
import { slugFor } from '../lib/slug.ts';
import { localToUtc, utcToLocal } from '../lib/zoned-time.ts';
import type { NewsroomUser } from './accounts.ts';
import * as editorial from './editorial-store.ts';
import { can } from './roles.ts';
import { fieldLabel } from './revision-diff.ts';
import { cleanText } from '../lib/clean-text.ts';

export interface EditorialDeps {
  db: DB;
  clock: Clock;
  /** IANA zone in which the editor's publish time is typed. */
  timeZone: string;
  /** Keep non-Latin letters in new slugs (site setting SLUGS=unicode). */
  unicodeSlugs?: boolean;
  /** Told after commit when a save publishes, updates or unpublishes what readers see (ctx.events). */
  events: Pick<SiteEvents, 'emit'>;
}

export const EDITOR_ACTIONS = ['save', 'submit', 'publish', 'schedule', 'unpublish'] as const;
export type EditorAction = (typeof EDITOR_ACTIONS)[number];

/** The editor form as typed (strings), kept verbatim so a refused save can show it back. */
export interface EditorForm {
  /** 'article', or 'page' for an unlisted page such as "About us". */
  kind: string;
  headline: string;
  dek: string;
  slug: string;
  body_html: string;
  dateline: string;
  /** Section slug, or '' for none. */
  section: string;
  /** Comma-separated tag names. */
  tags: string;
  /** Comma-separated byline names, in order. */
  authors: string;
  /** One credit line per line. */
  credits: string;
  comment_status: string;
  /** `datetime-local` in the site's time zone; used by publish (optional) and schedule (required). */
  publish_at: string;
  /** The version the editor started from ('' for a new article). */
  version: string;
}

export const EMPTY_EDITOR_FORM: EditorForm = { kind: 'article', headline: '', dek: '', slug: '', body_html: '', dateline: '', section: '', tags: '', authors: '', credits: '', comment_status: 'open', publish_at: '', version: '' };

/** What a revision stores: the editable state of the article after a save. */
export interface Snapshot {
  /** Absent in revisions saved before pages existed: read as 'article' (snapshotOf). */
  kind?: ArticleKind;
  headline: string;
  dek: string;
  slug: string;
  body_html: string;
  dateline: string;
  section: string;
  tags: string[];
  authors: string[];
  credits: string[];
  comment_status: CommentingStatus;
  status: ArticleStatus;
  published_at: string | null;
}

const LIMITS = { headline: 300, dek: 400, dateline: 80 } as const;
const LIST_LIMITS = { authors: 10, tags: 20, name: 100, credits: 10, credit: 300 } as const;

const splitList = (value: string, separator: RegExp): string[] => [...new Set(value.split(separator).map((v) => v.trim()).filter(Boolean))];

function isOwn(user: NewsroomUser, authorIds: number[]): boolean {
  return user.authorId !== null && authorIds.includes(user.authorId);
}

/** May `user` open this article in the editor at all? Contributors only their own drafts and pending articles. */
function canEdit(user: NewsroomUser, article: ArticleRow, authorIds: number[]): boolean {
  if (can(user, 'article.edit.any')) return true;
  if (!isOwn(user, authorIds)) return false;
  return can(user, 'article.publish.own') || article.status === 'draft' || article.status === 'pending';
}

function canPublish(user: NewsroomUser, own: boolean): boolean {
  return can(user, 'article.publish.any') || (own && can(user, 'article.publish.own'));
}

/** The status an action leads to from `current` (undefined for a new article). */
function nextStatus(action: EditorAction, current: ArticleStatus | undefined): ArticleStatus {
  switch (action) {
    case 'save':
      return current ?? 'draft';
    case 'submit':
      return 'pending';
    case 'publish':
      return 'published';
    case 'schedule':
      return 'scheduled';
    case 'unpublish':
      return 'unpublished';
  }
}

/**
 * The site event of a save that moves an article from status `before` to `after`. Readers' copy is announced
 * through status `published` only: a scheduled article is announced by the scheduler when it goes live (so it
 * is announced once), and scheduling a published article again takes it off the site until then.
 */
export function articleEventOf(before: ArticleStatus | undefined, after: ArticleStatus): 'article.published' | 'article.updated' | 'article.unpublished' | undefined {
  if (after === 'published') return before === 'published' ? 'article.updated' : 'article.published';
  return before === 'published' ? 'article.unpublished' : undefined;
}

/** A stored revision's snapshot; those from before pages existed are articles. */
export function snapshotOf(json: string): Snapshot {
  return { kind: 'article', ...(JSON.parse(json) as Snapshot) };
}

function changedFields(before: Snapshot | undefined, after: Snapshot): string {
  if (!before) return 'created';
  const changed = (Object.keys(after) as (keyof Snapshot)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return changed.length ? changed.map((k) => fieldLabel(k).toLowerCase()).join(', ') : 'no changes';
}

/** The editor form of a stored article, for `user` (Forbidden when they may not edit it). */
export async function loadEditorForm(deps: EditorialDeps, user: NewsroomUser, id: number): Promise<{ form: EditorForm; article: ArticleRow }> {
  const article = await editorial.findArticleById(deps.db, id);
  if (!article) throw new NotFound('No such article');
  const authors = await editorial.authorsOf(deps.db, id);
  if (!canEdit(user, article, authors.map((a) => a.id))) throw new Forbidden('You may not edit this article.');
  const [tags, credits, sections] = await Promise.all([articles.tagsOfArticle(deps.db, id), articles.creditsOfArticle(deps.db, id), deps.db.selectFrom('sections').select(['id', 'slug']).execute()]);
  return {
    article,
    form: {
      kind: article.kind,
      headline: article.headline,
      dek: article.dek,
      slug: article.slug,
      body_html: article.body_html,
      dateline: article.dateline,
      section: sections.find((s) => s.id === article.section_id)?.slug ?? '',
      tags: tags.map((t) => t.name).join(', '),
      authors: authors.map((a) => a.name).join(', '),
      credits: credits.join('\n'),
      comment_status: article.comment_status,
      publish_at: article.published_at ? utcToLocal(article.published_at, deps.timeZone) : '',
      version: String(article.version),
    },
  };
}

/**
 * Saves the editor form as a new article (`id` undefined) or over article `id`, applying `action`.
 * Throws ValidationError (per field), Forbidden (role), Conflict (someone saved first), NotFound.
 */
/** True when two ISO-8601 UTC instants fall in the same minute (the editor's time fields have no seconds). */
function sameMinute(a: string, b: string): boolean {
  return a.slice(0, 16) === b.slice(0, 16);
}

export async function saveFromEditor(deps: EditorialDeps, user: NewsroomUser, id: number | undefined, typed: EditorForm, action: EditorAction): Promise<{ id: number; slug: string; status: ArticleStatus }> {
  // Characters no page may hold (controls, noncharacters) never reach the article, whichever field they came in.
  const form = Object.fromEntries(Object.entries(typed).map(([key, value]) => [key, cleanText(value)])) as unknown as EditorForm;
  const now = isoNow(deps.clock);
  const fields: Record<string, string> = {};
  const headline = form.headline.trim();
  const bodyHtml = sanitizeArticleHtml(form.body_html);
  if (!headline) fields.headline = 'Write a headline.';
  else if (headline.length > LIMITS.headline) fields.headline = `Use at most ${LIMITS.headline} characters.`;
  if (form.dek.trim().length > LIMITS.dek) fields.dek = `Use at most ${LIMITS.dek} characters.`;
  if (form.dateline.trim().length > LIMITS.dateline) fields.dateline = `Use at most ${LIMITS.dateline} characters.`;
  if (!bodyHtml && action !== 'save') fields.body_html = 'Write the article before it goes further than a draft.';
  const names = splitList(form.authors, /,/);
  if (names.length > LIST_LIMITS.authors || names.some((n) => [...n].length > LIST_LIMITS.name)) fields.authors = `Name at most ${LIST_LIMITS.authors} people, each in at most ${LIST_LIMITS.name} characters.`;
  const tagNames = splitList(form.tags, /,/);
  if (tagNames.length > LIST_LIMITS.tags || tagNames.some((t) => [...t].length > LIST_LIMITS.name)) fields.tags = `Use at most ${LIST_LIMITS.tags} tags of at most ${LIST_LIMITS.name} characters each.`;
  const creditLines = splitList(form.credits, /\r?\n/);
  if (creditLines.length > LIST_LIMITS.credits || creditLines.some((c) => [...c].length > LIST_LIMITS.credit)) fields.credits = `Use at most ${LIST_LIMITS.credits} credit lines of at most ${LIST_LIMITS.credit} characters each.`;
  const commentStatus: CommentingStatus = form.comment_status === 'closed' ? 'closed' : 'open';
  // A form without a kind (an older client) keeps the article's kind.
  const typedKind: ArticleKind | undefined = form.kind === 'page' || form.kind === 'article' ? form.kind : undefined;
  let publishAt: string | undefined;
  if (form.publish_at.trim()) {
    publishAt = localToUtc(form.publish_at.trim(), deps.timeZone);
    if (!publishAt) fields.publish_at = `Enter a date and time, such as 2026-12-01T09:00 (${deps.timeZone}).`;
  }
  if (action === 'publish' && publishAt && publishAt > now) {
    // "Publish now" on a scheduled article whose form still shows its scheduled time means now.
    const scheduled = id === undefined ? undefined : await editorial.findArticleById(deps.db, id);
    if (scheduled?.status === 'scheduled' && scheduled.published_at && sameMinute(scheduled.published_at, publishAt)) publishAt = undefined;
    else fields.publish_at = 'This time is in the future: choose Schedule, or clear it to publish now.';
  }
  if (action === 'schedule' && !fields.publish_at) {
    if (!publishAt) fields.publish_at = `Choose when to publish (${deps.timeZone}).`;
    else if (publishAt <= now) fields.publish_at = 'Choose a time in the future, or publish now.';
  }
  const typedSlug = form.slug.trim() ? slugFor(form.slug.trim(), 'article', { unicode: deps.unicodeSlugs }) : undefined;

  let statusBefore: ArticleStatus | undefined;
  const saved = await deps.db.transaction().execute(async (tx) => {
    const existing = id === undefined ? undefined : await editorial.findArticleById(tx, id);
    if (id !== undefined && !existing) throw new NotFound('No such article');
    statusBefore = existing?.status;
    const currentAuthors = existing ? (await editorial.authorsOf(tx, existing.id)).map((a) => a.id) : [];
    if (existing && !canEdit(user, existing, currentAuthors)) throw new Forbidden('You may not edit this article.');
    if (!existing && !can(user, 'article.create')) throw new Forbidden('Your role may not write articles.');

    const status = nextStatus(action, existing?.status);
    const live = (s: ArticleStatus | undefined) => s === 'published' || s === 'scheduled';
    const own = !existing || isOwn(user, currentAuthors);
    if ((live(status) || live(existing?.status) || action === 'unpublish') && !canPublish(user, own)) {
      throw new Forbidden(existing && live(existing.status) ? 'Your role may not change a published article.' : 'Your role may not publish; submit the article for review instead.');
    }

    const sectionRow = form.section ? await findSectionBySlug(tx, form.section) : undefined;
    if (form.section && !sectionRow) fields.section = 'Choose one of the sections.';
    const usedByOther = async (candidate: string) => {
      const taken = await tx.selectFrom('articles').select('id').where('slug', '=', candidate).executeTakeFirst();
      const redirected = await articles.findRedirect(tx, candidate);
      return (taken !== undefined && taken.id !== id) || (redirected !== undefined && redirected !== id);
    };
    // A typed slug must be free; an empty field keeps the current slug (editing a headline never changes it)
    // or, for a new article, derives one from the headline and numbers it when taken ("…-2").
    let slug = typedSlug ?? existing?.slug ?? slugFor(headline || 'article', 'article', { unicode: deps.unicodeSlugs });
    if (typedSlug && (await usedByOther(typedSlug))) fields.slug = `The address “${typedSlug}” is used by another article. Choose another.`;
    if (!typedSlug && !existing) for (let n = 2, base = slug; await usedByOther(slug); n++) slug = `${base}-${n}`;
    if (Object.keys(fields).length) throw new ValidationError(fields);

    // The writer's own name in the byline means their own profile, even if another author shares the name.
    const bylineNames = splitList(form.authors, /,/);
    const ownIndex = user.authorId === null ? -1 : bylineNames.findIndex((n) => n.toLowerCase() === user.displayName.toLowerCase());
    const resolved = await resolveTaxonomy(
      tx,
      { section: sectionRow && { slug: sectionRow.slug, name: sectionRow.name }, authors: bylineNames.filter((_, i) => i !== ownIndex).map((name) => ({ name })), tags: splitList(form.tags, /,/) },
      now,
    );
    const { sectionId, tagIds } = resolved;
    const authorIds = resolved.authorIds;
    if (ownIndex >= 0 && !authorIds.includes(user.authorId!)) authorIds.splice(ownIndex, 0, user.authorId!);
    // Writers below editor keep their own byline, so they never lock themselves out of their article.
    if (user.authorId !== null && !can(user, 'article.edit.any') && !authorIds.includes(user.authorId)) authorIds.unshift(user.authorId);

    const publishedAt =
      action === 'schedule'
        ? publishAt!
        : action === 'publish'
          ? // The form shows minutes: an unchanged time keeps the stored instant (seconds and all).
            existing?.published_at && publishAt && sameMinute(existing.published_at, publishAt)
            ? existing.published_at
            : publishAt && publishAt <= now
              ? publishAt
              : now
          : (existing?.published_at ?? null);
    // Readers are told about substantial changes to what they may already have read ("Updated …").
    const wasOut = existing?.status === 'published' && existing.published_at !== null && existing.published_at <= now;
    const substantial = wasOut && (existing.headline !== headline || existing.dek !== form.dek.trim() || existing.body_html !== bodyHtml);
    const kind = typedKind ?? existing?.kind ?? 'article';
    const row = {
      revised_at: substantial ? now : (existing?.revised_at ?? null),
      kind,
      headline,
      dek: form.dek.trim(),
      slug,
      body_html: bodyHtml,
      dateline: form.dateline.trim(),
      status,
      section_id: sectionId,
      comment_status: commentStatus,
      published_at: publishedAt,
      updated_at: now,
    };

    let articleId: number;
    let version: number;
    if (existing) {
      const basedOn = Number(form.version);
      if (!Number.isSafeInteger(basedOn) || !(await editorial.updateIfVersion(tx, existing.id, basedOn, row))) {
        throw new Conflict(`Someone else saved this article while you were editing it (it is now at version ${existing.version}). Your text is kept below.`);
      }
      articleId = existing.id;
      version = basedOn + 1;
      // A public address never breaks: once an article has been out, its old slug redirects to the new one.
      const seenByReaders = existing.published_at !== null && existing.published_at <= now && (existing.status === 'published' || existing.status === 'unpublished' || existing.status === 'scheduled');
      if (existing.slug !== slug && seenByReaders) {
        await articles.addRedirect(tx, existing.slug, articleId, now);
      }
      await articles.removeRedirect(tx, slug);
    } else {
      articleId = await articles.insertArticle(tx, { ...row, created_at: now, import_source: null, import_key: null });
      version = 1;
    }
    const credits = splitList(form.credits, /\r?\n/);
    await articles.replaceArticleLinks(tx, articleId, { authorIds, tagIds, credits });
    await indexArticle(tx, articleId);

    const snapshot: Snapshot = {
      kind,
      headline: row.headline,
      dek: row.dek,
      slug,
      body_html: bodyHtml,
      dateline: row.dateline,
      section: sectionRow?.slug ?? '',
      tags: splitList(form.tags, /,/),
      authors: (await editorial.authorsOf(tx, articleId)).map((a) => a.name),
      credits,
      comment_status: commentStatus,
      status,
      published_at: publishedAt,
    };
    const previous = await editorial.latestSnapshot(tx, articleId);
    const previousSnapshot = previous ? snapshotOf(previous) : undefined;
    await editorial.insertRevision(tx, { article_id: articleId, version, user_id: user.id, created_at: now, summary: changedFields(previousSnapshot, snapshot), snapshot: JSON.stringify(snapshot) });
    return { id: articleId, slug, status };
  });
  const event = articleEventOf(statusBefore, saved.status);
  if (event) deps.events.emit({ type: event, articleId: saved.id });
  if (saved.status === 'scheduled') deps.events.emit({ type: 'article.scheduled', articleId: saved.id });
  return saved;
}

/** The editor form holding revision `revisionId` of an article, to be saved again (restoring is a new revision). */
export async function revisionAsForm(deps: EditorialDeps, user: NewsroomUser, articleId: number, revisionId: number): Promise<EditorForm> {
  const { form } = await loadEditorForm(deps, user, articleId);
  const revision = await editorial.findRevision(deps.db, articleId, revisionId);
  if (!revision) throw new NotFound('No such revision');
  const s = snapshotOf(revision.snapshot);
  return {
    ...form,
    kind: s.kind ?? form.kind,
    headline: s.headline,
    dek: s.dek,
    slug: s.slug,
    body_html: s.body_html,
    dateline: s.dateline,
    section: s.section,
    tags: s.tags.join(', '),
    authors: s.authors.join(', '),
    credits: s.credits.join('\n'),
    comment_status: s.comment_status,
  };
}

/** Longest correction note, in characters. */
const MAX_CORRECTION_LENGTH = 1000;

/**
 * Appends a dated correction to an article (editors and admins). Corrections are shown at the foot of the article
 * and never deleted; adding one marks the article as updated. Throws Forbidden, NotFound, ValidationError (text).
 */
export async function addCorrection(deps: EditorialDeps, user: NewsroomUser, articleId: number, text: string): Promise<void> {
  if (!can(user, 'article.edit.any')) throw new Forbidden('Only editors may add corrections.');
  const note = text.trim().replace(/\s+/g, ' ');
  if (!note) throw new ValidationError({ correction: 'Write the correction.' });
  if ([...note].length > MAX_CORRECTION_LENGTH) throw new ValidationError({ correction: `Use at most ${MAX_CORRECTION_LENGTH} characters.` });
  const now = isoNow(deps.clock);
  const status = await deps.db.transaction().execute(async (tx) => {
    const article = await editorial.findArticleById(tx, articleId);
    if (!article) throw new NotFound('No such article');
    if (article.published_at === null || article.published_at > now || article.status === 'draft' || article.status === 'pending') {
      throw new ValidationError({ correction: 'Readers have not seen this article yet: fix the text instead of adding a correction.' });
    }
    await editorial.insertCorrection(tx, { article_id: articleId, user_id: user.id, created_at: now, text: note });
    await articles.updateArticle(tx, articleId, { revised_at: now, updated_at: now });
    return article.status;
  });
  if (status === 'published') deps.events.emit({ type: 'article.updated', articleId });
}

/**
 * Revision `revisionId` of an article and the one before it (or `againstId`), as snapshots, for comparison.
 * Throws Forbidden / NotFound like the editor.
 */
export async function revisionPair(deps: EditorialDeps, user: NewsroomUser, articleId: number, revisionId: number, againstId?: number): Promise<{ headline: string; version: number; againstVersion?: number; before?: Snapshot; after: Snapshot }> {
  const { article } = await loadEditorForm(deps, user, articleId);
  const revision = await editorial.findRevision(deps.db, articleId, revisionId);
  if (!revision) throw new NotFound('No such revision');
  const list = await editorial.listRevisions(deps.db, articleId);
  const againstRow = againstId !== undefined ? list.find((r) => r.id === againstId) : list.find((r) => r.version < revision.version);
  const against = againstRow ? await editorial.findRevision(deps.db, articleId, againstRow.id) : undefined;
  return {
    headline: article.headline,
    version: revision.version,
    againstVersion: against?.version,
    before: against ? snapshotOf(against.snapshot) : undefined,
    after: snapshotOf(revision.snapshot),
  };
}

/**
 * Deletes an article that readers never saw (draft, pending, or never published), with its revisions; published
 * or unpublished articles are kept (unpublish them instead). Throws Forbidden, NotFound, ValidationError.
 */
export async function deleteDraft(deps: EditorialDeps, user: NewsroomUser, articleId: number): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const article = await editorial.findArticleById(tx, articleId);
    if (!article) throw new NotFound('No such article');
    const authors = (await editorial.authorsOf(tx, articleId)).map((a) => a.id);
    if (!canEdit(user, article, authors)) throw new Forbidden('You may not delete this article.');
    const seen = article.published_at !== null && article.published_at <= isoNow(deps.clock) && article.status !== 'draft' && article.status !== 'pending';
    if (seen || article.status === 'published' || article.status === 'scheduled') {
      throw new ValidationError({ headline: 'Only articles readers never saw can be deleted; unpublish this one instead.' });
    }
    await tx.deleteFrom('articles').where('id', '=', articleId).execute();
  });
}
