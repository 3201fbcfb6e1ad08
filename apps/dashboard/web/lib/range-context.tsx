import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type Comparison, type DateRange, type Preset, presetRange } from './date-range';
import { replaceSearch, useLocationSearch } from './location-search';
import { readSharedState, type SharedState, writeSharedState } from './url-state';

type RangeState = {
  preset: Preset | 'custom';
  range: DateRange;
  comparison: Comparison;
  timeZone: string;
  /** The merchant's own zone (the default), to offer beside the one in use. */
  merchantTimeZone: string;
  /** Why part of the address was ignored, or null. */
  problem: string | null;
  setPreset(preset: Preset): void;
  setCustom(range: DateRange): void;
  setComparison(comparison: Comparison): void;
  setTimeZone(timeZone: string): void;
};

const RangeContext = createContext<RangeState | null>(null);

/**
 * The date range, zone and comparison every analytics page reads. The address is the one store
 * (lib/url-state.ts): changes replace the query string, the pages and the nav read it back, and an
 * address without them gets the defaults written in, so it can be copied as it is.
 */
export function RangeProvider({
  timeZone: merchantTimeZone,
  children,
}: {
  timeZone: string;
  children: ReactNode;
}) {
  const search = useLocationSearch();
  // "Today" is read when the address changes, not on every render, so the state stays stable.
  const read = useMemo(
    () => readSharedState(search, merchantTimeZone, new Date()),
    [search, merchantTimeZone],
  );
  const written = writeSharedState(search, read);
  // The address is corrected right away, so its problem is kept here until the viewer changes something.
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (read.problem) setProblem(read.problem);
  }, [read.problem]);
  useEffect(() => {
    if (written !== search) replaceSearch(written);
  }, [written, search]);
  const value = useMemo<RangeState>(() => {
    const set = (next: Partial<SharedState>) => {
      setProblem(null);
      replaceSearch(writeSharedState(window.location.search, { ...read, ...next }));
    };
    return {
      ...read,
      problem: read.problem ?? problem,
      merchantTimeZone,
      setPreset: (p) => set({ range: presetRange(p, read.timeZone, new Date()) }),
      setCustom: (range) => set({ range }),
      setComparison: (comparison) => set({ comparison }),
      setTimeZone: (timeZone) => set({ timeZone }),
    };
  }, [read, problem, merchantTimeZone]);
  return <RangeContext.Provider value={value}>{children}</RangeContext.Provider>;
}

export function useRange(): RangeState {
  const state = useContext(RangeContext);
  if (!state) throw new Error('useRange outside RangeProvider');
  return state;
}
