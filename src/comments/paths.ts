/** Addresses of the reader-facing comment pages; `/comments/ID` is a comment's stable permalink. */
export const commentPaths = {
  /** Redirects to the article page (and comment page) that shows the comment, at its anchor. */
  permalink: (id: number): string => `/comments/${id}`,
  edit: (id: number): string => `/comments/${id}/edit`,
  delete: (id: number): string => `/comments/${id}/delete`,
  report: (id: number): string => `/comments/${id}/report`,
};
