/** Opaque page cursors of the article list: the keyset (published_at, id) of the last article, base64url JSON. */
import type { ListCursor } from '../../articles/store.ts';
import { MAX_DB_ID } from '../../lib/form-input.ts';
import { BadRequest } from '../../lib/errors.ts';

/** Clients must treat this as opaque; the format may change. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.publishedAt, cursor.id])).toString('base64url');
}

/** The keyset in a `cursor` parameter. Throws BadRequest (field cursor) for anything this API did not hand out. */
export function decodeCursor(raw: string): ListCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.length === 2) {
    const [publishedAt, id] = value as unknown[];
    if (typeof publishedAt === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(publishedAt) && Number.isSafeInteger(id) && (id as number) >= 1 && (id as number) <= MAX_DB_ID) {
      return { publishedAt, id: id as number };
    }
  }
  throw new BadRequest('cursor', 'The cursor is not one this API returned: use next_cursor from the previous page.');
}
