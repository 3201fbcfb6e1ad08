import { useSyncExternalStore } from 'react';
import { withSharedState } from './url-state';

/*
 * The query string as React state. lib/router.ts tracks the path only; pages that keep their state in
 * the query string (the funnel, the session search) listen to popstate too (back/forward), and a
 * change they make announces itself the same way, so one code path handles both.
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
  changeSearch(search, 'push');
}

/** This query string on the current path, in place of the current history entry (no scroll either). */
export function replaceSearch(search: string): void {
  changeSearch(search, 'replace');
}

/** The query string a page's own `search` becomes: the shared range, zone and comparison stay in it. */
export function fullSearch(search: string): string {
  return withSharedState(search, window.location.search);
}

function changeSearch(pageSearch: string, how: 'push' | 'replace'): void {
  // A page rewrites its own parameters; the shared state (lib/url-state.ts) stays in the address.
  const search = fullSearch(pageSearch);
  if (search === window.location.search) return;
  const to = `${window.location.pathname}${search}${window.location.hash}`;
  if (how === 'push') window.history.pushState(null, '', to);
  else window.history.replaceState(null, '', to);
  // Listeners of popstate (this page, and the router, whose path did not change) re-read the location.
  window.dispatchEvent(new PopStateEvent('popstate'));
}
