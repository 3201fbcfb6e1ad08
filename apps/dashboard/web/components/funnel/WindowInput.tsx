import { useId, useState } from 'react';
import { LIMITS } from '../../lib/funnel-url';
import { Field } from './Field';
import { splitWindow, WINDOW_UNITS } from './fields';

/** The conversion window as a whole number of days, hours, minutes or seconds (the spec counts seconds). */
export function WindowInput({
  seconds,
  onChange,
}: {
  seconds: number;
  onChange(seconds: number | null): void;
}) {
  const initial = splitWindow(seconds);
  const [amount, setAmount] = useState(String(initial.amount));
  const [unitSeconds, setUnitSeconds] = useState<number>(initial.unitSeconds);
  const errorId = useId();
  const parse = (text: string, unit: number): number | null => {
    if (!/^\d{1,9}$/.test(text.trim())) return null;
    const s = Number(text.trim()) * unit;
    return s >= 1 && s <= LIMITS.maxWindowSeconds ? s : null;
  };
  const valid = parse(amount, unitSeconds) !== null;
  return (
    <span className="window-input">
      <Field label="Conversion window">
        {(id) => (
          <input
            id={id}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={amount}
            aria-invalid={valid ? undefined : true}
            aria-describedby={valid ? undefined : errorId}
            onChange={(e) => {
              setAmount(e.target.value);
              onChange(parse(e.target.value, unitSeconds));
            }}
          />
        )}
      </Field>
      <Field label="Window unit" hidden>
        {(id) => (
          <select
            id={id}
            value={unitSeconds}
            onChange={(e) => {
              const unit = Number(e.target.value);
              setUnitSeconds(unit);
              onChange(parse(amount, unit));
            }}
          >
            {WINDOW_UNITS.map((u) => (
              <option key={u.seconds} value={u.seconds}>
                {u.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {valid ? null : (
        <span className="form-error" id={errorId}>
          A whole number, from 1 second to 90 days.
        </span>
      )}
    </span>
  );
}
