import { type KeyboardEvent, useId, useState } from 'react';
import type { RangeQuery } from '../../lib/analytics';
import {
  FILTER_FIELDS,
  type FilterField,
  type FilterOp,
  type FunnelFilter,
  type FunnelStepState,
  LIMITS,
} from '../../lib/funnel-url';
import { Field } from './Field';
import { describeFilter, FIELD_LABELS, mergeFilter, OP_LABELS, recordedFields } from './fields';
import { ValueSuggestions } from './ValueSuggestions';

/**
 * A step's filters as removable chips, and the control that adds one. Adding a value to a field and
 * operator the step already filters on widens that filter ("is b" then "is c" reads "is b or c"),
 * since two separate "is" filters on one field would have to hold at once and match nothing.
 */
export function StepFilters({
  step,
  name,
  testId,
  range,
  onChange,
}: {
  step: FunnelStepState;
  /** "Step 2", "Exclusion 1": names the chips' remove buttons for screen readers. */
  name: string;
  testId: string;
  range: RangeQuery;
  onChange(filters: FunnelFilter[]): void;
}) {
  const [adding, setAdding] = useState(false);
  const recorded = recordedFields(step.type);
  const full = step.filters.length >= LIMITS.maxFiltersPerStep;
  return (
    <div className="funnel-filters">
      {step.filters.length > 0 ? (
        <ul className="filter-chips" aria-label={`${name} filters`}>
          {step.filters.map((f, i) => {
            const text = describeFilter(f);
            const unrecorded = !recorded.includes(f.field);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: filters are positional; two may read alike
              <li key={i} className={unrecorded ? 'chip chip-warn' : 'chip'} data-testid={`${testId}-filter`}>
                <span title={f.values.join('\n')}>{text}</span>
                {unrecorded ? <span className="chip-note">{` (not recorded on ${step.type})`}</span> : null}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove filter ${text} from ${name}`}
                  onClick={() => onChange(step.filters.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {adding ? (
        <AddFilterForm
          step={step}
          name={name}
          testId={testId}
          range={range}
          onAdd={(f) => {
            onChange(mergeFilter(step.filters, f));
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button
          type="button"
          className="link-button"
          disabled={full}
          title={full ? `At most ${LIMITS.maxFiltersPerStep} filters per step` : undefined}
          onClick={() => setAdding(true)}
          data-testid={`${testId}-add-filter`}
        >
          Add filter
        </button>
      )}
    </div>
  );
}

function AddFilterForm({
  step,
  name,
  testId,
  range,
  onAdd,
  onCancel,
}: {
  step: FunnelStepState;
  name: string;
  testId: string;
  range: RangeQuery;
  onAdd(f: FunnelFilter): void;
  onCancel(): void;
}) {
  const recorded = recordedFields(step.type);
  const others = FILTER_FIELDS.filter((f) => !recorded.includes(f));
  const [field, setField] = useState<FilterField>(recorded[0] ?? 'intent');
  const [op, setOp] = useState<FilterOp>('in');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const errorId = useId();
  const existing = step.filters.find((f) => f.field === field && f.op === op);

  const submit = () => {
    // Surrounding spaces are almost always a slip when typing; inner text is kept exactly.
    const v = value.trim();
    if (v === '') return setError('Type or pick a value.');
    if (v.length > LIMITS.maxValueLength) return setError(`At most ${LIMITS.maxValueLength} characters.`);
    if (existing && existing.values.length >= LIMITS.maxValuesPerFilter && !existing.values.includes(v))
      return setError(`This filter already has ${LIMITS.maxValuesPerFilter} values.`);
    onAdd({ field, op, values: [v] });
  };
  // The builder is a form whose Enter runs the funnel; inside this control Enter adds the value instead.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape') onCancel();
  };

  return (
    <fieldset className="add-filter" data-testid={`${testId}-filter-form`}>
      <legend className="visually-hidden">Add a filter to {name}</legend>
      <Field label="Filter field">
        {(id) => (
          <select
            id={id}
            value={field}
            onChange={(e) => {
              setField(e.target.value as FilterField);
              setError(null);
            }}
          >
            {recorded.length > 0 ? (
              <optgroup label={`Recorded on ${step.type}`}>
                {recorded.map((f) => (
                  <option key={f} value={f}>
                    {FIELD_LABELS[f]}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label={`Not recorded on ${step.type} (always empty there)`}>
              {others.map((f) => (
                <option key={f} value={f}>
                  {FIELD_LABELS[f]}
                </option>
              ))}
            </optgroup>
          </select>
        )}
      </Field>
      <Field label="Filter operator">
        {(id) => (
          <select id={id} value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
            <option value="in">{OP_LABELS.in}</option>
            <option value="not_in">{OP_LABELS.not_in}</option>
          </select>
        )}
      </Field>
      <Field label="Filter value">
        {(id) => (
          <input
            id={id}
            type="text"
            list={listId}
            value={value}
            maxLength={LIMITS.maxValueLength}
            autoComplete="off"
            // biome-ignore lint/a11y/noAutofocus: the user just asked for this control; focus follows the click
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
            onKeyDown={onKeyDown}
          />
        )}
      </Field>
      <ValueSuggestions field={field} id={listId} range={range} />
      <button type="button" onClick={submit}>
        Add filter
      </button>
      <button type="button" className="link-button" onClick={onCancel}>
        Cancel
      </button>
      {!recorded.includes(field) ? (
        <p className="muted filter-hint">
          {step.type} events do not record {FIELD_LABELS[field].toLowerCase()}: "is" matches only empty values
          here.
        </p>
      ) : existing ? (
        <p className="muted filter-hint">Adds to the filter "{describeFilter(existing)}".</p>
      ) : null}
      {error ? (
        <p className="form-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
