import { useSyncExternalStore } from 'react';
import { pathWithSharedState } from './url-state';

/*
 * A few routes do not need a router package: the path is the state, pushState changes it, and a
 * popstate or a navigate() call re-renders the subscribers.
 */

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** Pages with unsaved changes (lib/unsaved.ts): each says whether leaving is fine, asking if need be. */
const leaveGuards = new Set<() => boolean>();
export function addLeaveGuard(mayLeave: () => boolean): () => void {
  leaveGuards.add(mayLeave);
  return () => leaveGuards.delete(mayLeave);
}
const mayLeave = () => [...leaveGuards].every((g) => g());

/** The address on screen, restored when Back or Forward away from unsaved changes is declined. */
let shown = { path: window.location.pathname, search: window.location.search };
window.addEventListener('popstate', () => {
  if (window.location.pathname !== shown.path && leaveGuards.size > 0 && !mayLeave()) {
    window.history.pushState(null, '', shown.path + shown.search);
    return;
  }
  shown = { path: window.location.pathname, search: window.location.search };
  notify();
});

export function navigate(target: string, options: { replace?: boolean } = {}) {
  // Going to another page keeps the range, zone and comparison of this one (lib/url-state.ts).
  const to = pathWithSharedState(target, window.location.search);
  if (to === window.location.pathname + window.location.search) return;
  if (new URL(to, window.location.origin).pathname !== window.location.pathname && !mayLeave()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  // As a popstate: the path's subscribers here and the query string's (lib/location-search.ts) re-read it.
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => window.location.pathname,
  );
}

/** Matches `/experiments/:id/edit`-style patterns; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    const seg = s[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

/** Left clicks on in-app links navigate without reloading; modified clicks open tabs as usual. */
export function linkClick(to: string) {
  return (e: {
    button: number;
    metaKey: boolean;
    ctrlKey: boolean;
    shiftKey: boolean;
    preventDefault(): void;
  }) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
}
