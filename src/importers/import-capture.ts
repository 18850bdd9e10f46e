/** Imports captured article pages (plain text or saved HTML) from files; each file is one transaction. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { saveArticle, type ArticleDeps, type SaveResult } from '../articles/service.ts';
import { markContentChanged } from '../settings/store.ts';
import { ledeOf } from '../lib/sanitize.ts';
import { slugFor } from '../lib/slug.ts';
import { CaptureError, type CapturedArticle } from './capture.ts';
import { parseTextCapture } from './capture-text.ts';

export interface CaptureImportOptions {
  /** Site name to strip from page titles ("Headline - The World News"). */
  siteName?: string;
  /** Section for articles whose capture names none. */
  section?: string;
  /** Keep non-Latin letters in slugs (SLUGS=unicode). */
  unicodeSlugs?: boolean;
}

export interface CaptureImportResult extends SaveResult {
  file: string;
  headline: string;
  format: 'text' | 'html';
}

/** An import of one file failed; the message names the file and the reason. Nothing of that file was stored. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImportError';
  }
}

/** Text or HTML, by extension first, then by whether the content opens like an HTML document. */
export function detectFormat(file: string, text: string): 'text' | 'html' {
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return 'html';
  if (ext === '.txt') return 'text';
  return /^\s*(<!doctype html|<html[\s>])/i.test(text.slice(0, 1024)) ? 'html' : 'text';
}

/** Largest capture accepted, in bytes: a long article page is well under 1 MB. */
export const MAX_CAPTURE_BYTES = 5 * 1024 * 1024;

/** Decodes UTF-8, or UTF-16 when the file starts with its byte-order mark. */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isFile() && info.size > MAX_CAPTURE_BYTES) throw new ImportError(file, `the file is ${(info.size / 1048576).toFixed(1)} MB; captures are limited to ${MAX_CAPTURE_BYTES / 1048576} MB`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? String(error)})`;
    throw new ImportError(file, reason);
  }
  if (bytes.length === 0) throw new ImportError(file, 'the file is empty');
  try {
    return decode(bytes);
  } catch {
    throw new ImportError(file, 'the file is not UTF-8 text (convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)');
  }
}

/**
 * Parses a capture's text in the given format. Rejects with CaptureError. The HTML parser (Readability) loads with
 * the first HTML capture: the site imports this module for captureKey (demo content) and never parses HTML.
 */
export async function parseCapture(text: string, format: 'text' | 'html', opts: CaptureImportOptions = {}): Promise<CapturedArticle> {
  if (format === 'text') return parseTextCapture(text, opts);
  const { parseHtmlCapture } = await import('./capture-html.ts');
  return parseHtmlCapture(text, opts);
}

/**
 * The identity of a captured article, so that importing it again updates it: its canonical URL when the page
 * names one, else its headline together with its lede. Two different articles under one headline ("Letters to
 * the Editor") therefore stay two articles.
 */
export function captureKey(captured: CapturedArticle): string {
  if (captured.canonicalUrl) return `url:${captured.canonicalUrl}`;
  const lede = ledeOf(captured.bodyHtml).toLowerCase().replace(/\s+/g, ' ');
  return `${slugFor(captured.headline)}:${createHash('sha256').update(lede).digest('hex').slice(0, 16)}`;
}

/**
 * Imports one capture file as a published article; importing the same capture again updates it (see captureKey).
 * Throws ImportError naming the file and the reason; nothing of a refused file is stored.
 */
export async function importCaptureFile(deps: ArticleDeps, file: string, opts: CaptureImportOptions = {}): Promise<CaptureImportResult> {
  const text = await readText(file);
  const format = detectFormat(file, text);
  try {
    const captured = await parseCapture(text, format, opts);
    const section = captured.section?.trim() || opts.section?.trim() || undefined;
    const saved = await saveArticle(deps, {
      headline: captured.headline,
      dek: captured.dek,
      bodyHtml: captured.bodyHtml,
      credits: captured.credits,
      authors: captured.authors.map((name) => ({ name })),
      tags: captured.tags,
      section: section ? { name: section } : undefined,
      publishedAt: captured.publishedAt,
      status: 'published',
      importSource: 'capture',
      importKey: captureKey(captured),
      unicodeSlug: opts.unicodeSlugs,
    });
    await markContentChanged(deps.db);
    return { ...saved, file, headline: captured.headline, format };
  } catch (error) {
    if (error instanceof CaptureError) throw new ImportError(file, error.reason);
    if (error instanceof Error && error.name === 'ValidationError') throw new ImportError(file, error.message);
    throw error;
  }
}
