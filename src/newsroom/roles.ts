/** Newsroom roles and what each may do; every admin handler asks `requireCan` before acting. */
import type { Role } from '../db/schema.ts';
import { Forbidden } from '../lib/errors.ts';

export const ROLES: readonly Role[] = ['contributor', 'author', 'editor', 'admin'];

export type Action =
  | 'article.create' // write drafts and submit them for review
  | 'article.publish.own' // publish, schedule and unpublish articles one is a byline author of
  | 'article.edit.any' // edit anyone's articles
  | 'article.publish.any' // publish, schedule and unpublish any article
  | 'comments.moderate'
  | 'taxonomy.manage' // sections and tags
  | 'users.manage'
  | 'settings.manage';

/** The least role allowed each action; roles are ordered, each includes the ones before it. */
const LEAST_ROLE: Record<Action, Role> = {
  'article.create': 'contributor',
  'article.publish.own': 'author',
  'article.edit.any': 'editor',
  'article.publish.any': 'editor',
  'comments.moderate': 'editor',
  'taxonomy.manage': 'editor',
  'users.manage': 'admin',
  'settings.manage': 'admin',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(user: { role: Role }, action: Action): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(LEAST_ROLE[action]);
}

/** Throws Forbidden (403) unless `user` may do `action`. */
export function requireCan(user: { role: Role }, action: Action): void {
  if (!can(user, action)) throw new Forbidden(`Your role (${user.role}) does not allow this.`);
}
