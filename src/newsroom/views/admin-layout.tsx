/** The newsroom frame: a bar with the site name and, when signed in, the sections of the CMS and a sign-out button. */
import type { ComponentChildren } from 'preact';
import type { NewsroomUser } from '../accounts.ts';
import { can } from '../roles.ts';
import { Script } from '../../web/views/script.tsx';
import { assetPath } from '../../web/asset-paths.ts';

export interface AdminFrame {
  siteName: string;
  stylesheet: string;
  adminStylesheet: string;
  language: string;
  csrfToken: string;
  user?: NewsroomUser;
  /** Comments waiting for moderation, shown next to the Comments link (moderators' page views only). */
  pendingComments?: number;
}

export function AdminLayout({ frame, title, children, scripts = [] }: { frame: AdminFrame; title: string; children: ComponentChildren; scripts?: string[] }) {
  const { user } = frame;
  return (
    <html lang={frame.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} - ${frame.siteName} newsroom`}</title>
        <link rel="icon" href={assetPath('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={frame.stylesheet} />
        <link rel="stylesheet" href={frame.adminStylesheet} />
        {scripts.map((src) => (
          <Script type="module" src={src} />
        ))}
      </head>
      <body class="admin" data-user={user ? String(user.id) : undefined}>
        <a class="skip-link" href="#content">
          Skip to content
        </a>
        <header class="admin-bar">
          <a class="admin-brand" href="/admin">
            {frame.siteName} <span>newsroom</span>
          </a>
          {user ? (
            <nav aria-label="Newsroom">
              <ul>
                <li>
                  <a href="/admin">Articles</a>
                </li>
                {can(user, 'comments.moderate') ? (
                  <li>
                    <a href="/admin/comments">
                      Comments
                      {frame.pendingComments ? (
                        <>
                          {' '}
                          <span class="nav-count">
                            {frame.pendingComments}
                            <span class="visually-hidden"> pending</span>
                          </span>
                        </>
                      ) : null}
                    </a>
                  </li>
                ) : null}
                {can(user, 'taxonomy.manage') ? (
                  <li>
                    <a href="/admin/taxonomy">Sections &amp; tags</a>
                  </li>
                ) : null}
                {can(user, 'users.manage') ? (
                  <li>
                    <a href="/admin/users">Users</a>
                  </li>
                ) : null}
                {can(user, 'settings.manage') ? (
                  <li>
                    <a href="/admin/webhooks">Webhooks</a>
                  </li>
                ) : null}
                {can(user, 'settings.manage') ? (
                  <li>
                    <a href="/admin/api-keys">API keys</a>
                  </li>
                ) : null}
                <li>
                  <a href="/">View site</a>
                </li>
              </ul>
            </nav>
          ) : null}
          {user ? (
            <form method="post" action="/admin/logout" class="admin-signout">
              <input type="hidden" name="_csrf" value={frame.csrfToken} />
              <a class="admin-user" href="/admin/account">
                {user.displayName} ({user.role})
              </a>
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main id="content" class="admin-main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
