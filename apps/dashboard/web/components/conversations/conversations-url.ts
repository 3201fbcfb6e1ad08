import { useMemo } from 'react';
import { criteriaParams, EMPTY_CRITERIA, SESSION_OUTCOMES, type SessionCriteria } from '../../lib/analytics';
import { replaceSearch, useLocationSearch } from '../../lib/location-search';

/*
 * The applied session search lives in the address (?q=…&outcome=…), so reloading, sharing the link or
 * coming back to it shows the same sessions. A transcript's address carries the search it was opened
 * from, so its "back to the search" link survives a reload too. The date range is the global one.
 */

/** The search in a query string; unknown parameters are ignored and unknown choices read as "any". */
export function criteriaFromSearch(search: string): SessionCriteria {
  const params = new URLSearchParams(search);
  const c = { ...EMPTY_CRITERIA };
  for (const key of Object.keys(c) as (keyof SessionCriteria)[]) {
    const v = params.get(key);
    if (v !== null) (c as Record<string, string>)[key] = v;
  }
  if (c.outcome && !(SESSION_OUTCOMES as readonly string[]).includes(c.outcome)) c.outcome = '';
  if (c.device !== '' && c.device !== 'screen' && c.device !== 'voice') c.device = '';
  return c;
}

/** Only the filters that are set, as a query string ('' when none is). */
export function searchFromCriteria(c: SessionCriteria): string {
  const search = new URLSearchParams(criteriaParams(c)).toString();
  return search ? `?${search}` : '';
}

export const searchPath = (search: string) => `/conversations${search}`;
export const transcriptPath = (sessionId: string, search: string) =>
  `/conversations/${encodeURIComponent(sessionId)}${search}`;

/**
 * The conversations page's state as the address holds it: the applied search, and the paths that keep
 * it (back to the results, into a transcript). Applying a search replaces the current history entry
 * rather than adding one, so Back leaves the search instead of stepping through earlier filters.
 */
export function useConversationsUrl() {
  const locationSearch = useLocationSearch();
  const criteria = useMemo(() => criteriaFromSearch(locationSearch), [locationSearch]);
  const search = searchFromCriteria(criteria);
  return {
    criteria,
    searchPath: searchPath(search),
    transcriptPath: (sessionId: string) => transcriptPath(sessionId, search),
    applyCriteria: (next: SessionCriteria) => replaceSearch(searchFromCriteria(next)),
  };
}
