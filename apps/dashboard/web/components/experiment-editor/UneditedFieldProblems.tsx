import { useFormState } from 'react-hook-form';
import type { ExperimentFormValues } from './experiment-form';
import { asSentence } from './useField';

/** The settings the editor has no field for, as a reader names them. */
const UNEDITED = {
  secondaryMetrics: 'Secondary metrics',
  layer: 'Layer',
  holdoutPercent: 'Holdout',
  banditFloor: 'Bandit floor',
} as const;

/**
 * Problems with settings the editor shows no field for (kept from the stored experiment, e.g. a bandit
 * floor too high for one more variant): said here, or the save would be refused without a word.
 */
export function UneditedFieldProblems() {
  const { errors } = useFormState<ExperimentFormValues>();
  const problems = (Object.keys(UNEDITED) as (keyof typeof UNEDITED)[]).flatMap((field) => {
    const message = errors[field]?.message;
    return message ? [`${UNEDITED[field]}: ${asSentence(message)}`] : [];
  });
  if (problems.length === 0) return null;
  return (
    <div role="alert">
      <ul className="form-error">
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
