/** A Ghost post's body as HTML: its stored `html`, else rendered from its `lexical` (Ghost 5) or `mobiledoc` (Ghost 1–4) source. */
import MobiledocHtmlRenderer from '@tryghost/kg-mobiledoc-html-renderer';
import { MOBILEDOC_CARDS } from './mobiledoc-cards.ts';
import type { GhostPost } from './parse.ts';

/** Ghost writes its own address as this placeholder in exported links and images (Ghost 4+). */
const GHOST_URL = /__GHOST_URL__/g;

/**
 * `html` with Ghost's `__GHOST_URL__` placeholder replaced by `ghostUrl` (the old site's origin, without a trailing
 * slash). The default '' leaves root-relative links (`/welcome/`), which the recorded legacy paths redirect to the
 * imported article; root-relative images are then dropped by the sanitiser unless an origin is given.
 */
export function resolveGhostUrls(html: string, ghostUrl = ''): string {
  return html.replace(GHOST_URL, ghostUrl.replace(/\/+$/, ''));
}

export interface GhostBody {
  html: string;
  /** Where the HTML came from. */
  from: 'html' | 'lexical' | 'mobiledoc' | 'none';
  /** Mobiledoc cards this importer cannot render (left out of the body). */
  unknownCards: string[];
}

let lexicalRenderer: Promise<(state: string) => Promise<string>> | undefined;

/** Ghost's lexical renderer with every Koenig card, loaded on first use only (it brings jsdom). */
function renderLexical(state: string): Promise<string> {
  lexicalRenderer ??= (async () => {
    const [{ default: LexicalHTMLRenderer }, { DEFAULT_NODES }] = await Promise.all([import('@tryghost/kg-lexical-html-renderer'), import('@tryghost/kg-default-nodes')]);
    const renderer = new LexicalHTMLRenderer({ nodes: DEFAULT_NODES as never[] });
    return (s: string) => renderer.render(s);
  })();
  return lexicalRenderer.then((render) => render(state));
}

function renderMobiledoc(source: string): { html: string; unknownCards: string[] } {
  const unknownCards: string[] = [];
  const renderer = new MobiledocHtmlRenderer({ cards: MOBILEDOC_CARDS, unknownCardHandler: ({ env }) => void unknownCards.push(env.name) });
  return { html: renderer.render(JSON.parse(source)), unknownCards };
}

/**
 * The body of `post`, preferring the `html` Ghost rendered itself. Throws (a SyntaxError or the renderer's error)
 * when the only source is malformed; the caller reports that post and goes on.
 */
export async function ghostBody(post: GhostPost, ghostUrl = ''): Promise<GhostBody> {
  const resolve = (html: string): string => resolveGhostUrls(html, ghostUrl);
  if (post.html?.trim()) return { html: resolve(post.html), from: 'html', unknownCards: [] };
  if (post.lexical?.trim()) return { html: resolve(await renderLexical(post.lexical)), from: 'lexical', unknownCards: [] };
  if (post.mobiledoc?.trim()) {
    const { html, unknownCards } = renderMobiledoc(post.mobiledoc);
    return { html: resolve(html), from: 'mobiledoc', unknownCards };
  }
  return { html: '', from: 'none', unknownCards: [] };
}
