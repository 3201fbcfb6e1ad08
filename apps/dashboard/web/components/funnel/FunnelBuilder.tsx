import { EVENT_TYPES, type EventType } from '@pitchline/core/events';
import { type FormEvent, useId, useState } from 'react';
import type { Breakdown, RangeQuery } from '../../lib/analytics';
import { useExperiments } from '../../lib/experiments';
import {
  defaultFunnel,
  FUNNEL_BREAKDOWNS,
  type FunnelMode,
  type FunnelState,
  type FunnelStepState,
  type FunnelUnit,
  fitsInUrl,
  LIMITS,
  MODES,
  type ParsedFunnel,
  serializeFunnel,
  UNITS,
} from '../../lib/funnel-url';
import { Field } from './Field';
import {
  BREAKDOWN_LABELS,
  describeIssuePath,
  MODE_LABELS,
  splitWindow,
  UNIT_LABELS,
  WINDOW_UNITS,
} from './fields';
import { StepFilters } from './StepFilters';
import './funnel.css';

export type ApiIssue = { path: (string | number)[]; message: string };

/**
 * The funnel definition being edited. It starts from the funnel in the address (the one the results
 * show) and changes nothing there until "Run funnel": then the page pushes the new address, so every
 * run is a history entry the back button returns to, and editing alone queries nothing.
 */
