/**
 * What happened to published content, for listeners outside the domain that did it (webhooks, search, caches,
 * CDN purges). Emitted after the change has committed; a listener's failure is logged and never reaches the
 * request or the other listeners.
 */
export type SiteEvent =
  | { type: 'article.published' | 'article.updated' | 'article.unpublished'; articleId: number }
  | { type: 'comment.approved'; commentId: number; articleId: number }
  /** Saved as scheduled: not visible yet, but caches must know when it will be (caching/change-watch.ts). */
  | { type: 'article.scheduled'; articleId: number }
  /** Any other change readers can see in an article's comments: withdrawn, edited, erased, hidden by reports. */
  | { type: 'comment.changed'; articleId: number }
  /** A change every page shows: sections (navigation), tags, comment settings. */
  | { type: 'site.changed' };

export type SiteEventListener = (event: SiteEvent) => void | Promise<void>;

export interface SiteEvents {
  /** Tells every listener (asynchronously); never throws. */
  emit(event: SiteEvent): void;
  on(listener: SiteEventListener): void;
  /** Resolves when every listener call started so far has settled (shutdown, tests). */
  idle(): Promise<void>;
}

/** An in-process event fan-out; `log` receives listener failures. */
export function createSiteEvents(log: { error(obj: object, msg: string): void }): SiteEvents {
  const listeners: SiteEventListener[] = [];
  const running = new Set<Promise<void>>();
  return {
    emit(event) {
      for (const listener of listeners) {
        const task: Promise<void> = Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) => log.error({ err: error, event }, 'site event listener failed'))
          .finally(() => running.delete(task));
        running.add(task);
      }
    },
    on(listener) {
      listeners.push(listener);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
