import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { type Comparison, type DateRange, type Preset, presetRange } from './date-range';

type RangeState = {
  preset: Preset | 'custom';
  range: DateRange;
  comparison: Comparison;
  timeZone: string;
  setPreset(preset: Preset): void;
  setCustom(range: DateRange): void;
  setComparison(comparison: Comparison): void;
};

const RangeContext = createContext<RangeState | null>(null);

/** The date range every analytics page reads, in the merchant's zone; kept across pages. */
export function RangeProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const [preset, setPresetState] = useState<Preset | 'custom'>('last_28_days');
  const [range, setRange] = useState<DateRange>(() => presetRange('last_28_days', timeZone, new Date()));
  const [comparison, setComparison] = useState<Comparison>('previous_period');
  const value = useMemo<RangeState>(
    () => ({
      preset,
      range,
      comparison,
      timeZone,
      setPreset: (p) => {
        setPresetState(p);
        setRange(presetRange(p, timeZone, new Date()));
      },
      setCustom: (r) => {
        setPresetState('custom');
        setRange(r);
      },
      setComparison,
    }),
    [preset, range, comparison, timeZone],
  );
  return <RangeContext.Provider value={value}>{children}</RangeContext.Provider>;
}

export function useRange(): RangeState {
  const state = useContext(RangeContext);
  if (!state) throw new Error('useRange outside RangeProvider');
  return state;
}
