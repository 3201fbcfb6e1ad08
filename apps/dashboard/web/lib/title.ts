import { useEffect } from 'react';

/** "Funnels · Pitchline": the page's own words first, so tabs and history read apart. */
export function pageTitle(...parts: (string | null | undefined)[]): string {
  const named = parts.map((p) => p?.trim()).filter((p): p is string => Boolean(p));
  return [...named, 'Pitchline'].join(' · ');
}

/** Sets the document title while the page is shown (the next page sets its own). */
export function useTitle(...parts: (string | null | undefined)[]) {
  const title = pageTitle(...parts);
  useEffect(() => {
    document.title = title;
  }, [title]);
}
