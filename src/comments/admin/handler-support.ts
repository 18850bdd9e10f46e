/** Small pieces shared by the comment moderation handlers: the frame, dates, ids and return addresses from forms. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommentStatus } from '../../db/schema.ts';
import { parseId, stringField } from '../../lib/form-input.ts';
import type { AdminFrame } from '../../newsroom/views/admin-layout.tsx';
import type { AppContext } from '../../web/context.ts';
import { siteView } from '../../web/context.ts';
import { formatDateTime } from '../../web/site.ts';
import { COMMENT_STATUSES } from './queue-store.ts';

export type FrameOf = (request: FastifyRequest, reply: FastifyReply) => AdminFrame;

/** Most comments one bulk action takes (a page holds 50). */
const MAX_BULK = 500;

/** Formats ISO times for the newsroom: the site's language and time zone. */
export async function timeFormatter(ctx: AppContext): Promise<(iso: string) => string> {
  const site = await siteView(ctx);
  return (iso) => formatDateTime(site, iso);
}

/** A queue tab named by untrusted input, defaulting to pending. */
export function statusOf(raw: string): CommentStatus {
  return (COMMENT_STATUSES as readonly string[]).includes(raw) ? (raw as CommentStatus) : 'pending';
}

/** A 1-based page number named by untrusted input (1 when absent or silly). */
export function pageOf(raw: string): number {
  return Math.min(parseId(raw) ?? 1, 10_000);
}

/** The distinct valid ids of a repeated `ids` form field, at most MAX_BULK. */
export function idsOf(body: unknown): number[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).ids : undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  const ids = values.map((v) => (typeof v === 'string' ? parseId(v) : undefined)).filter((id): id is number => id !== undefined);
  return [...new Set(ids)].slice(0, MAX_BULK);
}

/**
 * A `return_to` form field when it is a comment moderation page of this site, else undefined. The address is
 * resolved first (dot segments, backslashes), so what is checked is where the browser would really go.
 */
export function returnPathOf(body: unknown): string | undefined {
  const raw = stringField(body, 'return_to');
  if (!raw.startsWith('/')) return undefined;
  let url: URL;
  try {
    url = new URL(raw, 'http://site.invalid');
  } catch {
    return undefined;
  }
  if (url.origin !== 'http://site.invalid' || !/^\/admin\/comments(\/|$)/.test(url.pathname) || url.pathname.includes('//')) return undefined;
  return url.pathname + url.search;
}

/** `path` with extra query parameters (e.g. the confirmation to show). */
export function withParams(path: string, params: Record<string, string>): string {
  const url = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.pathname + url.search;
}
