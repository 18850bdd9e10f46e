/** Error pages (404, 403, 500) in the site layout, with a way back to the front page. */
import { Layout } from './layout.tsx';
import type { SiteView } from '../site.ts';

const HEADINGS: Record<number, string> = { 400: 'Bad request', 403: 'Not allowed', 404: 'Page not found', 422: 'Check your input', 429: 'Too many requests' };

export function ErrorPage({ site, status, message }: { site: SiteView; status: number; message: string }) {
  const heading = HEADINGS[status] ?? 'Something went wrong';
  return (
    <Layout site={site} title={`${heading} - ${site.name}`}>
      <div class="error-page">
        <p class="error-status">Error {status}</p>
        <h1>{heading}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Go to the front page</a>
        </p>
      </div>
    </Layout>
  );
}
