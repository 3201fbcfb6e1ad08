import { MAX_VARIANTS, MIN_VARIANTS } from '@pitchline/core/experiments/definition';
import type { validatePitchTemplate } from '@pitchline/core/pitch-template';
import { get, useFieldArray, useFormContext, useFormState } from 'react-hook-form';
import type { Me } from '../../lib/session';
import { type ExperimentFormValues, newVariant } from './experiment-form';
import { asSentence } from './useField';
import { VariantFieldset } from './VariantFieldset';

/**
 * The pitches compared, and their traffic weights. While the experiment runs, variants can be neither
 * added nor removed, and the control stays the control.
 */
export function VariantsFields({
  checks,
  locked,
  me,
}: {
  /** Each variant's live SSML check, by position. */
  checks: ReturnType<typeof validatePitchTemplate>[];
  locked: boolean;
  me: Me;
}) {
  const { control, getValues, setValue } = useFormContext<ExperimentFormValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'variants' });
  const { errors } = useFormState({ control, name: 'variants' });
  // The list's own problems (no control, too many): on the list, or on its root beside per-variant ones.
  const listProblem: string | undefined =
    get(errors, 'variants.root.message') ?? get(errors, 'variants.message');
  const makeControl = (index: number) => {
    getValues('variants').forEach((_, j) => {
      setValue(`variants.${j}.isControl`, j === index, { shouldDirty: true, shouldTouch: true });
    });
  };
  return (
    <>
      <h2>Variants</h2>
      {listProblem ? (
        <p className="form-error" role="alert">
          {asSentence(listProblem)}
        </p>
      ) : null}
      {fields.map((f, i) => (
        <VariantFieldset
          key={f.id}
          index={i}
          check={checks[i]}
          locked={locked}
          me={me}
          onMakeControl={() => makeControl(i)}
          onRemove={fields.length > MIN_VARIANTS && !locked ? () => remove(i) : undefined}
        />
      ))}
      {fields.length < MAX_VARIANTS && !locked ? (
        <button type="button" onClick={() => append(newVariant(fields.length + 1), { shouldFocus: false })}>
          Add variant
        </button>
      ) : null}
    </>
  );
}
