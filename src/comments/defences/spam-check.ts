/**
 * The spam-check interface the posting pipeline calls after its own rules, and the optional Akismet adapter
 * (Akismet REST API 1.1 comment-check). Off unless AKISMET_API_KEY is set: by default no reader data leaves the
 * site. A checker that cannot answer (timeout, HTTP error, unexpected reply) throws; the pipeline then holds the
 * comment for moderation.
 */

/** What a spam checker may look at; the raw IP is only in memory for the length of the request. */
export interface SpamCheckInput {
  ip: string;
  userAgent: string;
  referrer: string;
  /** Absolute URL of the article. */
  permalink: string;
  authorName: string;
  email: string;
  url: string;
  body: string;
  isReply: boolean;
}

export interface SpamVerdict {
  spam: boolean;
  /** e.g. "Akismet: spam". */
  reason: string;
}

export interface SpamChecker {
  /** Resolves with the verdict; throws when no verdict could be had. */
  check(input: SpamCheckInput): Promise<SpamVerdict>;
}

export interface AkismetOptions {
  apiKey: string;
  /** Origin of the Akismet REST API, normally https://rest.akismet.com. */
  endpoint: string;
  /** The site's public origin (Akismet's `blog`). */
  siteUrl: string;
  language: string;
  /** Give up after this many ms (default 3000). */
  timeoutMs?: number;
}

/** Akismet comment-check: "true" is spam, "false" is ham, anything else is an error. */
export function akismetChecker(options: AkismetOptions): SpamChecker {
  return {
    async check(input) {
      const form = new URLSearchParams({
        api_key: options.apiKey,
        blog: options.siteUrl,
        blog_lang: options.language,
        blog_charset: 'UTF-8',
        user_ip: input.ip,
        user_agent: input.userAgent,
        referrer: input.referrer,
        permalink: input.permalink,
        comment_type: input.isReply ? 'reply' : 'comment',
        comment_author: input.authorName,
        comment_author_email: input.email,
        comment_author_url: input.url,
        comment_content: input.body,
      });
      const response = await fetch(`${options.endpoint}/1.1/comment-check`, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      });
      const answer = (await response.text()).trim();
      if (!response.ok) throw new Error(`Akismet answered HTTP ${response.status}`);
      if (answer === 'true') {
        const discard = response.headers.get('x-akismet-pro-tip') === 'discard';
        return { spam: true, reason: discard ? 'Akismet: blatant spam' : 'Akismet: spam' };
      }
      if (answer === 'false') return { spam: false, reason: 'Akismet: not spam' };
      throw new Error(`Akismet could not check the comment: ${response.headers.get('x-akismet-debug-help') ?? (answer.slice(0, 100) || 'empty reply')}`);
    },
  };
}
