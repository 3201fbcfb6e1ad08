import { useId } from 'react';
import { isDay, PRESET_LABELS, PRESETS, type Preset } from '../lib/date-range';
import { useRange } from '../lib/range-context';

export function DateRangePicker() {
  const { preset, range, comparison, timeZone, setPreset, setCustom, setComparison } = useRange();
  const id = useId();
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
          value={range.from}
          max={range.to}
          onChange={(e) => isDay(e.target.value) && setCustom({ ...range, from: e.target.value })}
        />
      </label>
      <span aria-hidden="true">–</span>
      <label>
        <span className="visually-hidden">To</span>
        <input
          type="date"
          value={range.to}
          min={range.from}
          onChange={(e) => isDay(e.target.value) && setCustom({ ...range, to: e.target.value })}
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
      <span className="muted tz" title="Days start at midnight in the merchant's time zone">
        {timeZone}
      </span>
    </fieldset>
  );
}
