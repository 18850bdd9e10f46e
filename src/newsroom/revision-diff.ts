/** Readable differences between two revisions of an article: word-level for text (jsdiff), per paragraph for the body. */
import { diffWords, type Change } from 'diff';
import { parseHTML } from 'linkedom';
import type { Snapshot } from './editorial.ts';

export interface FieldDiff {
  field: keyof Snapshot;
  label: string;
  /** Runs of unchanged, added and removed text, in order. */
  parts: Change[];
}

const LABELS: Record<keyof Snapshot, string> = {
  headline: 'Headline', dek: 'Dek', slug: 'Address', body_html: 'Body', dateline: 'Dateline', section: 'Section', tags: 'Tags',
  authors: 'Byline', credits: 'Credits', comment_status: 'Comments', status: 'Status', published_at: 'Publication time',
};

/** Body HTML as the text a reader sees: one block (paragraph, subheading, quote, item) per line pair. */
function bodyText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const blocks = [...document.body.querySelectorAll('p, h2, h3, h4, blockquote, li, figcaption, pre')];
  return (blocks.length ? blocks.map((el) => el.textContent ?? '') : [document.body.textContent ?? '']).map((t) => t.trim()).filter(Boolean).join('\n\n');
}

function asText(snapshot: Snapshot, field: keyof Snapshot): string {
  const value = snapshot[field];
  if (field === 'body_html') return bodyText(String(value));
  if (Array.isArray(value)) return value.join(field === 'credits' ? '\n' : ', ');
  return value === null ? '' : String(value);
}

/** The fields that differ between `before` (undefined: nothing) and `after`, each as a word diff. */
export function diffSnapshots(before: Snapshot | undefined, after: Snapshot): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const field of Object.keys(LABELS) as (keyof Snapshot)[]) {
    const old = before ? asText(before, field) : '';
    const now = asText(after, field);
    if (old !== now) diffs.push({ field, label: LABELS[field], parts: diffWords(old, now) });
  }
  return diffs;
}
