/** Threaded list of approved comments; every value is escaped, commenter websites only as http(s) nofollow links. */
import type { CommentNode } from '../service.ts';
import { formatDateTime, type SiteView } from '../../web/site.ts';

function CommentAuthor({ node }: { node: CommentNode }) {
  // The URL was validated on the way in; checked again here because this is the last line of defence.
  const safeUrl = /^https?:\/\//i.test(node.authorUrl) ? node.authorUrl : '';
  return (
    <cite class="comment-author">
      {safeUrl ? (
        <a href={safeUrl} rel="nofollow ugc noopener" class="url">
          {node.authorName}
        </a>
      ) : (
        node.authorName
      )}
    </cite>
  );
}

function CommentText({ body }: { body: string }) {
  return (
    <div class="comment-text">
      {body.split(/\n{2,}/).map((para) => (
        <p>
          {para.split('\n').map((line, i) => (
            <>
              {i > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

function CommentItem({ site, node, articlePath }: { site: SiteView; node: CommentNode; articlePath: string }) {
  const anchor = `comment-${node.id}`;
  return (
    <li id={anchor} class={`comment depth-${node.depth}`}>
      <article aria-labelledby={`${anchor}-author`}>
        <header class="comment-meta">
          <span id={`${anchor}-author`}>
            <CommentAuthor node={node} />
          </span>
          <a class="comment-permalink" href={`#${anchor}`}>
            <time datetime={node.createdAt}>{formatDateTime(site, node.createdAt)}</time>
          </a>
        </header>
        <CommentText body={node.body} />
        <a class="comment-reply-link" href={`${articlePath}?replyto=${node.id}#respond`} aria-label={`Reply to ${node.authorName}`}>
          Reply
        </a>
      </article>
      {node.replies.length ? (
        <ol class="comment-replies">
          {node.replies.map((reply) => (
            <CommentItem site={site} node={reply} articlePath={articlePath} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

export function CommentThread({ site, comments, articlePath }: { site: SiteView; comments: CommentNode[]; articlePath: string }) {
  if (!comments.length) return <p class="comments-empty">No comments yet. Start the conversation.</p>;
  return (
    <ol class="comment-list">
      {comments.map((node) => (
        <CommentItem site={site} node={node} articlePath={articlePath} />
      ))}
    </ol>
  );
}
