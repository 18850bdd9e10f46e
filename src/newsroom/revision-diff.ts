/** Readable differences between two revisions of an article: word-level for text (jsdiff), per paragraph for the body. */
import { createRequire } from 'node:module';
import type { Change } from 'diff';
import { parseHTML } from 'linkedom';
import type { Snapshot } from './editorial.ts';

/**
 * jsdiff, loaded at the first comparison (through its CommonJS build, so that diffSnapshots stays synchronous):
 * only the newsroom's revision page needs it, and loading its modules took about 15 ms of every start.
 */
const require = createRequire(import.meta.url);
let jsdiff: typeof import('diff') | undefined;
const diffWords = (before: string, after: string): Change[] => (jsdiff ??= require('diff') as typeof import('diff')).diffWords(before, after);

export interface FieldDiff {
  field: keyof Snapshot;
  label: string;
  /** Runs of unchanged, added and removed text, in order. */
  parts: Change[];
}

const LABELS: Record<keyof Snapshot, string> = {
  kind: 'Kind', headline: 'Headline', dek: 'Dek', slug: 'Address', body_html: 'Body', dateline: 'Dateline', section: 'Section', tags: 'Tags',
  authors: 'Byline', credits: 'Credits', comment_status: 'Comments', status: 'Status', published_at: 'Publication time',
};

const BLOCKS = 'p, h2, h3, h4, blockquote, li, figcaption, pre, td, th';

/**
 * Body HTML as the text a reader sees, one innermost block (paragraph, subheading, item…) per line pair, with link
 * and image addresses written out so that changing only an address still shows as a difference.
 */
function bodyText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const a of document.body.querySelectorAll('a[href]')) a.append(` <${a.getAttribute('href')}>`);
  for (const img of document.body.querySelectorAll('img')) img.replaceWith(`[image ${img.getAttribute('alt') ?? ''} <${img.getAttribute('src') ?? ''}>]`);
  const leaves = [...document.body.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
  return (leaves.length ? leaves.map((el) => el.textContent ?? '') : [document.body.textContent ?? '']).map((t) => t.trim().replace(/\s+/g, ' ')).filter(Boolean).join('\n\n');
}

/** Reader-facing names of the fields, for revision summaries too. */
export function fieldLabel(field: string): string {
  return LABELS[field as keyof Snapshot] ?? field;
}

function asText(snapshot: Snapshot, field: keyof Snapshot): string {
  const value = snapshot[field];
  if (field === 'body_html') return bodyText(String(value));
  if (Array.isArray(value)) return value.join(field === 'credits' ? '\n' : ', ');
  return value === null || value === undefined ? '' : String(value);
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
