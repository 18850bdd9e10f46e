/** What in a captured article page is a credit line, what is site boilerplate, and how a page title carries the site name. */

/**
 * Lines of site furniture that captures pick up (comment forms, share and subscribe prompts). Matched against a
 * whole trimmed line, case-insensitively, so body text that merely starts with "Share" is never dropped.
 */
const BOILERPLATE: readonly RegExp[] = [
  /^add a comment\.?$/i,
  /^leave a (comment|reply)\.?$/i,
  /^(\d+ )?comments?$/i,
  /^(show|view|read) (all )?(\d+ )?comments?$/i,
  /^your email address will not be published\.?( required fields are marked \*)?$/i,
  /^required fields are marked \*$/i,
  /^(share|share this( article| story)?|share on (facebook|twitter|x|linkedin|whatsapp|email|reddit)|share via email|copy link|tweet|email|print)$/i,
  /^(subscribe|subscribe now|sign up|sign in|log in|follow us|newsletter)$/i,
  /^(subscribe|sign up) (to|for) (our|the) [\w ]*newsletters?\.?$/i,
  /^follow us on [\w ,]+\.?$/i,
  /^advertisement$/i,
  /^(related|related (articles|stories|coverage)|read more|more on this story|most popular)$/i,
  /^skip to (main )?content$/i,
];

/**
 * Credit lines printed after a news article body: "Olivia Wang contributed research.",
 * "Jane Doe contributed reporting from Kyiv.", "Additional reporting by Jane Doe."
 */
const CREDIT: readonly RegExp[] = [
  /^[\p{Lu}][^!?]{1,200}?\bcontributed (additional )?(research|reporting|writing|translation|video|photography)\b[^]*\.$/u,
  /^(additional |research and )?(reporting|research|writing|editing|translation) (was )?(contributed )?by [\p{Lu}][^]{1,200}\.$/iu,
];

const MAX_CREDIT_LENGTH = 300;

export function isBoilerplate(line: string): boolean {
  const text = line.trim().replace(/\s+/g, ' ');
  return BOILERPLATE.some((re) => re.test(text));
}

export function isCreditLine(line: string): boolean {
  const text = line.trim();
  return text.length <= MAX_CREDIT_LENGTH && CREDIT.some((re) => re.test(text));
}

/**
 * Splits the blocks that follow an article body into body and credits: boilerplate anywhere is dropped,
 * credit lines are taken from the end of the body (where newspapers print them).
 */
export function splitBodyAndCredits(blocks: readonly string[]): { body: string[]; credits: string[] } {
  const body = blocks.filter((b) => !isBoilerplate(b));
  const credits: string[] = [];
  while (body.length > 0 && isCreditLine(body.at(-1)!)) credits.unshift(body.pop()!.trim());
  return { body, credits };
}

/** Separators sites put between headline and site name in `<title>`: " - ", " | ", " – ", " — ", " · ". */
const TITLE_SEPARATOR = /\s+[-|–—·:]\s+/g;

/**
 * The headline inside a page title such as "Headline - Site Name". A trailing part is removed when it equals
 * `siteName` or when `headlineHint` (e.g. the page's own h1) equals the part before it. Otherwise the title is kept whole.
 */
export function headlineFromTitle(title: string, opts: { siteName?: string; headlineHint?: string } = {}): string {
  const clean = title.trim().replace(/\s+/g, ' ');
  const separators = [...clean.matchAll(TITLE_SEPARATOR)];
  const norm = (s: string) => s.trim().toLowerCase();
  for (const match of separators.reverse()) {
    const head = clean.slice(0, match.index).trim();
    const tail = clean.slice(match.index + match[0].length).trim();
    if (opts.siteName && norm(tail) === norm(opts.siteName)) return head;
    if (opts.headlineHint && norm(head) === norm(opts.headlineHint)) return head;
  }
  return clean;
}
