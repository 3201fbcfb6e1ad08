import { useExperiments } from '../../lib/experiments';
import { Field } from './Field';

/** Which experiment's variants split the funnel; without one, every experiment:variant pair is a group. */
export function ExperimentSelect({
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
