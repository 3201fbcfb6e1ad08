import {
  GUARDRAIL_METRICS,
  PRIMARY_METRICS,
  type PrimaryMetric,
} from '@pitchline/core/experiments/definition';
import { useId } from 'react';
import { REVENUE_CAPS } from './experiment-form';
import { NumberInput } from './NumberInput';
import { useField } from './useField';

const metricName = (metric: string) => metric.replaceAll('_', ' ');

/**
 * How the experiment is judged: fixed before it runs, so no one picks the metric that happened to move.
 * Laid out as cells of the editor's settings grid.
 */
export function AnalysisFields({ locked }: { locked: boolean }) {
  const primary = useField('primaryMetric');
  const conversionWindow = useField('conversionWindowHours');
  const windowId = useId();
  const cap = useField('revenueCapQuantile');
  return (
    <>
      <label>
        Primary metric
        <select
          ref={primary.field.ref}
          value={primary.field.value}
          onChange={(e) => primary.field.onChange(e.target.value as PrimaryMetric)}
          onBlur={primary.field.onBlur}
          disabled={locked}
          {...primary.aria}
        >
          {PRIMARY_METRICS.map((m) => (
            <option key={m} value={m}>
              {metricName(m)}
            </option>
          ))}
        </select>
        {primary.error}
      </label>
      <label htmlFor={windowId}>
        Conversion window (hours)
        <NumberInput
          id={windowId}
          min={1}
          max={8760}
          ref={conversionWindow.field.ref}
          value={conversionWindow.field.value}
          onChange={conversionWindow.field.onChange}
          onBlur={conversionWindow.field.onBlur}
          disabled={locked}
          {...conversionWindow.aria}
        />
        {conversionWindow.error}
      </label>
      <label>
        Revenue cap
        <select
          ref={cap.field.ref}
          value={String(cap.field.value ?? '')}
          onChange={(e) => cap.field.onChange(e.target.value ? Number(e.target.value) : null)}
          onBlur={cap.field.onBlur}
          disabled={locked}
          {...cap.aria}
        >
          {REVENUE_CAPS.map((q) => (
            <option key={String(q)} value={String(q ?? '')}>
              {q === null ? 'none' : `revenue per user capped at the ${q} quantile of buyers`}
            </option>
          ))}
        </select>
        {cap.error}
      </label>
    </>
  );
}

/** Metrics that must not get worse: reported beside the primary one, and warned about. */
export function GuardrailFields({ locked }: { locked: boolean }) {
  const guardrails = useField('guardrailMetrics');
  const chosen = guardrails.field.value;
  return (
    <fieldset className="checks" disabled={locked}>
      <legend>Guardrails</legend>
      {GUARDRAIL_METRICS.map((m, i) => (
        <label key={m}>
          <input
            type="checkbox"
            ref={i === 0 ? guardrails.field.ref : undefined}
            checked={chosen.includes(m)}
            onChange={(e) =>
              guardrails.field.onChange(e.target.checked ? [...chosen, m] : chosen.filter((x) => x !== m))
            }
            onBlur={guardrails.field.onBlur}
          />{' '}
          {metricName(m)}
        </label>
      ))}
      {guardrails.error}
    </fieldset>
  );
}
