/** Helpers for tests that post reader comments: the form's hidden fields, and settings that let every comment through. */
import type { DB } from '../../src/db/database.ts';
import { DEFAULT_COMMENT_SETTINGS, saveCommentSettings, type CommentSettings } from '../../src/comments/settings.ts';
import { Client, parsePage } from './http.ts';

export type HiddenCommentFields = { form_time: string };

/** The hidden field a browser sends back with the comment form on `page`: the signed form time. Throws when the page has no comment form. */
export function hiddenCommentFields(page: ReturnType<typeof parsePage>): HiddenCommentFields {
  const formTime = page.querySelector('form.comment-form input[name="form_time"]')?.getAttribute('value');
  if (!formTime) throw new Error('no comment form in the page');
  return { form_time: formTime };
}

/** A new reader who has loaded `path` (holding its cookies) and the hidden fields of its comment form. */
export async function readerOn(origin: string, path: string): Promise<{ client: Client; hidden: HiddenCommentFields }> {
  const client = new Client(origin);
  const { html } = await client.get(path);
  return { client, hidden: hiddenCommentFields(parsePage(html)) };
}

/**
 * Stores comment settings with the defences that depend on who posts and when switched off (first-time hold,
 * minimum fill time, flood interval, hourly limit), plus `overrides`: for tests about something else.
 */
export async function useOpenCommentSettings(db: DB, overrides: Partial<CommentSettings> = {}): Promise<CommentSettings> {
  const settings: CommentSettings = { ...DEFAULT_COMMENT_SETTINGS, holdFirstTime: false, minFillSeconds: 0, floodSeconds: 0, maxPerHour: 1_000_000, ...overrides };
  await saveCommentSettings(db, settings);
  return settings;
}
