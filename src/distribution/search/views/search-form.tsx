/** The site search form: a plain GET form to /search (no JavaScript), in the masthead and atop the results page. */
import { distributionPaths } from '../../paths.ts';

export interface SearchFormProps {
  /** Id of the text field (unique on the page). */
  id: string;
  /** Accessible name of the search landmark, e.g. "Site" or "Search articles". */
  label: string;
  /** Shown in the field: the reader's query on the results page. */
  query?: string;
  class?: string;
}

export function SearchForm({ id, label, query = '', class: className = 'search-form' }: SearchFormProps) {
  return (
    <form class={className} role="search" aria-label={label} method="get" action={distributionPaths.search()}>
      <label class="visually-hidden" for={id}>
        Search articles
      </label>
      <input id={id} type="search" name="q" value={query} />
      <button type="submit" class="submit">
        Search
      </button>
    </form>
  );
}
