import { useId, useState } from 'react';
import { type DateRange, isDay, PRESET_LABELS, PRESETS, type Preset } from '../lib/date-range';
import { useRange } from '../lib/range-context';
import { rangeProblem } from '../lib/url-state';

/**
 * The range, zone and comparison of every analytics page. Typed dates are a draft until they make a
 * range the API accepts: an inverted or out-of-bounds range is refused here, in words, and nothing is
 * asked of the server meanwhile.
 */
export function DateRangePicker() {
  const {
    preset,
    range,
    comparison,
    timeZone,
    merchantTimeZone,
    problem,
    setPreset,
    setCustom,
    setComparison,
    setTimeZone,
  } = useRange();
  const id = useId();
  const [draft, setDraft] = useState<{ from: string; to: string }>(range);
  const [draftOf, setDraftOf] = useState<DateRange>(range);
  if (draftOf !== range) {
    // The applied range changed (a preset, back/forward): the draft follows it.
    setDraftOf(range);
    setDraft(range);
  }
  const draftProblem = rangeProblem(draft);
  const change = (next: { from: string; to: string }) => {
    setDraft(next);
    if (rangeProblem(next) === null && isDay(next.from) && isDay(next.to)) setCustom(next as DateRange);
  };
  const zones = [...new Set([merchantTimeZone, timeZone, 'UTC'])];
  const message = draftProblem ?? problem;
  return (
    <fieldset className="range-picker">
      <legend className="visually-hidden">Date range</legend>
      <label htmlFor={`${id}-preset`} className="visually-hidden">
        Period
      </label>
      <select
        id={`${id}-preset`}
        value={preset}
        onChange={(e) => {
          if (e.target.value !== 'custom') setPreset(e.target.value as Preset);
        }}
      >
        {PRESETS.map((p) => (
          <option key={p} value={p}>
            {PRESET_LABELS[p]}
          </option>
        ))}
        <option value="custom">Custom</option>
      </select>
      <label>
        <span className="visually-hidden">From</span>
        <input
          type="date"
          value={draft.from}
          aria-invalid={draftProblem ? true : undefined}
          aria-describedby={message ? `${id}-problem` : undefined}
          data-testid="range-from"
          onChange={(e) => change({ ...draft, from: e.target.value })}
        />
      </label>
      <span aria-hidden="true">–</span>
      <label>
        <span className="visually-hidden">To</span>
        <input
          type="date"
          value={draft.to}
          aria-invalid={draftProblem ? true : undefined}
          aria-describedby={message ? `${id}-problem` : undefined}
          data-testid="range-to"
          onChange={(e) => change({ ...draft, to: e.target.value })}
        />
      </label>
      <label className="compare">
        <input
          type="checkbox"
          checked={comparison === 'previous_period'}
          onChange={(e) => setComparison(e.target.checked ? 'previous_period' : 'none')}
        />
        vs previous period
      </label>
      <label className="tz" title="Days start at midnight in this time zone">
        <span className="visually-hidden">Time zone</span>
        <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)} data-testid="range-tz">
          {zones.map((z) => (
            <option key={z} value={z}>
              {z === merchantTimeZone ? `${z} (store)` : z}
            </option>
          ))}
        </select>
      </label>
      {message ? (
        <p className="range-problem" id={`${id}-problem`} role="alert" data-testid="range-problem">
          {draftProblem ? `${draftProblem} The figures still show ${range.from} to ${range.to}.` : message}
        </p>
      ) : null}
    </fieldset>
  );
}
