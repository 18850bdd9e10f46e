/** Byline ("By Jane Doe and John Roe", author links) and the dateline with a machine-readable `<time>`. */
import type { NamedRef } from '../store.ts';
import { formatDate, formatDateTime, paths, type SiteView } from '../../web/site.ts';

/** Names joined the way bylines read: "A", "A and B", "A, B and C". */
function joinNames(authors: NamedRef[]) {
  return authors.map((a, i) => (
    <>
      {i === 0 ? '' : i === authors.length - 1 ? ' and ' : ', '}
      <a href={paths.author(a.slug)} rel="author">
        {a.name}
      </a>
    </>
  ));
}

export function Byline({ site, authors }: { site: SiteView; authors: NamedRef[] }) {
  return <p class="byline">By {authors.length ? joinNames(authors) : site.name}</p>;
}

export function Dateline({ site, place, publishedAt, revisedAt }: { site: SiteView; place: string; publishedAt: string; revisedAt?: string | null }) {
  return (
    <p class="dateline">
      {place ? <span class="dateline-place">{place}</span> : null}
      <time datetime={publishedAt}>{formatDate(site, publishedAt)}</time>
      {revisedAt ? (
        <span class="dateline-updated">
          {' '}
          Updated <time datetime={revisedAt}>{formatDateTime(site, revisedAt)}</time>
        </span>
      ) : null}
    </p>
  );
}

/** Short date for listings. */
export function ListingTime({ site, iso }: { site: SiteView; iso: string }) {
  return <time datetime={iso}>{formatDate(site, iso)}</time>;
}
