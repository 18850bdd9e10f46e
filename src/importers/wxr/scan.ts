/**
 * The first read of a WXR export: what the import must know before it meets the posts — every attachment (for
 * [gallery], featured images and copying), and which categories are some post's first (→ section) or only ever a
 * later one (→ tag). Holds attachments and category slugs only, never post bodies.
 */
import { stat } from 'node:fs/promises';
import { itemKey } from './map.ts';
import { readWxr } from './parse.ts';
import type { WxrAttachment } from './shortcodes.ts';

export interface WxrScan {
  totalBytes: number;
  /** By wp:post_id. */
  attachments: Map<string, WxrAttachment>;
  /** Attachment ids by parent post id, in file order. */
  attachedTo: Map<string, string[]>;
  /** Nicenames of categories that are the first category of some post. */
  firstCategories: Set<string>;
  /** Nicenames of categories that appear on posts, but never first. */
  laterCategories: Set<string>;
  /** Channel-level categories by nicename (for parent chains of category addresses). */
  categoriesBySlug: Map<string, { slug: string; parent: string }>;
  /** Import keys (guids) that more than one post or page of the file carries: only these need watching while importing. */
  repeatedKeys: Set<string>;
}

/** Reads `path` once for the scan; `onBytes(read, total)` hears progress. Throws WxrError like readWxr. */
export async function scanWxr(path: string, onBytes?: (bytes: number, totalBytes: number) => void): Promise<WxrScan> {
  const totalBytes = (await stat(path)).size;
  const scan: WxrScan = { totalBytes, attachments: new Map(), attachedTo: new Map(), firstCategories: new Set(), laterCategories: new Set(), categoriesBySlug: new Map(), repeatedKeys: new Set() };
  // Every key is held only while scanning; the import keeps the few repeated ones, not one per post.
  const keys = new Set<string>();
  for await (const entry of readWxr(path, { onBytes: (bytes) => onBytes?.(bytes, totalBytes) })) {
    if (entry.kind === 'term') {
      if (entry.term.taxonomy === 'category') scan.categoriesBySlug.set(entry.term.slug, { slug: entry.term.slug, parent: entry.term.parent });
      continue;
    }
    if (entry.kind !== 'item') continue;
    const item = entry.item;
    const id = item.postId.trim();
    if (item.postType.trim() === 'attachment') {
      const parent = item.postParent.trim();
      scan.attachments.set(id, { id, url: (item.attachmentUrl || item.guid).trim(), title: item.title.trim(), alt: item.meta._wp_attachment_image_alt ?? '', parent: parent === '0' ? '' : parent, link: item.link.trim() });
      if (parent && parent !== '0') scan.attachedTo.set(parent, [...(scan.attachedTo.get(parent) ?? []), id]);
      continue;
    }
    const key = itemKey(item);
    if (keys.has(key)) scan.repeatedKeys.add(key);
    else keys.add(key);
    const categories = item.categories.filter((c) => c.domain === 'category' && c.name).map((c) => c.nicename);
    categories.forEach((slug, i) => (i === 0 ? scan.firstCategories : scan.laterCategories).add(slug));
  }
  for (const slug of scan.firstCategories) scan.laterCategories.delete(slug);
  return scan;
}
