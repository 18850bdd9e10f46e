/** The reply-mail unsubscribe page: one button that stops the emails, then a confirmation (reader layout). */
import type { SiteView } from '../../web/site.ts';
import { Layout } from '../../web/views/layout.tsx';

export interface UnsubscribePageProps {
  site: SiteView;
  /** Where the button posts (the unsubscribe address with its token), or undefined once done. */
  action?: string;
}

/** Before: what the button does. After (no action): that no more reply emails will come. */
export function UnsubscribePage({ site, action }: UnsubscribePageProps) {
  const heading = action ? 'Stop emails about replies' : 'Emails about replies stopped';
  return (
    <Layout site={site} title={`${heading} - ${site.name}`} noindex>
      {/* The centred single-message frame of the error pages fits this page too. */}
      <div class="error-page unsubscribe-page">
        <h1>{heading}</h1>
        {action ? (
          <>
            <p>You asked {site.name} to email you when someone replies to your comment. This stops those emails for every comment you wrote with the same email address.</p>
            <form method="post" action={action}>
              <input type="hidden" name="List-Unsubscribe" value="One-Click" />
              <button type="submit" class="button-primary">
                Stop emails about replies
              </button>
            </form>
          </>
        ) : (
          <p>You will no longer receive emails about replies to your comments. If you change your mind, tick “Notify me of replies by email” when you next comment.</p>
        )}
      </div>
    </Layout>
  );
}
