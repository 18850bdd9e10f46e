/** Imports captured article pages (plain text or saved HTML) from files; each file is one transaction. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { saveArticle, type ArticleDeps, type SaveResult } from '../articles/service.ts';
import { slugFor } from '../lib/slug.ts';
import { CaptureError, type CapturedArticle } from './capture.ts';
import { parseHtmlCapture } from './capture-html.ts';
import { parseTextCapture } from './capture-text.ts';

export interface CaptureImportOptions {
  /** Site name to strip from page titles ("Headline - The World News"). */
  siteName?: string;
  /** Section for articles whose capture names none. */
  section?: string;
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

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? String(error)})`;
    throw new ImportError(file, reason);
  }
  if (bytes.length === 0) throw new ImportError(file, 'the file is empty');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(file, 'the file is not UTF-8 text');
  }
}

/** Parses a capture's text in the given format. Throws CaptureError. */
export function parseCapture(text: string, format: 'text' | 'html', opts: CaptureImportOptions = {}): CapturedArticle {
  return format === 'html' ? parseHtmlCapture(text, opts) : parseTextCapture(text, opts);
}

/**
 * Imports one capture file as a published article. Re-importing a capture of the same headline updates that
 * article (import key: `capture` + headline slug). Throws ImportError naming the file and the reason.
 */
export async function importCaptureFile(deps: ArticleDeps, file: string, opts: CaptureImportOptions = {}): Promise<CaptureImportResult> {
  const text = await readText(file);
  const format = detectFormat(file, text);
  try {
    const captured = parseCapture(text, format, opts);
    const section = captured.section ?? opts.section;
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
      importKey: slugFor(captured.headline),
    });
    return { ...saved, file, headline: captured.headline, format };
  } catch (error) {
    if (error instanceof CaptureError) throw new ImportError(file, error.reason);
    if (error instanceof Error && error.name === 'ValidationError') throw new ImportError(file, error.message);
    throw error;
  }
}
