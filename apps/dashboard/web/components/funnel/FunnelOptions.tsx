import type { Breakdown } from '../../lib/analytics';
import {
  FUNNEL_BREAKDOWNS,
  type FunnelMode,
  type FunnelState,
  type FunnelUnit,
  MODES,
  UNITS,
} from '../../lib/funnel-url';
import { ExperimentSelect } from './ExperimentSelect';
import { Field } from './Field';
import { BREAKDOWN_LABELS, MODE_LABELS, UNIT_LABELS } from './fields';
import { WindowInput } from './WindowInput';

/** How the steps are matched and counted: step order, window, unit, and the breakdown into groups. */
export function FunnelOptions({
  draft,
  windowGeneration,
  onChange,
  onWindowValidity,
}: {
  draft: FunnelState;
  /** Changes when the draft is reset, so the window input drops what was typed into it. */
  windowGeneration: number;
  onChange(update: (draft: FunnelState) => FunnelState): void;
  onWindowValidity(valid: boolean): void;
}) {
  const update = (patch: Partial<FunnelState>) => onChange((d) => ({ ...d, ...patch }));
  return (
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
          key={windowGeneration}
          seconds={draft.windowSeconds}
          onChange={(seconds) => {
            onWindowValidity(seconds !== null);
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
              onChange((d) => {
                const { experimentKey: _, ...rest } = d;
                return experimentKey ? { ...rest, experimentKey } : rest;
              })
            }
          />
        ) : null}
      </div>
    </fieldset>
  );
}
