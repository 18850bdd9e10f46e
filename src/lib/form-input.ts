/** Reading untrusted form and query input: one string per field whatever was sent, and ids both databases can hold. */

/** Largest id stored in an `integer` column on PostgreSQL (2^31 − 1); SQLite allows more, but ids stay portable. */
export const MAX_DB_ID = 2_147_483_647;

/**
 * The string value of `key` in a parsed body or query object: the first string when the field was sent several
 * times, '' when it is missing or not text.
 */
export function stringField(source: unknown, key: string): string {
  if (!source || typeof source !== 'object') return '';
  const value = (source as Record<string, unknown>)[key];
  const text = typeof value === 'string' ? value : Array.isArray(value) ? (value.find((v): v is string => typeof v === 'string') ?? '') : '';
  // NUL cannot be stored in PostgreSQL text and is never meaningful in a form.
  return text.replaceAll('\u0000', '');
}

/** True when a path parameter holds a NUL byte: no such page can exist (PostgreSQL cannot even compare it). */
export function hasNul(params: unknown): boolean {
  return !!params && typeof params === 'object' && Object.values(params).some((v) => typeof v === 'string' && v.includes('\u0000'));
}

/** A positive database id written in plain decimal digits, or undefined. */
export function parseId(raw: string): number | undefined {
  if (!/^\d{1,10}$/.test(raw.trim())) return undefined;
  const id = Number(raw.trim());
  return id >= 1 && id <= MAX_DB_ID ? id : undefined;
}
