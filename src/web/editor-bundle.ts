/**
 * The newsroom editor's browser script: src/newsroom/client/editor.ts bundled by esbuild on first request and kept
 * in memory (no build step, no generated files in the repository). Served at a content-versioned URL.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { fromRoot } from '../lib/root.ts';

const ENTRY = fromRoot('src', 'newsroom', 'client', 'editor.ts');
const TIPTAP_PACKAGE = fromRoot('node_modules', '@tiptap', 'core', 'package.json');

/** `/assets/editor.js?v=…`: changes with the client source and the TipTap version. */
export const EDITOR_SCRIPT_PATH = `/assets/editor.js?v=${createHash('sha256').update(readFileSync(ENTRY)).update(readFileSync(TIPTAP_PACKAGE)).digest('hex').slice(0, 12)}`;

let bundle: Promise<string> | undefined;

/** Minified ES2020 bundle of the editor script (built once per process). */
function editorBundle(): Promise<string> {
  // esbuild is loaded only here: reader pages never need it.
  bundle ??= import('esbuild').then(({ build }) => build({ entryPoints: [ENTRY], bundle: true, minify: true, format: 'esm', target: 'es2020', write: false, legalComments: 'none' })).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

export function registerEditorBundle(app: FastifyInstance): void {
  app.get('/assets/editor.js', async (_request, reply) => {
    const code = await editorBundle();
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(code);
  });
}
