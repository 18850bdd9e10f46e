/**
 * Comment notification emails (plain text): moderators about held comments, article authors about approved
 * comments, commenters about approved replies they asked to hear of. Placeholder until notifications land: logs.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import type { Mailer } from '../lib/mailer.ts';
import type { CommentNotifier } from './moderation.ts';

export interface NotificationDeps {
  db: DB;
  clock: Clock;
  mailer: Mailer;
  log: FastifyBaseLogger;
  /** Site secret, for unsubscribe tokens. */
  secret: string;
  siteName: string;
  /** Absolute origin for links back to the site. */
  siteUrl: string;
}

/** The app's CommentNotifier: sends after the triggering transaction committed; failures are logged, never thrown. */
export function createCommentNotifier(deps: NotificationDeps): CommentNotifier {
  return {
    held(commentIds) {
      deps.log.debug({ comments: commentIds }, 'comments held for moderation');
    },
    approved(commentIds) {
      deps.log.debug({ comments: commentIds }, 'comments approved');
    },
  };
}
