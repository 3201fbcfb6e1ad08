import { useSyncExternalStore } from 'react';

/*
 * The query string as React state. lib/router.ts tracks the path only; the funnel page keeps its
 * definition in the query string, so it listens to popstate too (back/forward), and a run pushes a
 * history entry and announces it the same way, so one code path handles both.
 */

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
}

export function useLocationSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** A new history entry with this query string on the current path (no scroll, unlike navigate()). */
export function pushSearch(search: string): void {
  if (search === window.location.search) return;
  window.history.pushState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  // Listeners of popstate (this page, and the router, whose path did not change) re-read the location.
  window.dispatchEvent(new PopStateEvent('popstate'));
}