export function FunnelBuilder({
  applied,
  range,
  issues,
  onRun,
}: {
  applied: ParsedFunnel;
  range: RangeQuery;
  /** The API's 400 issues for the funnel the results are asked for. */
  issues: ApiIssue[] | null;
  onRun(state: FunnelState): void;
}) {
  const [draft, setDraft] = useState<FunnelState>(applied.state);
  const [windowValid, setWindowValid] = useState(true);
  // Bumped by a reset, so the window input re-reads its value instead of keeping what was typed.
  const [generation, setGeneration] = useState(0);
  const baseId = useId();
  const unitWord = UNIT_LABELS[draft.unit].plural;
  const dirty = serializeFunnel(draft) !== serializeFunnel(applied.state);
  const fits = fitsInUrl(draft);
  const canRun = fits && windowValid;

  const update = (patch: Partial<FunnelState>) => setDraft((d) => ({ ...d, ...patch }));
  const setStep = (list: 'steps' | 'exclusions', i: number, step: FunnelStepState) =>
    setDraft((d) => ({ ...d, [list]: d[list].map((s, j) => (j === i ? step : s)) }));
  const removeFrom = (list: 'steps' | 'exclusions', i: number) =>
    setDraft((d) => ({ ...d, [list]: d[list].filter((_, j) => j !== i) }));
  const issueRows = new Set(
    (issues ?? []).flatMap((i) =>
      (i.path[0] === 'steps' || i.path[0] === 'exclusions') && typeof i.path[1] === 'number'
        ? [`${i.path[0]}-${i.path[1]}`]
        : [],
    ),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canRun) onRun(draft);
  };

  return (
    <form className="card funnel-builder" aria-label="Funnel definition" onSubmit={submit} noValidate>
      {applied.problems.length > 0 ? (
        <div className="warning" role="status" data-testid="funnel-link-problems">
          <strong>This link's funnel could not be read, so the voice sales funnel is shown instead.</strong>
          <ul>
            {applied.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <fieldset className="funnel-section">
        <legend>Steps</legend>
        <ol className="funnel-rows">
          {draft.steps.map((s, i) => {
            const id = `${baseId}-step-${i}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional and may repeat a type
              <li key={i} className={issueRows.has(`steps-${i}`) ? 'funnel-row has-issue' : 'funnel-row'}>
                <div className="funnel-row-head">
                  <label htmlFor={id}>
                    Step {i + 1}
                    <span className="visually-hidden"> event</span>
                  </label>
                  <EventSelect
                    id={id}
                    value={s.type}
                    testId={`step-${i + 1}`}
                    onChange={(type) => setStep('steps', i, { ...s, type })}
                  />
                  <button
                    type="button"
                    className="link-button"
                    disabled={draft.steps.length <= LIMITS.minSteps}
                    onClick={() => removeFrom('steps', i)}
                    aria-label={`Remove step ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
                <StepFilters
                  step={s}
                  name={`Step ${i + 1}`}
                  testId={`step-${i + 1}`}
                  range={range}
                  onChange={(filters) => setStep('steps', i, { ...s, filters })}
                />
              </li>
            );
          })}
        </ol>
        <div className="form-row">
          <button
            type="button"
            disabled={draft.steps.length >= LIMITS.maxSteps}
            onClick={() =>
              update({
                steps: [...draft.steps, { type: draft.steps.at(-1)?.type ?? 'session_start', filters: [] }],
              })
            }
          >
            Add step
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDraft(defaultFunnel());
              setWindowValid(true);
              setGeneration((g) => g + 1);
            }}
          >
            Reset to the voice sales funnel
          </button>
        </div>
      </fieldset>

      <fieldset className="funnel-section">
        <legend>Exclude {unitWord} that…</legend>
        <p className="muted funnel-help">
          …have any matching event, from a day before the range to its end plus the window: they leave the
          whole funnel.
        </p>
        {draft.exclusions.length > 0 ? (
          <ol className="funnel-rows">
            {draft.exclusions.map((s, i) => {
              const id = `${baseId}-exclusion-${i}`;
              return (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: exclusions are positional and may repeat a type
                  key={i}
                  className={issueRows.has(`exclusions-${i}`) ? 'funnel-row has-issue' : 'funnel-row'}
                  data-testid={`exclusion-${i + 1}`}
                >
                  <div className="funnel-row-head">
                    <label htmlFor={id}>
                      Exclusion {i + 1}
                      <span className="visually-hidden"> event</span>
                    </label>
                    <EventSelect
                      id={id}
                      value={s.type}
                      testId={`exclusion-${i + 1}-event`}
                      onChange={(type) => setStep('exclusions', i, { ...s, type })}
                    />
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => removeFrom('exclusions', i)}
                      aria-label={`Remove exclusion ${i + 1}`}
                    >
                      Remove
                    </button>
                  </div>
                  <StepFilters
                    step={s}
                    name={`Exclusion ${i + 1}`}
                    testId={`exclusion-${i + 1}`}
                    range={range}
                    onChange={(filters) => setStep('exclusions', i, { ...s, filters })}
                  />
                </li>
              );
            })}
          </ol>
        ) : null}
        <button
          type="button"
          disabled={draft.exclusions.length >= LIMITS.maxExclusions}
          title={
            draft.exclusions.length >= LIMITS.maxExclusions
              ? `At most ${LIMITS.maxExclusions} exclusions`
              : undefined
          }
          onClick={() => update({ exclusions: [...draft.exclusions, { type: 'session_end', filters: [] }] })}
        >
          Add exclusion
        </button>
      </fieldset>

      <fieldset className="funnel-section">
        <legend>Options</legend>
        <div className="form-row">
          <Field label="Step order">
            {(id) => (
              <select
                id={id}
                value={draft.mode}
                onChange={(e) => update({ mode: e.target.value as FunnelMode })}
              >
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABELS[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <WindowInput
            key={generation}
            seconds={draft.windowSeconds}
            onChange={(seconds) => {
              setWindowValid(seconds !== null);
              if (seconds !== null) update({ windowSeconds: seconds });
            }}
          />
          <Field label="Count by">
            {(id) => (
              <select
                id={id}
                value={draft.unit}
                onChange={(e) => update({ unit: e.target.value as FunnelUnit })}
              >
                {UNITS.map((u) => (
                  <option key={u} value={u}>
                    {UNIT_LABELS[u].option}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Breakdown">
            {(id) => (
              <select
                id={id}
                value={draft.breakdown}
                onChange={(e) => update({ breakdown: e.target.value as Breakdown })}
                data-testid="funnel-breakdown"
              >
                {FUNNEL_BREAKDOWNS.map((b) => (
                  <option key={b} value={b}>
                    {BREAKDOWN_LABELS[b]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {draft.breakdown === 'variant' ? (
            <ExperimentSelect
              value={draft.experimentKey}
              onChange={(experimentKey) =>
                setDraft((d) => {
                  const { experimentKey: _, ...rest } = d;
                  return experimentKey ? { ...rest, experimentKey } : rest;
                })
              }
            />
          ) : null}
        </div>
      </fieldset>

      {issues && issues.length > 0 ? (
        <div className="funnel-issues" role="alert" data-testid="funnel-issues">
          <strong>The funnel was not run: the server refused this definition.</strong>
          <ul>
            {issues.map((i, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity; order is the server's
              <li key={n}>
                {describeIssuePath(i.path)}: {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!fits ? (
        <p className="form-error" role="alert">
          This funnel is too large to keep in a link ({LIMITS.maxSearchLength} characters at most): remove
          some filter values.
        </p>
      ) : null}

      <div className="form-row">
        <button type="submit" className="primary" disabled={!canRun} data-testid="run-funnel">
          Run funnel
        </button>
        <span className="muted" aria-live="polite">
          {dirty ? 'Changed: run to see the new funnel.' : ''}
        </span>
      </div>
    </form>
  );
}

function EventSelect({
  id,
  value,
  testId,
  onChange,
}: {
  id: string;
  value: EventType;
  testId: string;
  onChange(type: EventType): void;
}) {
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value as EventType)}
      data-testid={testId}
    >
      {EVENT_TYPES.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}

/** The conversion window as a whole number of days, hours, minutes or seconds (the spec counts seconds). */
function WindowInput({ seconds, onChange }: { seconds: number; onChange(seconds: number | null): void }) {
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

/** Which experiment's variants split the funnel; without one, every experiment:variant pair is a group. */
function ExperimentSelect({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange(key: string | undefined): void;
}) {
  const experiments = useExperiments().data?.experiments ?? [];
  const known = experiments.some((e) => e.key === value);
  return (
    <Field label="Breakdown experiment">
      {(id) => (
        <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">Every experiment (experiment:variant)</option>
          {value && !known ? <option value={value}>{value}</option> : null}
          {experiments.map((e) => (
            <option key={e.id} value={e.key}>
              {e.name} ({e.key})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
