import { type InputHTMLAttributes, type Ref, useState } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: number;
  /** NaN while the field is empty or not a number: the form says "needs a number" beside it. */
  onChange(value: number): void;
  ref?: Ref<HTMLInputElement>;
};

/**
 * A number field that may be empty while typed: clearing it to type another number leaves it empty
 * (the form value is NaN, which the form's check refuses in words) instead of snapping to 0.
 */
export function NumberInput({ value, onChange, ref, ...rest }: Props) {
  const [draft, setDraft] = useState(() => (Number.isFinite(value) ? String(value) : ''));
  // The form may change the value itself (a reset, a new variant): show it unless the draft says it.
  const shown = draftShows(draft, value) ? draft : Number.isFinite(value) ? String(value) : '';
  return (
    <input
      {...rest}
      ref={ref}
      type="number"
      inputMode="numeric"
      value={shown}
      onChange={(e) => {
        setDraft(e.target.value);
        onChange(parseDraft(e.target.value));
      }}
    />
  );
}

/** The typed text as the form's number: NaN when empty or not a number. */
export function parseDraft(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** Whether the typed text already stands for the form's value (so typing is not overwritten). */
export function draftShows(draft: string, value: number): boolean {
  const parsed = parseDraft(draft);
  return Number.isNaN(parsed) ? Number.isNaN(value) : parsed === value;
}
