/**
 * WordPress shortcodes in post bodies, turned into the HTML WordPress would show (parsed with WordPress's own
 * @wordpress/shortcode): [caption] → <figure> with <figcaption>, [gallery] → a figure of the attached images,
 * [embed], [audio], [video], [playlist] → a link to the media (Broadsheet bodies hold no players or iframes).
 * Other shortcodes are left as text, as WordPress shows a shortcode whose plugin is gone, and reported by name.
 */
import * as shortcode from '@wordpress/shortcode';
import { escapeHtml } from '../../lib/escape-html.ts';

/** An attachment (wp:post_type attachment) of the export: its file URL, title and alt text. */
export interface WxrAttachment {
  id: string;
  url: string;
  title: string;
  alt: string;
  /** wp:post_id of the post it is attached to, '' if none. */
  parent: string;
  /** The attachment page's address on the old site (`<link>`). */
  link: string;
}

export interface ShortcodeContext {
  /** This post's wp:post_id: [gallery] without ids shows the images attached to it. */
  postId: string;
  attachments: ReadonlyMap<string, WxrAttachment>;
  /** Attachment ids by parent post id, in file order. */
  attachedTo: ReadonlyMap<string, readonly string[]>;
}

export interface ShortcodeResult {
  html: string;
  /** Names of shortcodes left as text, once each, e.g. ["videopress"]. */
  unknown: string[];
}

const HANDLED = ['caption', 'wp_caption', 'gallery', 'embed', 'audio', 'video', 'playlist'] as const;

/** `<img>` of an attachment, or '' when the id names none. */
function imageOf(attachment: WxrAttachment | undefined): string {
  return attachment?.url ? `<img src="${escapeHtml(attachment.url)}" alt="${escapeHtml(attachment.alt)}">` : '';
}

/** A paragraph linking to `url`, labelled with `label` (or the URL itself). */
function linkParagraph(url: string, label?: string): string {
  const href = url.trim();
  if (!/^https?:\/\//i.test(href)) return '';
  return `<p><a href="${escapeHtml(href)}">${escapeHtml(label ?? href)}</a></p>`;
}

/** [caption]…<img>… text[/caption] (or caption="…"): the image (with its link) and the caption text. */
function caption(sc: shortcode.Shortcode): string {
  const content = sc.content ?? '';
  // The image, possibly wrapped in a link, comes first; the rest is the caption (WordPress 3.4+ form).
  const image = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)/i.exec(content);
  const media = image?.[1] ?? '';
  const text = (sc.attrs.named.caption ?? content.slice(image ? image[0].length : 0)).trim();
  if (!media) return content;
  return `<figure>${media}${text ? `<figcaption>${text}</figcaption>` : ''}</figure>`;
}

/** [gallery ids="1,2"] or [gallery] (the post's attached images): one figure holding the images. */
function gallery(sc: shortcode.Shortcode, ctx: ShortcodeContext): string {
  const ids = sc.attrs.named.ids ?? sc.attrs.named.include;
  const wanted = ids ? ids.split(',').map((id) => id.trim()).filter(Boolean) : [...(ctx.attachedTo.get(ctx.postId) ?? [])];
  const images = wanted.map((id) => imageOf(ctx.attachments.get(id))).filter(Boolean);
  return images.length ? `<figure>${images.join('')}</figure>` : '';
}

/** The media address of [audio]/[video]: src, a format attribute (mp3="…"), the first bare value, or the content. */
function mediaSource(sc: shortcode.Shortcode): string {
  const named = sc.attrs.named;
  const byFormat = Object.entries(named).find(([key, value]) => key !== 'src' && /^https?:\/\//i.test(value ?? ''));
  return (named.src ?? byFormat?.[1] ?? sc.attrs.numeric[0] ?? sc.content ?? '').trim();
}

/**
 * `html` with the handled shortcodes converted (see module comment). `ctx` resolves [gallery] images. Runs before
 * wpautop, as WordPress's do_shortcode runs on the raw post content.
 */
export function convertShortcodes(html: string, ctx: ShortcodeContext): ShortcodeResult {
  let out = html;
  for (const tag of HANDLED) {
    if (!out.includes(`[${tag}`)) continue;
    out = shortcode.replace(tag, out, (sc) => {
      switch (tag) {
        case 'caption':
        case 'wp_caption':
          return caption(sc);
        case 'gallery':
          return gallery(sc, ctx);
        case 'embed':
          return linkParagraph(sc.content ?? '');
        case 'playlist': {
          const ids = (sc.attrs.named.ids ?? '').split(',').map((id) => ctx.attachments.get(id.trim())).filter((a) => a?.url);
          return ids.map((a) => linkParagraph(a!.url, a!.title || undefined)).join('');
        }
        default:
          return linkParagraph(mediaSource(sc));
      }
    });
  }
  // @wordpress/shortcode memoises every attribute text it parses, unbounded, and the values it caches are slices of
  // the whole post body: left alone, each post with a [caption] kept its body in memory for the rest of an import
  // (19 MB more live heap between 13,000 and 45,000 posts of the benchmark). Nothing is gained across posts, so the
  // cache goes with each body.
  shortcode.attrs.clear();
  return { html: out, unknown: unknownShortcodes(out) };
}

/**
 * Names of what still looks like a shortcode: `[name key="value"…]`, `[name]…[/name]` or a self-closing `[name /]`.
 * Bracketed words without attributes or a closing tag are ordinary text ("[sic]", "[when asked]") and not reported.
 */
export function unknownShortcodes(html: string): string[] {
  const names = new Set<string>();
  for (const m of html.matchAll(/\[([a-z][a-z0-9_-]*)(\s+[^\]]*?)?(\/)?\]/gi)) {
    const name = m[1]!;
    // `[name key="value"]`, `[name /]` or a closed pair; "[when asked]" in a quotation is text.
    if (m[2]?.includes('=') || m[3] || html.includes(`[/${name}]`)) names.add(name.toLowerCase());
  }
  return [...names];
}

/**
 * Bare URLs on a line of their own, which WordPress turns into embeds (oEmbed): a link here, since Broadsheet
 * fetches no third-party players.
 */
export function linkBareUrls(html: string): string {
  return html.replace(/^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gim, (_, url: string) => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`);
}
